/**
 * `wb.train(model, settings)`: training as a learner sees it. It wraps the engine's truly-frozen trainer
 * (src/ml/train.ts) with what a page needs:
 *
 * - live learning curves under the cell that called it (training-chart.ts), a progress bar for the one-off
 *   computation of frozen activations and then for the epochs;
 * - the cell's Stop button: the run ends between two batches and returns what it has (marked `stopped`);
 * - a row in the page's runs table (runs.ts) for every run, finished or stopped.
 *
 * Fine-tuning conv layers on wasm needs gradient kernels tfjs-backend-wasm lacks; the page's backend start-up
 * installs the engine's (src/platform/browser-backend.ts), so nothing is needed here.
 *
 * `wb.features(layer)` computes (once per page) the frozen activations at a layer, with progress: what a run would
 * do first anyway, made visible — and the reason every run after the first one starts in a fraction of a second.
 */
import { DEFAULT_PREFIX, activationCacheFor } from '../ml/activation-cache';
import { blockNameOf, MOBILENET_LAYERS } from '../ml/layers';
import type { EpochMetrics, RunRecord } from '../ml/runs';
import { asTransferModel, freezeUpTo, layerIndex, type LayerRef, type TransferModel } from '../ml/surgery';
import { resolveFreezePoint } from '../ml/freeze-flags';
import { PhotoSet } from '../ml/dataset';
import { parentSet, trainingSubset, type PhotoChoice } from '../ml/photo-subset';
import { train, type TrainOptions } from '../ml/train';
import { cellOutput } from './cell-output';
import { CurvesChart, type ReferenceCurves } from './training-chart';
import type { Session } from './session';
import { duration, percent, workbookElement } from './dom';
import type { PageRuns } from './runs';
import { noteFeatures, noteRun } from './figures';

/** What a learner may set for a run; everything has a default (10 epochs, Adam at 0.001, batches of 16, seed 1). */
export type TrainSettings = Pick<
  TrainOptions,
  'name' | 'epochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'schedule' | 'augment' | 'seed' | 'batchNorm'
> & {
  /** Last frozen layer (a name such as "conv_pw_11_relu", or an index). Default: the cut, so only the head trains. */
  freezeAt?: LayerRef;
  /** A finished run or a checkpoint's record, drawn dashed behind the live curves. */
  compareWith?: ReferenceCurves | (RunRecord & { name?: string });
  /** Draw the live curves (default true). */
  chart?: boolean;
  /**
   * Which photos: default the course's; `{ perClass: 10 }` trains on a seeded 10 of each class of its training
   * photos (validation untouched: "fewer photos" as a real experiment); a PhotoSet such as `await wb.own.photos()`
   * trains on those (lesson 8's own classes).
   */
  photos?: PhotoChoice | PhotoSet;
};

/** A run's record plus its final figures, for reading in a cell: `run.valAcc`. */
export interface TrainedRun extends RunRecord {
  /** Training loss and accuracy of the last epoch (NaN when stopped before one finished). */
  loss: number;
  acc: number;
  /** Validation loss and accuracy of the last epoch. */
  valLoss: number;
  valAcc: number;
  /** The best validation accuracy of any epoch. */
  bestValAcc: number;
}

/** Final figures of a record. */
export function withFinalFigures(record: RunRecord): TrainedRun {
  const last: Partial<EpochMetrics> = record.history.at(-1) ?? {};
  return {
    ...record,
    loss: last.loss ?? NaN,
    acc: last.acc ?? NaN,
    valLoss: last.valLoss ?? NaN,
    valAcc: last.valAcc ?? NaN,
    bestValAcc: record.history.reduce((b, h) => Math.max(b, h.valAcc), record.history.length ? 0 : NaN),
  };
}

/**
 * What a freeze point trains, in words: "head only" when everything up to the cut is frozen, else the blocks from
 * the first trainable layer on ("blocks 12–13 + head").
 */
