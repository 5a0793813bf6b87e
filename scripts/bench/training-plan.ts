/**
 * The training measures, written once and run both in Node (scripts/bench/training_node.ts) and in the benchmark
 * page (scripts/bench/browser/), always through the engine's own API: buildTransferModel, train (cached or full
 * mode), ActivationCache. No DOM and no file system here: the caller hands in the pre-trained model and photos.
 *
 * - time to 90 %: a fresh activation cache, a head trained epoch after epoch until validation accuracy ≥ 0.9; the
 *   clock starts where the caller started it (before the model load), so the figure is what a learner waits. Two
 *   heads: Dense(128, relu) + Dropout + softmax (the first; it reaches 90 % on this set) and the engine's default
 *   single softmax layer (second, on the activations the first computed), which plateaus near 88 % (69 of the 78
 *   validation photos; 90 % needs 71) whatever the learning rate, as measured while writing this.
 * - epochs, cached vs full: for each freeze point, seconds per epoch on cached activations and through the whole
 *   network (the ratio is what caching buys); the one-off cost of computing the activations is reported beside it,
 *   with the engine's default prefix (the model's own layers) and with its BN-folded one (fold.ts).
 * - peak memory: tf.profile's peak of tf.memory().numBytes over one epoch (a separate run, since profiling adds
 *   work to every kernel and would spoil the timings).
 * Every run records numTensors before and after: the engine promises they match.
 */
import * as tf from '@tensorflow/tfjs';
import { ActivationCache } from '../../src/ml/activation-cache';
import type { PhotoSet } from '../../src/ml/dataset';
import { foldPrefix } from '../../src/ml/fold';
import type { RunRecord } from '../../src/ml/runs';
import { buildTransferModel, type HeadOptions } from '../../src/ml/surgery';
import { train, type TrainOptions } from '../../src/ml/train';

/** A freeze point the section measures. */
export interface FreezePoint {
  id: string;
  label: string;
  /** Last frozen layer. */
  freezeAt: string;
}

/** Head only, the last two blocks, the last four blocks. */
export const FREEZE_POINTS: readonly FreezePoint[] = [
  { id: 'head', label: 'head only (base frozen)', freezeAt: 'global_average_pooling2d_1' },
  { id: 'last2', label: 'last two blocks + head', freezeAt: 'conv_pw_11_relu' },
  { id: 'last4', label: 'last four blocks + head', freezeAt: 'conv_pw_9_relu' },
];

/** How much to run. */
export interface TrainingPlan {
  cachedEpochs: number;
  fullEpochs: number;
  maxEpochsTo90: number;
  freezePoints: readonly string[];
  /** Freeze points whose peak memory is profiled, in 'cached' and 'full' mode. */
  profile: readonly { id: string; mode: 'cached' | 'full' }[];
}

/** The plan for a quick smoke run or a full run. */
export function trainingPlan(quick: boolean): TrainingPlan {
  return quick
    ? {
        cachedEpochs: 1,
        fullEpochs: 1,
        maxEpochsTo90: 50,
        freezePoints: ['head', 'last2'],
        profile: [{ id: 'head', mode: 'cached' }],
      }
    : {
        cachedEpochs: 3,
        fullEpochs: 2,
        maxEpochsTo90: 50,
        freezePoints: ['head', 'last2', 'last4'],
        profile: [
          { id: 'head', mode: 'cached' },
          { id: 'last2', mode: 'cached' },
          { id: 'last2', mode: 'full' },
        ],
      };
}

const tensors = () => tf.memory().numTensors;

/** numTensors before and after every training run of this measurement (the engine promises they match). */
const ledger: { run: string; before: number; after: number }[] = [];

/** Builds a fresh transfer model, trains it, disposes it; notes numTensors around it all in the ledger. */
async function oneRun(
  base: tf.LayersModel,
  photos: PhotoSet,
  what: string,
  options: TrainOptions,
  head: HeadOptions = {},
): Promise<RunRecord> {
  const before = tensors();
  const tm = buildTransferModel(base, { seed: 1, ...head });
  try {
    return await train(tm, photos, { seed: 1, ...options });
  } finally {
    tm.model.dispose();
    ledger.push({ run: what, before, after: tensors() });
  }
}

/** The heads time-to-90 % trains: the first one starts the clock and computes the activations. */
export const TO90_HEADS: readonly { id: string; label: string; head: HeadOptions }[] = [
  { id: 'hidden128', label: 'head Dense(128, relu) + Dropout(0.5) + softmax', head: { hidden: 128 } },
  { id: 'linear', label: "the engine's default head (one softmax layer)", head: {} },
];

/** Result of a time-to-90 % run. */
export interface To90Result {
  id: string;
  label: string;
  secondsTo90: number | null;
  epochsTo90: number | null;
  valAcc: number[];
  epochSeconds: number[];
  featureSeconds: number;
}

/**
 * Trains a head on `cache` until validation accuracy reaches 0.9 (or maxEpochs), timing from `startedAt` (a
 * performance.now() taken by the caller before it loaded the model, for the first head; the second reuses the
 * activations the first computed, and its clock starts when it does).
 */
