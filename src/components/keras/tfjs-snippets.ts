/**
 * The TensorFlow.js side of the Keras map page (src/pages/keras.astro). The page shows the code between
 * `// #region <id>` and `// #endregion` (snippet.ts cuts it out at build time); keeping it here, in a real module,
 * means `tsc` and `astro check` type-check every line a learner reads against tfjs 4.22. Nothing imports this module
 * to run it: the functions only give each snippet the names it uses.
 */
import * as tf from '@tensorflow/tfjs';
import { siteUrl } from '../../platform/base-url';

export async function load() {
  // #region load
  const base = await tf.loadLayersModel(siteUrl('workbook-assets/model/model.json'));
  // #endregion
  return base;
}

export function cut(base: tf.LayersModel) {
  // #region cut
  // The layers up to the pooled features: 256 numbers per photo. tf.model shares the layers, as Keras does.
  const pooled = base.getLayer('global_average_pooling2d_1').output as tf.SymbolicTensor;
  const features = tf.model({ inputs: base.inputs, outputs: pooled });
  // #endregion
  return features;
}

export function preprocess(photo: HTMLImageElement) {
  // #region preprocess
  // 0…255 → −1…1, the range MobileNet's ImageNet weights were trained on (what preprocess_input does).
  const input = tf.tidy(() => tf.browser.fromPixels(photo).toFloat().div(127.5).sub(1).expandDims(0));
  // #endregion
  return input;
}

export function freeze(base: tf.LayersModel) {
  // #region trainable
  for (const layer of base.layers) layer.trainable = false;
  // #endregion
}

export function inference(features: tf.LayersModel, input: tf.Tensor) {
  // #region training-false
  const pooled = features.predict(input) as tf.Tensor;                    // always inference mode
  const same = features.apply(input, { training: false }) as tf.Tensor;    // the flag, spelt out
  // #endregion
  return [pooled, same];
}

export function pool(maps: tf.SymbolicTensor, mapsTensor: tf.Tensor4D) {
  // #region gap
  const pooled = tf.layers.globalAveragePooling2d({}).apply(maps) as tf.SymbolicTensor;
  const same = tf.mean(mapsTensor, [1, 2]); // average over height and width: [batch, channels]
  // #endregion
  return [pooled, same];
}

export function head(base: tf.LayersModel) {
  // #region head
  const pooled = base.getLayer('global_average_pooling2d_1').output as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.2 }).apply(pooled) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 3, name: 'head_logits' }).apply(dropped) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: logits });
  // #endregion
  return model;
}

export function loss(labels: tf.Tensor2D, logits: tf.Tensor2D) {
  // #region loss
  // labels: one-hot [batch, 3]; logits: the Dense layer's raw scores, no softmax applied.
  const value = tf.losses.softmaxCrossEntropy(labels, logits); // mean over the batch, a scalar
  // #endregion
  return value;
}

export function loop(model: tf.LayersModel, batches: [tf.Tensor, tf.Tensor2D][], epochs: number) {
  // #region loop
  const optimizer = tf.train.adam(0.001);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable); // only what is trainable
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [x, y] of batches) {
      optimizer.minimize(() => {
        const logits = model.apply(x, { training: true }) as tf.Tensor2D; // Dropout active
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      }, false, weights);
    }
  }
  // #endregion
}

export function tape(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor2D, optimizer: tf.Optimizer) {
  // #region tape
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D) as tf.Scalar,
    weights,
  );
  optimizer.applyGradients(grads);
  tf.dispose([value, grads]);
  // #endregion
}

export function fineTune(base: tf.LayersModel) {
  // #region fine-tune-at
  // Keras counts the FIRST trainable layer; the workbook's freezeAt names the LAST frozen one.
  const fineTuneAt = base.layers.findIndex((layer) => layer.name === 'conv_dw_13');
  base.layers.forEach((layer, i) => { layer.trainable = i >= fineTuneAt; });
  const freezeAt = base.layers[fineTuneAt - 1]!.name; // 'conv_pw_12_relu': the same split
  // #endregion
  return freezeAt;
}

export function memory(model: tf.LayersModel, input: tf.Tensor) {
  // #region memory
  const best = tf.tidy(() => (model.predict(input) as tf.Tensor).argMax(-1)); // the probabilities are freed
  const [classId] = best.dataSync(); // copies GPU/wasm memory into a JS array (data() is the async twin)
  best.dispose();                    // a tensor tidy returned is yours to free
  console.log(classId, tf.memory().numTensors); // numTensors: a leak shows as a count that keeps growing
  // #endregion
}

export function augment(photo: tf.Tensor3D) {
  // #region augment
  // One training photo, [224, 224, 3] in −1…1. Call it on training batches only: Keras's layers skip inference too.
  const augmented = tf.tidy(() => {
    let x = photo.expandDims(0) as tf.Tensor4D;                      // tf.image works on batches
    if (Math.random() < 0.5) x = tf.image.flipLeftRight(x);          // RandomFlip('horizontal')
    const angle = (2 * Math.random() - 1) * 0.2 * 2 * Math.PI;       // RandomRotation(0.2): up to ±20 % of a turn
    return tf.image.rotateWithOffset(x, angle, 0).squeeze([0]) as tf.Tensor3D; // corners: 0, mid-grey in −1…1
  });
  // #endregion
  return augmented;
}
