// A linear probe: softmax regression on one layer's pooled features. It cannot build new features, only weigh
// the ones the layer already has, so its validation accuracy says how useful that depth is for cat/dog/other.
// train.x: [photos, features] (standardised), train.y: [photos, 3] one-hot. Return [validation photos, 3].
// (The Keras twin: a Dense(3, activation='softmax') on the pooled features, compiled and fit.)
async function probe(train: { x: tf.Tensor2D; y: tf.Tensor2D }, validationX: tf.Tensor2D): Promise<tf.Tensor2D> {
  const features = train.x.shape[1];
  const classes = train.y.shape[1];
  const w = tf.variable(tf.zeros([features, classes]));
  const b = tf.variable(tf.zeros([classes]));
  const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 100; step++) {
    // One full-batch step: the mean cross-entropy of the training photos, and its gradient on w and b.
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(train.y, logits(train.x)) as tf.Scalar);
  }
  const probabilities = tf.tidy(() => tf.softmax(logits(validationX)));
  optimizer.dispose();
  tf.dispose([w, b]);
  return probabilities;
}

await wb.check.linearProbe(probe);
