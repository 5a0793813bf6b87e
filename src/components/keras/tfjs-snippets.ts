/**
 * The TensorFlow.js side of the Keras map page (src/pages/keras.astro). The page shows the code between
 * `// #region <id>` and `// #endregion` (snippet.ts cuts it out at build time); keeping it here, in a real module,
 * means `tsc` and `astro check` type-check every line a learner reads against tfjs 4.22. Nothing imports this module
 * to run it: the functions only give each snippet the names it uses. Lines stay under 66 characters, so that the two
 * columns of code fit side by side.
 */
import * as tf from '@tensorflow/tfjs';
import { siteUrl } from '../../platform/base-url';

type Sym = tf.SymbolicTensor;

export async function load() {
  // #region load
  const url = siteUrl('workbook-assets/model/model.json');
  const base = await tf.loadLayersModel(url);
  // #endregion
  return base;
}

export function cut(base: tf.LayersModel) {
  // #region cut
  // Up to the pooled features: 256 numbers per photo.
  // tf.model shares the base's layers, as Keras does.
  const pooled = base.getLayer('global_average_pooling2d_1').output as Sym;
  const features = tf.model({
    inputs: base.inputs,
    outputs: pooled,
  });
  // #endregion
  return features;
}

export function preprocess(photo: HTMLImageElement) {
  // #region preprocess
  // 0…255 → −1…1: what preprocess_input does.
  const input = tf.tidy(() => tf.browser.fromPixels(photo).toFloat().div(127.5).sub(1).expandDims(0));
  // #endregion
  return input;
}

export async function decode(model: tf.LayersModel, input: tf.Tensor, classNames: readonly string[]) {
  // #region decode-predictions
  // No decode_predictions in tfjs: take the top k of the
  // 1000 probabilities, and look each index up in ImageNet's
  // class names (the workbook's wb.imagenetClasses).
  const probs = model.predict(input) as tf.Tensor2D; // [1, 1000]
  const { values, indices } = tf.topk(probs, 3);
  const [p, ids] = [await values.data(), await indices.data()];
  const top3 = [...ids].map((id, k) => ({ id, name: classNames[id], p: p[k] }));
  // ids[0] alone is what lesson 1's argMax(-1) finds
  tf.dispose([probs, values, indices]);
  // #endregion
  return top3;
}

export function freeze(base: tf.LayersModel) {
  // #region trainable
  for (const layer of base.layers) layer.trainable = false;
  // #endregion
}

export function inference(features: tf.LayersModel, input: tf.Tensor) {
  // #region training-false
  // predict() always runs in inference mode;
  // apply() takes the flag explicitly.
  const pooled = features.predict(input) as tf.Tensor;
  const same = features.apply(input, { training: false });
  // #endregion
  return [pooled, same];
}

export function pool(maps: Sym, mapsTensor: tf.Tensor4D) {
  // #region gap
  const gap = tf.layers.globalAveragePooling2d({});
  const pooled = gap.apply(maps) as Sym;
  // the same numbers: mean over height and width
  const same = tf.mean(mapsTensor, [1, 2]);
  // #endregion
  return [pooled, same];
}

export function head(base: tf.LayersModel) {
  // #region head
  const pooled = base.getLayer('global_average_pooling2d_1').output as Sym;
  const dropped = tf.layers.dropout({ rate: 0.2 }).apply(pooled) as Sym;
  const logits = tf.layers.dense({ units: 3 }).apply(dropped) as Sym;
  const model = tf.model({ inputs: base.inputs, outputs: logits });
  // #endregion
  return model;
}

export function initializer(x: Sym, kernel: tf.Tensor) {
  // #region initializer
  // Dense starts its kernel from Glorot uniform by default;
  // a seed draws the same start on every run.
  const init = tf.initializers.glorotUniform({ seed: 12 });
  const dense = tf.layers.dense({
    units: 3,
    kernelInitializer: init,
    biasInitializer: 'zeros',
  });
  const logits = dense.apply(x) as Sym;
  // or redraw an existing kernel, as lesson 4 does:
  const fresh = init.apply(kernel.shape);
  // #endregion
  return [logits, fresh];
}

