/**
 * npm run checkpoints [-- name …]: trains the lessons' reference models in Node (tfjs wasm) from the real MobileNet
 * and the real photos, with fixed seeds, and writes each into public/checkpoints/<name>/:
 *   model.json + weights.bin  the trained layers (head, plus fine-tuned blocks), loadable with loadCheckpoint()
 *   run.json                  the run record(s): settings, per-epoch curves, timings, the validation report with
 *                             its Wilson 95 % interval, and the test score (the test photos' one look, with its
 *                             interval: the honest estimate for new photos, since no choice was made on them)
 * and public/checkpoints/index.json, a list for the lessons. Only what training changed is stored (a few hundred kB).
 * Same seeds and backend give the same models; see src/ml/train.ts on determinism across backends.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { saveCheckpoint } from '../src/ml/checkpoint';
import { loadPhotoSet } from '../src/ml/dataset';
import { evaluate } from '../src/ml/evaluate';
import { wilsonInterval } from '../src/ml/stats';
import { evaluateTest, TestLookLedger } from '../src/ml/test-look';
import { installWasmConvGradients } from '../src/ml/kernels/wasm-conv-grads';
import type { RunRecord } from '../src/ml/runs';
import { buildTransferModel, type TransferModelOptions } from '../src/ml/surgery';
import { train, type TrainOptions } from '../src/ml/train';
import { nodeModelIO, nodeSaveIO, readAsset, readPhoto, useWasmBackend } from '../src/platform/node';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/checkpoints');

/** A reference model: its head, and one or more training phases run one after the other on the same model. */
interface Reference {
  name: string;
  description: string;
  model: TransferModelOptions;
  phases: TrainOptions[];
}

/** Phase one of every reference: the head alone on the frozen base, trained to convergence (L2 keeps it stable). */
const HEAD_PHASE: TrainOptions = { epochs: 100, learningRate: 0.01, schedule: 'cosine', seed: 1 };

const REFERENCES: Reference[] = [
  {
    name: 'head',
    description: 'MobileNet frozen up to its pooled 256 features; a new 3-way softmax head (L2 0.01).',
    model: { l2: 0.01, seed: 1 },
    phases: [HEAD_PHASE],
  },
  {
    name: 'head-hidden',
    description: 'MobileNet frozen up to its pooled features; Dense(128, relu) + Dropout(0.5) + 3-way softmax.',
    model: { hidden: 128, dropout: 0.5, l2: 0.003, seed: 1 },
    phases: [{ epochs: 20, learningRate: 0.001, schedule: 'cosine', seed: 1 }],
  },
  {
    name: 'last-two-blocks',
    description:
      'The head trained first (as "head"), then blocks 12–13 unfrozen and fine-tuned with it at a small learning rate.',
    model: { l2: 0.01, seed: 1 },
    phases: [
      HEAD_PHASE,
      {
        freezeAt: 'conv_pw_11_relu',
        epochs: 8,
        learningRate: 0.0003,
        schedule: 'cosine',
        seed: 2,
        batchNorm: 'inference',
        augment: true,
      },
    ],
  },
];

/** Bytes of the files in a folder. */
function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !REFERENCES.some((r) => r.name === w));
  if (unknown.length)
    throw new Error(`unknown reference ${unknown.join(', ')}; choose from ${REFERENCES.map((r) => r.name).join(', ')}`);
  installWasmConvGradients();
  await useWasmBackend();
  const base = await tf.loadLayersModel(nodeModelIO());
  const photos = loadPhotoSet(readAsset('photos/index.json').toString('utf8'), readPhoto);
  for (const ref of REFERENCES.filter((r) => !wanted.length || wanted.includes(r.name))) {
    const tm = buildTransferModel(base, ref.model);
    const records: RunRecord[] = [];
    for (const [i, phase] of ref.phases.entries()) {
      const started = performance.now();
      const record = await train(tm, photos, {
        ...phase,
        name: ref.phases.length > 1 ? `${ref.name} (phase ${i + 1})` : ref.name,
        onFeatures: (done, total) =>
          done === total && console.log(`  [${ref.name}] frozen activations: ${total} photos`),
        onEpoch: (m) =>
          console.log(
            `  [${ref.name}] epoch ${m.epoch + 1}: loss ${m.loss.toFixed(3)} acc ${m.acc.toFixed(3)} valLoss ${m.valLoss.toFixed(3)} valAcc ${m.valAcc.toFixed(3)} (${m.seconds.toFixed(2)} s)`,
          ),
      });
      records.push(record);
      console.log(
        `[${ref.name}] phase ${i + 1}: valAcc ${record.history.at(-1)!.valAcc.toFixed(3)}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    const record = records.at(-1)!;
    const report = await evaluate(tm, photos);
    const dir = path.join(OUT, ref.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await saveCheckpoint(tm, nodeSaveIO(dir), record);
    const { predictions: _all, ...rest } = report;
    const total = report.predictions.length;
    const correct = total - report.misclassified.length;
    const validation = { ...rest, correct, total, interval: wilsonInterval(correct, total) };
    // Each reference's one look at the test photos, after every choice about it was made on validation photos.
    const {
      predictions: _testAll,
      look: _look,
      secondLook: _second,
      ...test
    } = await evaluateTest(tm, photos, new TestLookLedger(), { name: ref.name });
    writeFileSync(
      path.join(dir, 'run.json'),
      `${JSON.stringify({ name: ref.name, description: ref.description, model: ref.model, record, ...(records.length > 1 ? { phases: records } : {}), validation, test }, null, 1)}\n`,
    );
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `[${ref.name}] saved to ${path.relative(process.cwd(), dir)} (${(folderBytes(dir) / 1024).toFixed(0)} kB); ` +
        `validation ${correct}/${total} ${pct(report.accuracy)} [${pct(validation.interval.low)}, ${pct(validation.interval.high)}]; ` +
        `test ${test.correct}/${test.total} ${pct(test.accuracy)} [${pct(test.interval.low)}, ${pct(test.interval.high)}]`,
    );
    tm.model.dispose();
  }
  const index = readdirSync(OUT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const ref = REFERENCES.find((r) => r.name === d.name);
      return {
        name: d.name,
        description: ref?.description ?? '',
        path: `checkpoints/${d.name}/model.json`,
        bytes: folderBytes(path.join(OUT, d.name)),
      };
    });
  writeFileSync(path.join(OUT, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
}

await main();
