// Lesson 4's alpaca_model with one layer more, as the course's "add layers" step:
// input → base → Dense(units, relu) → Dropout → Dense(3) → softmax.
const hiddenBase = wb.base(pretrained); // copies of the pre-trained layers up to the 256 pooled features
hiddenBase.trainable = false; // Keras: base_model.trainable = False: only the head will learn
const inputs = tf.input({ shape: [224, 224, 3] });
let x = hiddenBase.apply(inputs) as tf.SymbolicTensor;
// The hidden layer and its Dropout. Seeded starting weights, so a rerun starts (and trains) the same.
x = tf.layers
  .dense({
    units: 128,
    activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    kernelRegularizer: tf.regularizers.l2({ l2: 0.003 }),
    name: 'head_hidden',
  })
  .apply(x) as tf.SymbolicTensor;
x = tf.layers.dropout({ rate: 0.5, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
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
