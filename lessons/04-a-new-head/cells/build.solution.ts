// The course's alpaca_model, in TensorFlow.js's functional API: input → base → Dropout → Dense → softmax.
const base = wb.base(pretrained, cutAt); // copies of the pre-trained layers up to the cut (include_top=False)
base.trainable = false; // Keras: base_model.trainable = False
const inputs = tf.input({ shape: [224, 224, 3] });
// (Lesson 7 puts data augmentation here, between the input and the base.)
let x = base.apply(inputs) as tf.SymbolicTensor;
x = tf.layers.dropout({ rate: 0.2 }).apply(x) as tf.SymbolicTensor;
x = tf.layers.dense({ units: wb.photos.labels.length, name: 'head_logits' }).apply(x) as tf.SymbolicTensor;
const outputs = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
const alpaca = tf.model({ inputs, outputs, name: 'alpaca_model' });
alpaca.summary(undefined, undefined, (line) => console.log(line)); // Keras: alpaca_model.summary()
await wb.check.composedModel(alpaca);
