// A linear probe: softmax regression on one layer's pooled features. It cannot build new features, only weigh
// the ones the layer already has, so its validation accuracy says how useful that depth is for cat/dog/other.
// train.x: [photos, features] (standardised), train.y: [photos, 3] one-hot. Return [validation photos, 3].
// (The Keras twin: a Dense(3, activation='softmax') on the pooled features, compiled and fit.)
async function probe(train: { x: tf.Tensor2D; y: tf.Tensor2D }, validationX: tf.Tensor2D): Promise<tf.Tensor2D> {
  const classes = train.y.shape[1];
  // TODO: weights and a bias to learn (tf.variable), the logits of a batch of features, and a loop of optimizer
  //       steps (tf.train.…, optimizer.minimize) that lowers the softmax cross-entropy on the training photos.
  // TODO: return the softmax of the validation photos' logits instead of this "no idea" answer.
  return tf.fill([validationX.shape[0], classes], 1 / classes) as tf.Tensor2D;
}

await wb.check.linearProbe(probe);
