/**
 * Folded prefix vs the LayersModel, forward to conv_pw_13_relu on a batch of 8 real photos, wasm in Node.
 * The two are run alternately, round after round, so a burst of load from other processes hits both alike;
 * wall time (what a learner waits) and this process's CPU time (what the forward costs) are both reported.
 *
 * Run: node --import ./scripts/register-ts.mjs scripts/bench-fold.ts [rounds=15] [layer=conv_pw_13_relu]
 */
import * as tf from '@tensorflow/tfjs';
import { foldPrefix } from '../src/ml/fold';
import { imagesToBatch } from '../src/ml/image';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../src/platform/node';

const rounds = Number(process.argv[2] ?? 15);
const layer = process.argv[3] ?? 'conv_pw_13_relu';
const BATCH = 8;

await useWasmBackend();
const model = await tf.loadLayersModel(nodeModelIO());
const index = JSON.parse(readAsset('photos/index.json').toString('utf8')) as { photos: { file: string }[] };
const x = imagesToBatch(
  await Promise.all(
    index.photos
      .filter((_, i) => i % 48 === 0)
      .slice(0, BATCH)
      .map((p) => readPhoto(p.file)),
  ),
);

const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });
const t0 = performance.now();
const folded = foldPrefix(model, layer);
const foldMs = performance.now() - t0;

const variants: Record<string, () => tf.Tensor> = {
  'LayersModel.predict': () => sub.predict(x) as tf.Tensor,
  'foldPrefix.predict': () => folded.predict(x),
};
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (const [name, run] of Object.entries(variants)) {
  for (let i = 0; i < 3; i++)
    tf.tidy(() => {
      run().dataSync();
    }); // warm-up: XNNPACK operators are built once
  wall[name] = [];
  cpu[name] = [];
}
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    tf.tidy(() => {
      run().dataSync();
    }); // dataSync: wasm kernels are synchronous, but read the result anyway
    const c = process.cpuUsage(c0);
    wall[name]!.push(performance.now() - w0);
    cpu[name]!.push((c.user + c.system) / 1000);
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const min = (v: number[]) => Math.min(...v);
console.log(
  `forward to ${layer}, batch ${BATCH}, ${tf.getBackend()} in Node, ${rounds} alternating rounds (folding took ${foldMs.toFixed(0)} ms)`,
);
for (const name of Object.keys(variants)) {
  console.log(
    `  ${name.padEnd(20)} wall median ${median(wall[name]!).toFixed(1)} ms (min ${min(wall[name]!).toFixed(1)})   cpu median ${median(cpu[name]!).toFixed(1)} ms (min ${min(cpu[name]!).toFixed(1)})`,
  );
}
const speedup = median(cpu['LayersModel.predict']!) / median(cpu['foldPrefix.predict']!);
console.log(`  speed-up (cpu medians): ${speedup.toFixed(2)}×`);
folded.dispose();
