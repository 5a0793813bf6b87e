/**
 * `wb.freezeSweep(points, options)`: lesson 6's experiment on the page. It runs the engine's sweep (src/ml/freeze-sweep.ts:
 * every freeze point × every seed, each run from the same solution checkpoint), with a progress bar and the cell's
 * Stop, then shows ONE chart (accuracy with intervals and seconds per epoch against the freeze point), a table, and
 * the paired comparisons that say which differences 78 validation photos can separate. Its figures go to the
 * page's record (figures.ts), named after the freeze points: `sweep.conv_pw_11_relu.valAcc`.
 */
import { loadCheckpoint } from '../ml/checkpoint';
import {
  compareSweepPoints,
  freezeSweep,
  smallestSeparable,
  type SweepPoint,
  type SweepSetting,
} from '../ml/freeze-sweep';
import type { LayerRef, TransferModel } from '../ml/surgery';
import { siteUrl } from '../platform/base-url';
import { cellOutput } from './cell-output';
import { noteFigures, type Figures } from './figures';
import { sweepView } from './freeze-sweep-view';
import type { Session } from './session';

/** Settings of a sweep on the page; every one has a default. */
export interface FreezeSweepSettings {
  /** Seeds per freeze point, at least two. Default [1, 2, 3]. */
  seeds?: readonly number[];
  /** Epochs per run. Default 2: enough to see a trend, short enough to wait for on a laptop's CPU. */
  epochs?: number;
  /** Default 0.0003, a fine-tuning step; a point may set its own ({ freezeAt, learningRate }). */
  learningRate?: number;
  /** Photos per step. Default 16. */
  batchSize?: number;
  /** The solution checkpoint every run starts from. Default 'head' (lesson 5's trained head). */
  from?: string;
}

/** A figure name for a point: its label with anything but letters, digits and "_" turned into "_". */
export function figureKey(label: string): string {
  return label.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_|_$/g, '');
}

/** The figures of a sweep: per point its pooled accuracy (Wilson), each seed's count, cost; and the comparisons. */
export function sweepFigures(points: readonly SweepPoint[]): Figures {
  const figures: Figures = {};
  const first = points[0];
  const validationPhotos = first?.runs[0]?.total ?? 0;
  if (validationPhotos > 0) {
    const smallest = smallestSeparable(validationPhotos);
    Object.assign(figures, { 'smallest.photos': smallest.photos, 'smallest.share': smallest.share });
  }
  for (const p of points) {
    const key = figureKey(p.label);
    Object.assign(figures, {
      [`${key}.freezeAt`]: p.freezeAt,
      [`${key}.trainableParams`]: p.trainableParams,
      [`${key}.valAcc`]: p.pooled.estimate,
      [`${key}.valAccLow`]: p.pooled.low,
      [`${key}.valAccHigh`]: p.pooled.high,
      [`${key}.valCorrect`]: p.pooled.correct,
      [`${key}.valTotal`]: p.pooled.total,
      [`${key}.secondsPerEpoch`]: p.secondsPerEpoch,
      [`${key}.featureSeconds`]: p.featureSeconds,
    });
    p.runs.forEach((r) => (figures[`${key}.seed${r.seed}.valCorrect`] = r.correct));
    if (first && p !== first) {
      const c = compareSweepPoints(p, first);
      figures[`${key}.secondsRatio`] = p.secondsPerEpoch / first.secondsPerEpoch;
      figures[`${key}.vsFirst.better`] = c.photosBetterA;
      figures[`${key}.vsFirst.worse`] = c.photosBetterB;
    }
  }
  return figures;
}

/** The sweep member of the facade over the page's session. */
export function freezeSweepApi(session: Session) {
  /**
   * Returns each freeze point's runs and summary (mean over seeds, pooled Wilson interval, seconds per epoch) after
   * training every point with every seed from the same checkpoint; shows the chart, the table and which differences
   * the validation photos can separate.
   * @example const sweep = await wb.freezeSweep(['global_average_pooling2d_1', 'conv_pw_11_relu'], { seeds: [1, 2, 3] });
   */
  return async function sweep(
    points: readonly (LayerRef | SweepSetting)[],
    settings: FreezeSweepSettings = {},
  ): Promise<SweepPoint[]> {
    const out = cellOutput();
    const { from = 'head', ...options } = settings;
    if (!/^[\w-]+$/.test(from))
      throw new Error(`from names a solution checkpoint, like "head"; not ${JSON.stringify(from)}`);
    const [base] = await Promise.all([session.loadModel(out), session.tf()]);
    const start = async (): Promise<TransferModel> =>
      (await loadCheckpoint(siteUrl(`checkpoints/${from}/model.json`), base)).model;
    out.progress(0, 'freeze-point sweep: starting…');
    const results = await freezeSweep(start, session.photos, points, {
      ...options,
      signal: out.signal,
      onProgress: (fraction) => out.progress(fraction, `freeze-point sweep: ${Math.round(fraction * 100)} %`),
      onRun: (run, done, total) =>
        out.progress(
          done / total,
          `run ${done} / ${total} done: ${run.label}, seed ${run.seed}: ${run.correct}/${run.total}`,
        ),
    });
    noteFigures('freeze-sweep', sweepFigures(results));
    const Plot = await import('@observablehq/plot');
    out.show(() => sweepView(results, Plot));
    return results;
  };
}