export function hidden(base: tf.LayersModel) {
  // #region hidden
  let x = base.getLayer('global_average_pooling2d_1').output as Sym;
  x = tf.layers.dense({ units: 128, activation: 'relu' }).apply(x) as Sym;
  x = tf.layers.dropout({ rate: 0.5 }).apply(x) as Sym;
  const logits = tf.layers.dense({ units: 3 }).apply(x) as Sym;
  // #endregion
  return tf.model({ inputs: base.inputs, outputs: logits });
}

export function loss(labels: tf.Tensor2D, logits: tf.Tensor2D) {
  // #region loss
  // labels: one-hot [batch, 3]; logits: the Dense layer's raw
  // scores, no softmax applied. The mean over the batch:
  const value = tf.losses.softmaxCrossEntropy(labels, logits);
  // #endregion
  return value;
}

export function loop(model: tf.LayersModel, batches: [tf.Tensor, tf.Tensor2D][], epochs: number) {
  // #region loop
  const optimizer = tf.train.adam(0.001);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable); // trainable only
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [x, y] of batches) {
      optimizer.minimize(
        () => {
          // training: true switches Dropout on
          const logits = model.apply(x, { training: true });
          return tf.losses.softmaxCrossEntropy(y, logits as tf.Tensor2D) as tf.Scalar;
        },
        false,
        vars,
      );
    }
    // … then validation: model.predict on the held-out photos
  }
  // #endregion
}

export function tape(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor2D, optimizer: tf.Optimizer) {
  // #region tape
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lossOf = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D) as tf.Scalar;
  const { value, grads } = tf.variableGrads(lossOf, vars);
  optimizer.applyGradients(grads);
  tf.dispose([value, grads]);
  // #endregion
}

export function fineTune(base: tf.LayersModel) {
  // #region fine-tune-at
  // Keras counts the FIRST layer that trains; the
  // workbook's freezeAt names the LAST layer kept frozen.
  const fineTuneAt = base.layers.findIndex((layer) => layer.name === 'conv_dw_13');
  base.layers.forEach((layer, i) => {
    layer.trainable = i >= fineTuneAt;
  });
  // the same split: 'conv_pw_12_relu'
  const freezeAt = base.layers[fineTuneAt - 1]!.name;
  // #endregion
  return freezeAt;
}

export function memory(model: tf.LayersModel, input: tf.Tensor) {
  // #region memory
  // tidy frees every tensor made inside it but the result
  const best = tf.tidy(() => (model.predict(input) as tf.Tensor).argMax(-1));
  // copy out of GPU/wasm memory (data() is the async twin)
  const [classId] = best.dataSync();
  best.dispose(); // what tidy returned is yours
  // a leak shows as a count that keeps growing
  console.log(classId, tf.memory().numTensors);
  // #endregion
}

export function augment(photo: tf.Tensor3D) {
  // #region augment
  // One training photo, [224, 224, 3] in −1…1; call it on
  // training batches only (Keras's layers skip inference).
  const augmented = tf.tidy(() => {
    let x = photo.expandDims(0) as tf.Tensor4D; // a batch of 1
    // RandomFlip('horizontal')
    if (Math.random() < 0.5) x = tf.image.flipLeftRight(x);
    // RandomRotation(0.2): up to ±20 % of a full turn
    const angle = (2 * Math.random() - 1) * 0.2 * 2 * Math.PI;
    // corners filled with 0: mid-grey in −1…1
    const turned = tf.image.rotateWithOffset(x, angle, 0);
    return turned.squeeze([0]) as tf.Tensor3D;
  });
  // #endregion
  return augmented;
}
