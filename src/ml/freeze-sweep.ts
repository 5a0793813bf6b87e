/**
 * Where should the frozen part end? The forum answer says it takes experiment, and that training everything rarely
 * hurts but costs compute. This sweep is that experiment: for each freeze point (any layer of the chain), it trains
 * several runs that differ only in their seed, each from the same starting model, and reports per point the
 * validation accuracy with its intervals, the seconds an epoch took and what computing the frozen activations cost.
 *
 * Each point's frozen prefix is computed once (the shared activation cache: train.ts picks cached or full), so the
 * seeds after the first pay only for their epochs. And only the earliest point reads the photos: the points train
 * from the earliest freeze point to the latest, so each later point's activations continue from the cached ones of
 * the point before it (activation-cache.ts, continueChain) through just the layers in between — block 13 and the
 * pooling for the head point, instead of all 13 blocks again. Trained in the learner's order (the head first, as
 * lesson 6 lists it), no point could reuse another: a cache continues only from an EARLIER layer. The cache is
 * shared because every fresh `start()` model has the same `source` (the one pre-trained network) and the runs the
 * same photo set, the two things activationCacheFor keys it by. The result keeps the learner's order.
 *
 * Runs of different points are compared photo by photo (compareSweepPoints): seeds do not add photos, so a
 * difference counts only when it holds on the 78 photos.
 *
 * No DOM: the page draws the result (src/workbook/freeze-sweep.ts); tests run it in Node on the real model.
 */
import type { PhotoSet } from './dataset';
import { predictTransfer } from './evaluate';
import type { RunRecord } from './runs';
import { meanInterval, pairedComparison, wilsonInterval, type Interval, type MeanInterval } from './stats';
import { layerIndex, type LayerRef, type TransferModel } from './surgery';
import { train, type TrainOptions } from './train';

/** One setting of the sweep: a freeze point, and optionally its own learning rate and label. */
export interface SweepSetting {
  /** Last frozen layer: a name ("conv_pw_11_relu"), an index, or a block ("block 12": its first layer). */
  freezeAt: LayerRef;
  /** Overrides the sweep's learning rate for this setting (e.g. the head's rate vs ten times smaller). */
  learningRate?: number;
  /** Name in the chart, the table and the figures; default the freeze layer's name (plus the rate, when set). */
  label?: string;
}

/** The settings every run of a sweep shares; see TrainOptions. */
export interface FreezeSweepOptions extends Pick<
  TrainOptions,
  'epochs' | 'learningRate' | 'batchSize' | 'schedule' | 'batchNorm' | 'augment' | 'signal'
> {
  /** One run per seed and setting; at least two seeds, so each point has a spread. Default [1, 2, 3]. */
  seeds?: readonly number[];
  /** Called after each run with what it gave, and how many of all the runs are done. */
  onRun?: (run: SweepRun, done: number, total: number) => void;
  /** Called during each run with the run's own progress (0…1), for a progress bar. */
  onProgress?: (fraction: number) => void;
}

/** One training run of the sweep. */
export interface SweepRun {
  label: string;
  seed: number;
  record: RunRecord;
  /** Per validation photo, in the photo set's order: did the trained model get it right? */
  right: boolean[];
  correct: number;
  total: number;
}

/** One setting of the sweep, summarised over its seeds. */
export interface SweepPoint {
  label: string;
  freezeAt: string;
  freezeIndex: number;
  /** The first layer that trains (the Keras `fine_tune_at` layer). */
  firstTrainable: string;
  learningRate: number;
  trainableParams: number;
  runs: SweepRun[];
  /** Mean validation accuracy over the seeds, with the 95 % interval of that mean (Student's t over seeds). */
  mean: MeanInterval;
  /** Correct answers of all seeds together, with Wilson's 95 % interval on that pooled count. */
  pooled: Interval & { correct: number; total: number };
  /** Mean seconds per training epoch over the seeds (validation included). */
  secondsPerEpoch: number;
  /** Seconds spent computing this point's frozen activations (the first seed pays, the others reuse them). */
  featureSeconds: number;
}

