// Where lesson 4 ended: your alpaca_model (the pre-trained base up to its 256 pooled features, Dropout, a Dense
// layer with one unit per label, a softmax), with lesson 4's neutral start: σ = 0.001, seed 42, biases 0.
// One thing is new: an L2 penalty on the Dense layer (0.01 × the sum of its squared weights joins the loss): with
// 234 training photos and 771 weights, it keeps the head from leaning hard on a few features.
// The base is not frozen here: freezing it is this lesson's exercise.
const pretrained = await wb.loadModel();
const base = wb.base(pretrained);
const inputs = tf.input({ shape: [224, 224, 3] });
let x = base.apply(inputs) as tf.SymbolicTensor;
x = tf.layers.dropout({ rate: 0.2, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
const dense = tf.layers.dense({
  units: wb.photos.labels.length,
  kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
  name: 'head_logits',
});
x = dense.apply(x) as tf.SymbolicTensor;
const outputs = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
const alpaca = tf.model({ inputs, outputs, name: 'alpaca_model' });
dense.setWeights([tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])]);
// The engine reads your model as one chain of layers (the base unrolled), sharing your layers: training `model`
// trains `alpaca`.
const model = await wb.transferModel(alpaca);
const names = model.model.layers.map((layer) => layer.name);
`${names.length} layers: 0–${names.indexOf(model.cutAt)} from MobileNet (up to ${model.cutAt}), then your head: ${names
  .slice(names.indexOf(model.cutAt) + 1)
  .join(' → ')}`;