export function describeFreezePoint(tm: TransferModel, freezeAt: LayerRef): string {
  const k = typeof freezeAt === 'number' ? freezeAt : layerIndex(tm.model, freezeAt);
  const cut = layerIndex(tm.model, tm.cutAt);
  const blocks = tm.model.layers
    .slice(k + 1, cut + 1)
    .map((l) => blockNameOf(l.name))
    .filter((b): b is string => b !== null);
  const first = blocks[0];
  const last = blocks.at(-1);
  if (!first || !last) return 'head only';
  if (first === 'stem') return 'everything';
  return first === last
    ? `${first} + head`
    : `blocks ${first.replace('block ', '')}–${last.replace('block ', '')} + head`;
}

/** The reference curves of a record or checkpoint. */
function referenceOf(ref: NonNullable<TrainSettings['compareWith']>): ReferenceCurves {
  return 'label' in ref && typeof ref.label === 'string'
    ? (ref as ReferenceCurves)
    : { label: `${(ref as RunRecord).name ?? 'earlier run'} (dashed)`, history: ref.history };
}

/** The training tools of the facade. */
export class Training {
  constructor(
    private readonly session: Session,
    private readonly runs: PageRuns,
  ) {}

  /**
   * Trains `tm` with everything up to `settings.freezeAt` frozen (default: the whole base) and returns the run's
   * record with its final figures. Draws live curves under the running cell, honours its Stop button, and adds a
   * row to the page's runs table. tf.memory().numTensors is the same after the run as before it.
   */
  async train(model: TransferModel, settings: TrainSettings = {}): Promise<TrainedRun> {
    const tm = asTransferModel(model, 'wb.train');
    const out = cellOutput();
    const [all] = await Promise.all([this.session.photos, this.session.tf()]);
    const choice = settings.photos;
    if (choice !== undefined && !(choice instanceof PhotoSet) && typeof choice?.perClass !== 'number')
      throw new Error(
        `photos is { perClass: n } (n training photos of each class) or the photo set of wb.own.photos(), not ${JSON.stringify(choice)}`,
      );
    const photos = !choice ? all : choice instanceof PhotoSet ? choice : trainingSubset(all, choice);
    // The freeze point is resolved once, here, by the engine's rule (the engine records the index in the run): the
    // trainable flags the learner set are respected, and a freezeAt that contradicts them is refused, never applied.
    const k = freezeUpTo(tm, resolveFreezePoint(tm.model, layerIndex(tm.model, tm.cutAt), settings.freezeAt));
    const epochs = settings.epochs ?? 10;
    const name = settings.name ?? `run ${this.runs.records.length + 1}: ${describeFreezePoint(tm, k)}`;
    const chart =
      settings.chart === false || out.cellId === null
        ? null
        : new CurvesChart(
            `${name} · frozen up to ${tm.model.layers[k]!.name} · ${epochs} epoch${epochs === 1 ? '' : 's'}`,
            await import('@observablehq/plot'),
          );
    if (chart) {
      if (settings.compareWith) chart.addReference(referenceOf(settings.compareWith));
      out.show(() => chart.element);
    }
    const record = await train(tm, photos, {
      ...settings,
      name,
      freezeAt: k,
      epochs,
      // A subset reads the full set's cached activations: the same photos, computed once per page.
      cache:
        parentSet(photos) !== photos ? activationCacheFor(tm.source, parentSet(photos), DEFAULT_PREFIX) : undefined,
      signal: out.signal,
      onFeatures: (done, total) => {
        chart?.say(`computing the frozen layers’ activations once: ${done} / ${total} photos`, 'features');
        out.progress(done, total, 'frozen activations');
      },
      onBatch: (m) => {
        chart?.batch(m);
        out.progress((m.epoch + (m.batch + 1) / m.batchesPerEpoch) / epochs, `epoch ${m.epoch + 1} / ${epochs}`);
      },
      onEpoch: (m) => chart?.epoch(m, epochs),
    });
    this.runs.add(record);
    const run = withFinalFigures(record);
    // The run's figures, for the lesson's record (figures.ts), with the sample size of a `{ perClass }` run.
    noteRun(record, choice && !(choice instanceof PhotoSet) ? { perClass: choice.perClass } : undefined);
    chart?.say(summary(run), record.stopped ? 'stopped' : 'done');
    if (chart) chart.element.dataset.state = record.stopped ? 'stopped' : 'done';
    return run;
  }

