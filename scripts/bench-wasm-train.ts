/**
 * How long one training step of MobileNet's last two blocks + a 3-class head takes on wasm in Node, batch 16 —
 * the step the composed conv-gradient kernels (src/ml/kernels/wasm-conv-grads.ts) make possible at all.
 * The blocks get their real input (conv_pw_11_relu activations of 16 real photos), computed once up front, so
 * only the trainable part is timed. Prints the median of several steps and the kernels that cost the most.
 *
 * With `all`, the whole MobileNet trains instead (every layer, 1000-way output, batch 16 of 224×224 photos).
 *
 * The broadcast Tile (src/ml/kernels/wasm-tile.ts, BatchNorm's gradient) is installed too; `--native-tile` leaves
 * wasm's own Tile in place, to see what it costs.
 *
 * Run: node --import ./scripts/register-ts.mjs scripts/bench-wasm-train.ts [steps=10] [tail|all] [--native-tile]
 */
import * as tf from '@tensorflow/tfjs';
import { imagesToBatch } from '../src/ml/image';
import { installWasmConvGradients } from '../src/ml/kernels/wasm-conv-grads';
import { installWasmFastTile } from '../src/ml/kernels/wasm-tile';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../src/platform/node';

const BATCH = 16;
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const steps = Number(args[0] ?? 10);
const mode = args[1] ?? 'tail';
const nativeTile = process.argv.includes('--native-tile');

await useWasmBackend();
installWasmConvGradients();
if (!nativeTile) installWasmFastTile();
const model = await tf.loadLayersModel(nodeModelIO());

const index = JSON.parse(readAsset('photos/index.json').toString('utf8')) as {
  labels: string[];
  photos: { file: string; label: string }[];
};
const photos = index.photos.filter((_, i) => i % 24 === 0).slice(0, BATCH);
const images = imagesToBatch(await Promise.all(photos.map((p) => readPhoto(p.file))));
const cut = tf.model({ inputs: model.inputs, outputs: model.getLayer('conv_pw_11_relu').output });
const x = mode === 'all' ? images : tf.tidy(() => cut.predict(images) as tf.Tensor4D);
const y = tf.tidy(() =>
  mode === 'all'
    ? tf
        .oneHot(
          photos.map((p, i) => (p.label === 'cat' ? 281 + (i % 5) : p.label === 'dog' ? 151 + i : 968)),
          1000,
        )
        .toFloat()
    : tf
        .oneHot(
          photos.map((p) => index.labels.indexOf(p.label)),
          index.labels.length,
        )
        .toFloat(),
);

// The trainable tail: conv_dw_12 … conv_pw_13_relu re-applied to their own input, then pooling and a dense head.
const first = model.layers.findIndex((l) => l.name === 'conv_dw_12');
const last = model.layers.findIndex((l) => l.name === 'conv_pw_13_relu');
const input = tf.input({ shape: [14, 14, 128] });
let h: tf.SymbolicTensor = input;
for (const layer of model.layers.slice(first, last + 1)) h = layer.apply(h) as tf.SymbolicTensor;
h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
const tail =
  mode === 'all'
    ? model
    : tf.model({
        inputs: input,
        outputs: tf.layers.dense({ units: 3, activation: 'softmax' }).apply(h) as tf.SymbolicTensor,
      });
tail.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
console.log(
  `${mode === 'all' ? 'whole model' : 'last two blocks + head'}: ${tail.trainableWeights.length} trainable tensors, ${tail.countParams()} params; batch ${BATCH}, ${tf.getBackend()}, ${nativeTile ? "wasm's own Tile" : 'broadcast Tile'}`,
);

await tail.trainOnBatch(x, y); // warm-up: builds the XNNPACK operators and the optimizer's slots
// Wall time is what a learner waits; CPU time (this process only) is what the step costs when other processes
// compete for the cores — on a shared two-core machine the two can differ a lot.
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await tail.trainOnBatch(x, y);
  const c = process.cpuUsage(c0);
  wall.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
}
const summary = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms (min ${s[0]!.toFixed(1)}, max ${s.at(-1)!.toFixed(1)})`;
};
console.log(`trainOnBatch × ${steps}: wall ${summary(wall)}; cpu ${summary(cpu)}`);

// Where the time goes, by kernel (tf.profile times each kernel; wasm kernels are synchronous, so wall time).
const profile = await tf.profile(async () => {
  await tail.trainOnBatch(x, y);
});
const byKernel = new Map<string, number>();
for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12);
console.log('top kernels (ms):', top.map(([n, t]) => `${n} ${t.toFixed(1)}`).join(', '));