export async function timeTo90(
  base: tf.LayersModel,
  photos: PhotoSet,
  startedAt: number,
  maxEpochs: number,
  which: (typeof TO90_HEADS)[number],
  cache: ActivationCache,
): Promise<To90Result> {
  const controller = new AbortController();
  let reachedAt: number | null = null;
  let epochsTo90: number | null = null;
  const record = await oneRun(
    base,
    photos,
    `time to 90 %, ${which.id}`,
    {
      epochs: maxEpochs,
      mode: 'cached',
      cache,
      signal: controller.signal,
      onEpoch: (m) => {
        if (reachedAt === null && m.valAcc >= 0.9) {
          reachedAt = performance.now();
          epochsTo90 = m.epoch + 1;
          controller.abort();
        }
      },
    },
    which.head,
  );
  return {
    id: which.id,
    label: which.label,
    secondsTo90: reachedAt === null ? null : (reachedAt - startedAt) / 1000,
    epochsTo90,
    valAcc: record.history.map((h) => h.valAcc),
    epochSeconds: record.history.map((h) => h.seconds),
    featureSeconds: record.featureSeconds,
  };
}

/** One freeze point, cached and full. */
export interface EpochComparison {
  id: string;
  freezeAt: string;
  trainableParams: number;
  cached: { secondsPerEpoch: number; featureSeconds: number; valAcc: number };
  /** The same cached run with the activations computed by the engine's BN-folded prefix (fold.ts) instead. */
  cachedFolded: { secondsPerEpoch: number; featureSeconds: number; valAcc: number };
  full: { secondsPerEpoch: number; valAcc: number };
  speedup: number;
}

/** Seconds per epoch at one freeze point with cached activations (a fresh cache) and through the whole network. */
export async function compareEpochs(
  base: tf.LayersModel,
  photos: PhotoSet,
  point: FreezePoint,
  plan: TrainingPlan,
): Promise<EpochComparison> {
  const cached = await oneRun(base, photos, `${point.id}, cached`, {
    freezeAt: point.freezeAt,
    epochs: plan.cachedEpochs,
    mode: 'cached',
    cache: new ActivationCache(base, photos),
  });
  const folded = await oneRun(base, photos, `${point.id}, cached (folded prefix)`, {
    freezeAt: point.freezeAt,
    epochs: 1,
    mode: 'cached',
    cache: new ActivationCache(base, photos, { prefix: foldPrefix }),
  });
  const full = await oneRun(base, photos, `${point.id}, full`, {
    freezeAt: point.freezeAt,
    epochs: plan.fullEpochs,
    mode: 'full',
  });
  const last = (r: RunRecord) => r.history.at(-1)?.valAcc ?? NaN;
  return {
    id: point.id,
    freezeAt: point.freezeAt,
    trainableParams: cached.trainableParams,
    cached: { secondsPerEpoch: cached.secondsPerEpoch, featureSeconds: cached.featureSeconds, valAcc: last(cached) },
    cachedFolded: {
      secondsPerEpoch: folded.secondsPerEpoch,
      featureSeconds: folded.featureSeconds,
      valAcc: last(folded),
    },
    full: { secondsPerEpoch: full.secondsPerEpoch, valAcc: last(full) },
    speedup: full.secondsPerEpoch / cached.secondsPerEpoch,
  };
}

/** Peak tf.memory() bytes over one epoch (activations computed inside the profile too, for 'cached'). */
export async function peakMemory(
  base: tf.LayersModel,
  photos: PhotoSet,
  point: FreezePoint,
  mode: 'cached' | 'full',
): Promise<{ id: string; mode: string; peakBytes: number; bytesBefore: number }> {
  const bytesBefore = tf.memory().numBytes;
  const info = await tf.profile(async () => {
    await oneRun(base, photos, `${point.id}, ${mode}, profiled`, {
      freezeAt: point.freezeAt,
      epochs: 1,
      mode,
      cache: mode === 'cached' ? new ActivationCache(base, photos) : undefined,
    });
    return [];
  });
  return { id: point.id, mode, peakBytes: info.peakBytes, bytesBefore };
}

/** Everything the training section reports from one environment (Node or the browser). */
export interface TrainingMeasures {
  backend: string;
  to90: To90Result[];
  epochs: EpochComparison[];
  memory: Awaited<ReturnType<typeof peakMemory>>[];
  /** numTensors around every run, and at the start and end of the whole measurement. */
  runs: { run: string; before: number; after: number }[];
  tensorsAtStart: number;
  tensorsAtEnd: number;
}

/** Runs the whole plan: time to 90 % first (nothing cached yet), then the epoch comparisons, then memory. */
export async function measureTraining(
  base: tf.LayersModel,
  photos: PhotoSet,
  startedAt: number,
  plan: TrainingPlan,
  log: (m: string) => void = () => {},
): Promise<TrainingMeasures> {
  const tensorsAtStart = tensors();
  ledger.length = 0;
  log(`time to 90 % (≤ ${plan.maxEpochsTo90} epochs)`);
  const cache = new ActivationCache(base, photos);
  const to90: To90Result[] = [];
  for (const which of TO90_HEADS)
    to90.push(
      await timeTo90(base, photos, to90.length ? performance.now() : startedAt, plan.maxEpochsTo90, which, cache),
    );
  const epochs: EpochComparison[] = [];
  for (const id of plan.freezePoints) {
    const point = FREEZE_POINTS.find((p) => p.id === id)!;
    log(`epochs at ${point.label}: ${plan.cachedEpochs} cached, ${plan.fullEpochs} full`);
    epochs.push(await compareEpochs(base, photos, point, plan));
  }
  const memory = [];
  for (const { id, mode } of plan.profile) {
    log(`peak memory, ${id}, ${mode}`);
    memory.push(
      await peakMemory(
        base,
        photos,
        FREEZE_POINTS.find((p) => p.id === id)!,
        mode,
      ),
    );
  }
  return { backend: tf.getBackend(), to90, epochs, memory, runs: [...ledger], tensorsAtStart, tensorsAtEnd: tensors() };
}