  /**
   * Computes the frozen activations of every photo at `layer` (default: the pooled 256 features), once per page,
   * with a progress bar; later calls and runs read them from the cache. Returns what it did and what it holds.
   */
  async features(layer: string = MOBILENET_LAYERS.pooledFeatures): Promise<FeatureReport> {
    const out = cellOutput();
    const [base, photos] = await Promise.all([this.session.loadModel(), this.session.photos]);
    const cache = activationCacheFor(base, photos, DEFAULT_PREFIX);
    const entries = photos.select();
    const before = { ...cache.stats };
    await cache.activations(
      layer,
      entries,
      false,
      (done, total) => out.progress(done, total, `activations of ${layer}`),
      out.signal,
    );
    const report: FeatureReport = {
      layer,
      shape: cache.shape(layer),
      photos: entries.length,
      computedFromPhotos: cache.stats.fromPhotos - before.fromPhotos,
      computedFromEarlierLayer: cache.stats.fromEarlierLayer - before.fromEarlierLayer,
      alreadyCached: cache.stats.hits - before.hits,
      fromBrowserStore: (cache.stats.fromStore ?? 0) - (before.fromStore ?? 0),
      seconds: Number((cache.stats.seconds - before.seconds).toFixed(2)),
      megabytesCached: Number((cache.bytes / 2 ** 20).toFixed(1)),
    };
    out.show(() => featureNote(report));
    noteFeatures(report); // its figures, for the lesson's record (figures.ts)
    return report;
  }
}

/** What `features()` did. */
export interface FeatureReport {
  layer: string;
  /** Activation shape of one photo, e.g. [256] or [14, 14, 256]. */
  shape: number[];
  photos: number;
  /** Photos run through the frozen layers now. */
  computedFromPhotos: number;
  /** Photos whose activations came from an earlier cached layer (only the layers in between ran). */
  computedFromEarlierLayer: number;
  /** Photos that were cached already. */
  alreadyCached: number;
  /** Photos read back from this browser's store of activations (an earlier page or visit computed them). */
  fromBrowserStore: number;
  seconds: number;
  /** Everything the page's cache holds, in MiB. */
  megabytesCached: number;
}

/** What `features()` did, in a sentence under the cell. */
function featureNote(r: FeatureReport): HTMLElement {
  const note = workbookElement('p', 'features');
  note.dataset.layer = r.layer;
  note.dataset.fromStore = String(r.fromBrowserStore);
  const done = [
    r.computedFromPhotos ? `${r.computedFromPhotos} photos through the frozen layers up to ${r.layer}` : '',
    r.computedFromEarlierLayer ? `${r.computedFromEarlierLayer} from an earlier layer's cached activations` : '',
    r.alreadyCached ? `${r.alreadyCached} already cached` : '',
    r.fromBrowserStore ? `${r.fromBrowserStore} from this browser's cache (computed on an earlier visit)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const size = r.shape.reduce((a, b) => a * b, 1).toLocaleString('en-US');
  note.textContent =
    `${done} in ${duration(r.seconds)}: ${r.shape.length > 1 ? `${r.shape.join(' × ')} = ${size}` : size} numbers per photo. ` +
    `The page now keeps ${r.megabytesCached} MB of activations.`;
  return note;
}

/** One line about a finished run. */
export function summary(run: TrainedRun): string {
  const epochs = `${run.history.length}${run.stopped ? ` of ${run.epochs} epochs (stopped)` : run.history.length === 1 ? ' epoch' : ' epochs'}`;
  return (
    `${run.name ?? 'run'}: ${epochs} · validation accuracy ${percent(run.valAcc)} (best ${percent(run.bestValAcc)}) · ${duration(run.secondsPerEpoch)} per epoch on ${run.backend}` +
    (run.featureSeconds >= 0.05 ? ` · frozen activations computed in ${duration(run.featureSeconds)}` : '')
  );
}
