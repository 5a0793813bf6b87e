// A linear probe: softmax regression on one layer's pooled features. It cannot build new features, only weigh
// the ones the layer already has, so its validation accuracy says how useful that depth is for cat/dog/other.
// train.x: [photos, features] (standardised), train.y: [photos, 3] one-hot. Return [validation photos, 3].
// (The Keras twin: a Dense(3, activation='softmax') on the pooled features, compiled and fit.)
async function probe(train: { x: tf.Tensor2D; y: tf.Tensor2D }, validationX: tf.Tensor2D): Promise<tf.Tensor2D> {
  const classes = train.y.shape[1];
  // TODO: learn a linear map from the features to the classes on the training photos (train.x, train.y).
  // TODO: return the validation photos' probabilities under it instead of this "no idea" answer.
  return tf.fill([validationX.shape[0], classes], 1 / classes) as tf.Tensor2D;
}

await wb.check.linearProbe(probe);
