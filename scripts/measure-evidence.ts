/**
 * node --import ./scripts/register-ts.mjs scripts/measure-evidence.ts [probe|efficiency|drift …]
 * Runs the evidence engines (src/ml/probe.ts, data-efficiency.ts, bn-drift.ts) on the real model and photos in
 * Node (tfjs wasm) and prints their results and wall times: the figures a lesson would show, and what they cost.
 */
import * as tf from '@tensorflow/tfjs';
import { bnDrift } from '../src/ml/bn-drift';
import { loadPhotoSet } from '../src/ml/dataset';
import { dataEfficiency } from '../src/ml/data-efficiency';
import { randomBaseline } from '../src/ml/pooled-features';
import { probeDepths, probeFeatures } from '../src/ml/probe';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../src/platform/node';

const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['probe', 'efficiency', 'drift']);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const clock = () => performance.now();
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

await useWasmBackend();
const imagenet = await tf.loadLayersModel(nodeModelIO());
const photos = loadPhotoSet(readAsset('photos/index.json').toString('utf8'), readPhoto);

if (wanted.has('probe') || wanted.has('efficiency')) {
  let t = clock();
  const random = await randomBaseline(imagenet, photos, 1);
  const fImagenet = await probeFeatures(imagenet, photos);
  console.log(`pooled features, ImageNet weights, 14 depths, ${fImagenet.photos.length} photos: ${secs(t)}`);
  t = clock();
  const fRandom = await probeFeatures(random, photos);
  console.log(`pooled features, random weights: ${secs(t)}`);
  if (wanted.has('probe')) {
    t = clock();
    const a = await probeDepths(imagenet, photos, { features: fImagenet });
    const b = await probeDepths(random, photos, { features: fRandom });
    console.log(`28 probes (100 epochs each): ${secs(t)}`);
    for (const [i, d] of a.entries()) {
      const r = b[i]!;
      console.log(
        `  ${d.block.padEnd(8)} ${String(d.features).padStart(3)} features  ImageNet ${pct(d.accuracy)} [${pct(d.interval.low)}, ${pct(d.interval.high)}]  random ${pct(r.accuracy)} [${pct(r.interval.low)}, ${pct(r.interval.high)}]`,
      );
    }
  }
  if (wanted.has('efficiency')) {
    t = clock();
    const sizes = [5, 10, 25, 50, 'all'] as const;
    const a = dataEfficiency(fImagenet, photos, { sizes, seeds: [1, 2, 3] });
    const b = dataEfficiency(fRandom, photos, { sizes, seeds: [1, 2, 3] });
    console.log(`data efficiency, 5 sizes × 3 seeds × 2 networks: ${secs(t)}`);
    for (const [i, p] of a.entries()) {
      const r = b[i]!;
      console.log(
        `  ${String(p.perClass).padStart(3)} per class  ImageNet ${pct(p.mean.estimate)} [${pct(p.mean.low)}, ${pct(p.mean.high)}]  random ${pct(r.mean.estimate)} [${pct(r.mean.low)}, ${pct(r.mean.high)}]`,
      );
    }
  }
  random.dispose();
}

if (wanted.has('drift')) {
  const t = clock();
  const report = await bnDrift(imagenet, photos, { epochs: 2 });
  console.log(
    `bnDrift, 2 epochs each arm: ${secs(t)} (naive ${report.naive.seconds.toFixed(1)} s, inference mode ${report.inferenceMode.seconds.toFixed(1)} s of training)`,
  );
  console.log(
    `  naive fit: validation ${report.naive.correct}/${report.naive.total} ${pct(report.naive.accuracy)}; inference-mode freeze: ${report.inferenceMode.correct}/${report.inferenceMode.total} ${pct(report.inferenceMode.accuracy)}`,
  );
  console.log(
    `  largest mean shift ${report.largestShift.layer} ${report.largestShift.meanShift.toFixed(3)} σ; trained weights unchanged: ${report.trainedWeightsUnchanged}; inference-mode change ${report.inferenceModeChange}`,
  );
  for (const d of report.drift.filter((_, i) => i % 3 === 0))
    console.log(
      `  ${d.layer.padEnd(14)} mean shift ${d.meanShift.toFixed(3)} σ (max ${d.maxShift.toFixed(2)}), |log var ratio| ${d.logVarianceChange.toFixed(3)}`,
    );
}