/** The settings resolved against a model: labels, layer names and indices, refused when unusable. */
export function resolveSettings(
  tm: TransferModel,
  settings: readonly (LayerRef | SweepSetting)[],
  learningRate: number,
): (SweepSetting & {
  freezeAt: string;
  freezeIndex: number;
  firstTrainable: string;
  learningRate: number;
  label: string;
})[] {
  if (settings.length === 0) throw new Error('a freeze-point sweep needs at least one freeze point; the list is empty');
  const cut = layerIndex(tm.model, tm.cutAt);
  const resolved = settings.map((s) => {
    const setting: SweepSetting = typeof s === 'object' ? s : { freezeAt: s };
    const index = layerIndex(tm.model, setting.freezeAt);
    const name = tm.model.layers[index]!.name;
    if (index > cut)
      throw new Error(
        `freeze point ${name} (layer ${index}) is in the head: a freeze point is a layer of the pre-trained base, 0…${cut} (${tm.cutAt})`,
      );
    const rate = setting.learningRate ?? learningRate;
    if (!(rate > 0)) throw new Error(`the learning rate of ${name} must be positive, not ${rate}`);
    const label = setting.label ?? (setting.learningRate === undefined ? name : `${name}, lr ${rate}`);
    const firstTrainable = tm.model.layers[index + 1]!.name;
    return { ...setting, freezeAt: name, freezeIndex: index, firstTrainable, learningRate: rate, label };
  });
  const seen = new Map<string, string>();
  for (const r of resolved) {
    const key = `${r.freezeIndex}|${r.learningRate}`;
    if (seen.has(key))
      throw new Error(
        `${JSON.stringify(seen.get(key))} and ${JSON.stringify(r.label)} are the same setting (layer ${r.freezeIndex}, learning rate ${r.learningRate}): list each once`,
      );
    seen.set(key, r.label);
  }
  return resolved;
}

/**
 * Trains every setting with every seed, each run from a fresh `start()` model (the sweep disposes it afterwards),
 * and summarises each setting. Runs go setting by setting, so a point's frozen activations are computed once, and
 * settings go from the earliest freeze point to the latest, so that only the first computes from the photos (see
 * above): onRun reports runs in that order, while the points come back in the order `settings` lists them.
 * Bad input (no points, a point in the head or not in the model, the same point twice, fewer than two seeds) is
 * refused before anything trains.
 */
export async function freezeSweep(
  start: () => Promise<TransferModel>,
  photos: PhotoSet,
  settings: readonly (LayerRef | SweepSetting)[],
  options: FreezeSweepOptions = {},
): Promise<SweepPoint[]> {
  const { seeds = [1, 2, 3], learningRate = 0.0003, onRun, onProgress, ...shared } = options;
  if (seeds.length < 2)
    throw new Error(
      `a sweep needs at least two seeds per point, so each point has a spread; got ${seeds.length === 0 ? 'an empty list' : `only seed ${seeds[0]}`}`,
    );
  if (new Set(seeds).size !== seeds.length) throw new Error(`the seeds repeat (${seeds.join(', ')}): list each once`);
  const first = await start();
  let resolved: ReturnType<typeof resolveSettings>;
  try {
    resolved = resolveSettings(first, settings, learningRate);
  } catch (e) {
    first.model.dispose();
    throw e;
  }
  const validation = photos.select('validation');
  const total = resolved.length * seeds.length;
  const points = new Map<(typeof resolved)[number], SweepPoint>();
  let done = 0;
  let next: TransferModel | undefined = first;
  // Earliest freeze point first (a stable sort: two rates at one point keep their order), so each later point's
  // activations continue from an earlier point's instead of being computed from the photos again.
  const byDepth = [...resolved].sort((a, b) => a.freezeIndex - b.freezeIndex);
  for (const setting of byDepth) {
    const runs: SweepRun[] = [];
    for (const seed of seeds) {
      const tm = next ?? (await start());
      next = undefined;
      try {
        const epochs = shared.epochs ?? 2;
        const record = await train(tm, photos, {
          ...shared,
          epochs,
          seed,
          freezeAt: setting.freezeIndex,
          learningRate: setting.learningRate,
          batchNorm: shared.batchNorm ?? 'inference',
          schedule: shared.schedule ?? 'cosine',
          name: `${setting.label}, seed ${seed}`,
          onEpoch: (m) => onProgress?.((done + (m.epoch + 1) / epochs) / total),
        });
        if (record.stopped) throw new Error('the sweep was stopped');
        const scores = await predictTransfer(tm, photos, validation, { signal: shared.signal });
        const right = scores.map((s, i) => photos.labels[s.indexOf(Math.max(...s))] === validation[i]!.label);
        const correct = right.filter(Boolean).length;
        const run = { label: setting.label, seed, record, right, correct, total: right.length };
        runs.push(run);
        // Counted outside the optional call: `onRun?.(run, ++done, total)` skips the increment when no onRun is
        // given, and onProgress then starts every run from 0.
        done++;
        onRun?.(run, done, total);
      } finally {
        tm.model.dispose();
      }
    }
    points.set(setting, summarisePoint(setting, runs));
  }
  return resolved.map((setting) => points.get(setting)!);
}

