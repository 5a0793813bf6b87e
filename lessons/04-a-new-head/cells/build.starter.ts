// The course's alpaca_model, in TensorFlow.js's functional API: input → base → Dropout → Dense → softmax.
const base = wb.base(pretrained, cutAt); // copies of the pre-trained layers up to the cut (include_top=False)
// TODO: freeze the base as a whole (Keras: base_model.trainable = False)
const inputs = tf.input({ shape: [224, 224, 3] });
// (Lesson 7 puts data augmentation here, between the input and the base.)
let x = base.apply(inputs) as tf.SymbolicTensor;
// TODO: the head, each layer applied to the x before it: Dropout as in the course, a Dense layer with one unit
//       per label (wb.photos.labels), and a softmax as a layer of its own.
const outputs = x;
const alpaca = tf.model({ inputs, outputs, name: 'alpaca_model' });
alpaca.summary(undefined, undefined, (line) => console.log(line)); // Keras: alpaca_model.summary()
await wb.check.composedModel(alpaca);
