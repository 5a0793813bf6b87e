// Lesson 4's alpaca_model with one layer more, as the course's "add layers" step:
// input → base → Dense(units, relu) → Dropout → Dense(3) → softmax.
const hiddenBase = wb.base(pretrained); // copies of the pre-trained layers up to the 256 pooled features
hiddenBase.trainable = false; // Keras: base_model.trainable = False: only the head will learn
const inputs = tf.input({ shape: [224, 224, 3] });
let x = hiddenBase.apply(inputs) as tf.SymbolicTensor;
// TODO: the hidden layer, applied to x: a Dense layer whose width you choose, with a non-linearity; then Dropout,
//       switching off a share of its units that you choose. (Keras: x = tfl.Dense(…)(x), then tfl.Dropout(…)(x).)

// The classifier: one unit per label, from lesson 4's neutral start (small random weights: about 1/3 each).
x = tf.layers
  .dense({
    units: wb.photos.labels.length,
    kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.001, seed: 42 }),
    kernelRegularizer: tf.regularizers.l2({ l2: 0.003 }), // a small penalty on large weights, as in lesson 5
    name: 'head_logits',
  })
  .apply(x) as tf.SymbolicTensor;
const outputs = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
const hiddenModel = tf.model({ inputs, outputs, name: 'hidden_model' });
hiddenModel.summary(undefined, undefined, (line) => console.log(line)); // Keras: model.summary()
await wb.check.hiddenHead(hiddenModel);