/** One setting's runs as a point: mean and spread over seeds, pooled count with its Wilson interval, timings. */
export function summarisePoint(
  setting: { label: string; freezeAt: string; freezeIndex: number; firstTrainable: string; learningRate: number },
  runs: readonly SweepRun[],
): SweepPoint {
  const correct = runs.reduce((n, r) => n + r.correct, 0);
  const total = runs.reduce((n, r) => n + r.total, 0);
  return {
    label: setting.label,
    freezeAt: setting.freezeAt,
    freezeIndex: setting.freezeIndex,
    firstTrainable: setting.firstTrainable,
    learningRate: setting.learningRate,
    trainableParams: runs[0]?.record.trainableParams ?? 0,
    runs: [...runs],
    mean: meanInterval(runs.map((r) => r.correct / r.total)),
    pooled: { ...wilsonInterval(correct, total), correct, total },
    secondsPerEpoch: runs.reduce((s, r) => s + r.record.secondsPerEpoch, 0) / runs.length,
    featureSeconds: runs.reduce((s, r) => s + r.record.featureSeconds, 0),
  };
}

/** Two sweep points compared on the photos: which photos each gets right more often, and whether that is chance. */
export interface PointComparison {
  a: string;
  b: string;
  /** Mean accuracy of a minus that of b, as a fraction. */
  difference: number;
  /** Photos a got right in more seeds than b, and the other way round; ties say nothing. */
  photosBetterA: number;
  photosBetterB: number;
  /** Two-sided sign-test p-value over those photos (McNemar's exact test on them). */
  pValue: number;
  insideNoise: boolean;
}

/**
 * Compares two points photo by photo. The unit of evidence is a photo, not a run: three seeds on the same 78
 * photos are not 234 photos. For each photo, count the seeds that got it right under each point; a photo counts
 * for whichever point got it right more often, and McNemar's exact test asks whether that split is more than a
 * coin would give. Both points must have run the same seeds on the same photos.
 */
export function compareSweepPoints(a: SweepPoint, b: SweepPoint): PointComparison {
  const seedsA = a.runs.map((r) => r.seed).join();
  if (seedsA !== b.runs.map((r) => r.seed).join())
    throw new Error(`${a.label} and ${b.label} ran different seeds: a paired comparison needs the same runs for both`);
  const photos = a.runs[0]?.right.length ?? 0;
  if (b.runs.some((r) => r.right.length !== photos) || a.runs.some((r) => r.right.length !== photos))
    throw new Error(`${a.label} and ${b.label} were not scored on the same photos`);
  const timesRight = (p: SweepPoint, i: number) => p.runs.filter((r) => r.right[i]).length;
  const aBetter: boolean[] = [];
  const bBetter: boolean[] = [];
  for (let i = 0; i < photos; i++) {
    const d = timesRight(a, i) - timesRight(b, i);
    aBetter.push(d >= 0); // ties count as "both right": they carry no evidence either way
    bBetter.push(d <= 0);
  }
  const test = pairedComparison(aBetter, bBetter);
  return {
    a: a.label,
    b: b.label,
    difference: a.mean.estimate - b.mean.estimate,
    photosBetterA: test.onlyA,
    photosBetterB: test.onlyB,
    pValue: test.pValue,
    insideNoise: test.insideNoise,
  };
}

/**
 * The smallest difference, in photos, that a paired test on `photos` photos can ever call more than chance: when
 * every disagreement goes one way, McNemar needs n with 2·(1/2)ⁿ < 0.05, i.e. 6 photos. As a share of 78 photos
 * that is 7.7 points; any smaller gap between two freeze points is inside the noise whatever the seeds say.
 */
export function smallestSeparable(photos: number): { photos: number; share: number } {
  let n = 1;
  while (2 * 0.5 ** n >= 0.05) n++;
  return { photos: n, share: n / photos };
}
