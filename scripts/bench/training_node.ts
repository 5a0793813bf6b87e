/**
 * The training section's Node part: tfjs on the wasm backend (single-threaded in Node), the real model and the
 * 390 real photos from public/workbook-assets, the measures of training-plan.ts. Prints progress on stderr and one
 * JSON line (TrainingMeasures plus load times) on stdout.
 * Run: `node --import ./scripts/register-ts.mjs scripts/bench/training_node.ts [--quick]`.
 */
import * as tf from '@tensorflow/tfjs';
import { loadPhotoSet } from '../../src/ml/dataset';
import { installWasmConvGradients } from '../../src/ml/kernels/wasm-conv-grads';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';
import { measureTraining, trainingPlan } from './training-plan';

const quick = process.argv.includes('--quick');
const startedAt = performance.now();
await useWasmBackend();
// wasm has no conv-gradient kernels of its own: the engine's composed ones make blocks trainable (fine-tuning).
installWasmConvGradients();
const base = await tf.loadLayersModel(nodeModelIO());
const modelSeconds = (performance.now() - startedAt) / 1000;
const photos = loadPhotoSet(readAsset('photos/index.json').toString('utf8'), readPhoto);
const measures = await measureTraining(base, photos, startedAt, trainingPlan(quick), (m) =>
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${m}\n`),
);
process.stdout.write(`${JSON.stringify({ ...measures, modelSeconds })}\n`);
