/**
 * The Keras map page's "Measure in this browser" button: loads the real model with tf.loadLayersModel and
 * recomputes, from the LayersModel it returns, the figures the page printed at build time from model.json; then
 * runs two small experiments the page's text relies on (BatchNorm ignores `trainable` in tfjs; 0–255 pixels instead
 * of −1…1 change the answer). Each result goes into the element `[data-measured="<key>"]`; the figures box gets
 * data-state="done" (or "error", with the message). TensorFlow.js loads only when the button is pressed.
 */
import type * as TF from '@tensorflow/tfjs';
import { siteUrl } from '../../platform/base-url';

type Results = Record<string, string>;
const grouped = (n: number) => n.toLocaleString('en-US');

async function measure(): Promise<Results> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu'); // a few predictions: the plain CPU backend is enough and works everywhere
  const model = await tf.loadLayersModel(siteUrl('workbook-assets/model/model.json'));
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const layers = model.layers;
  const pooled = layers.findIndex((l) => l.getClassName() === 'GlobalAveragePooling2D');
  const baseParams = layers.slice(0, pooled + 1).reduce((s, l) => s + l.countParams(), 0);
  const count = (className: string) => layers.filter((l) => l.getClassName() === className).length;
  const results: Results = {
    layers: String(layers.length),
    params: grouped(model.countParams()),
    'moving-stats': grouped(model.nonTrainableWeights.reduce((s, w) => s + size(w.shape as number[]), 0)),
    depthwise: String(count('DepthwiseConv2D')),
    'batch-norms': String(count('BatchNormalization')),
    adds: String(count('Add')),
    'pooled-index': String(pooled),
    'base-params': grouped(baseParams),
    'top-params': grouped(model.countParams() - baseParams),
    'fine-tune-at': String(layers.findIndex((l) => l.name === 'conv_dw_13')),
    'freeze-at': String(layers.findIndex((l) => l.name === 'conv_pw_12_relu')),
  };

  // A frozen BatchNormalization layer called with training: true, on a batch whose channel mean is 5.
  const bn = tf.layers.batchNormalization({});
  const [outputMean, movingMean] = tf.tidy(() => {
    const batch = tf.tensor4d([4, 6, 4, 6], [4, 1, 1, 1]);
    bn.apply(batch, { training: false }); // builds it: moving mean 0, moving variance 1
    bn.trainable = false;
    const out = bn.apply(batch, { training: true }) as TF.Tensor;
    return [out.mean().dataSync()[0]!, bn.getWeights()[2]!.dataSync()[0]!];
  });
  results['bn-output-mean'] = outputMean.toFixed(3);
  results['bn-moving-mean'] = movingMean.toFixed(3);
  bn.dispose();

  // The same photo through the model, scaled as MobileNet expects and as raw 0–255 pixels.
  const [names, bitmap] = await Promise.all([
    fetch(siteUrl('workbook-assets/labels/imagenet_classes.json')).then((r) => r.json() as Promise<string[]>),
    fetch(siteUrl('workbook-assets/photos/cat/Egyptian_Mau_10.jpg'))
      .then((r) => r.blob())
      .then((b) => createImageBitmap(b)),
  ]);
  const top = (scale: boolean) =>
    tf.tidy(() => {
      const pixels = tf.browser.fromPixels(bitmap).toFloat().expandDims(0);
      const probs = model.predict(scale ? pixels.div(127.5).sub(1) : pixels) as TF.Tensor;
      const id = probs.argMax(-1).dataSync()[0]!;
      return `${names[id]?.split(',')[0]} (class ${id}, ${(100 * probs.dataSync()[id]!).toFixed(1)} %)`;
    });
  results['scaled-top'] = top(true);
  results['raw-top'] = top(false);
  bitmap.close();
  model.dispose();
  results['tensors-left'] = String(tf.memory().numTensors);
  return results;
}

export function mountMeasure(box: HTMLElement) {
  const button = box.querySelector<HTMLButtonElement>('[data-measure]');
  const status = box.querySelector<HTMLElement>('[data-measure-status]');
  button?.addEventListener('click', async () => {
    button.disabled = true;
    box.dataset.state = 'running';
    if (status) status.textContent = 'Loading TensorFlow.js and the model…';
    try {
      const results = await measure();
      for (const [key, value] of Object.entries(results)) {
        document.querySelectorAll<HTMLElement>(`[data-measured="${key}"]`).forEach((el) => {
          el.textContent = value;
        });
      }
      box.dataset.state = 'done';
      if (status) status.textContent = 'Measured in this browser, from the model tf.loadLayersModel returned.';
    } catch (error) {
      box.dataset.state = 'error';
      if (status)
        status.textContent = `The measurement failed: ${error instanceof Error ? error.message : String(error)}`;
      button.disabled = false;
    }
  });
}
