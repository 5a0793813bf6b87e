/**
 * Lesson 6's BatchNorm contrast, on the learner's own models. A BatchNormalization layer normalises with the
 * batch's mean and variance when it runs in training mode, and nudges its moving averages towards them (momentum
 * 0.99 a step); in inference mode it normalises with the moving averages and changes nothing. TensorFlow.js picks
 * the mode from the call's `training` flag alone (tfjs issue 7250): `model.fit` on a base with trainable = false
 * still runs every BN layer in training mode. TF2 Keras differs: there a BN layer with trainable = False runs in
 * inference mode. The workbook's trainer runs frozen layers in inference mode, as Keras does.
 *
 *   await wb.check.batchNormDrift(naive, before, after);        // the learner's snapshots are the real statistics
 *   await wb.evidence.batchNormCost(base, naive, frozen);        // drift per layer, and what it costs, paired
 */
import type * as tf from '@tensorflow/tfjs';
import { evaluate, type Evaluation } from '../ml/evaluate';
import { asLayersModel, type AnyModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { fail, pass, type CheckResult } from './checks';
import { percent, textTable, workbookElement } from './dom';
import { comparisonView, compareEvaluations } from './intervals';
import type { Session } from './session';

/** How far one BN layer's moving statistics are from the pre-trained ones. */
export interface LayerDrift {
  layer: string;
  /** Mean over channels of |μ − μ₀| / σ₀: how far the means moved, in the pre-trained spread. */
  meanShift: number;
  /** The largest shift of any channel. */
  maxShift: number;
  /** Mean over channels of |log(σ² / σ₀²)|: 0.1 is about a 10 % change of the variance. */
  logVarianceChange: number;
}

/** Every BatchNormalization layer's moving mean and variance, by layer name (the reference reading). */
export function movingStatistics(model: tf.LayersModel): Map<string, { mean: Float32Array; variance: Float32Array }> {
  const stats = new Map<string, { mean: Float32Array; variance: Float32Array }>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const [, , mean, variance] = layer.getWeights();
    stats.set(layer.name, { mean: mean!.dataSync() as Float32Array, variance: variance!.dataSync() as Float32Array });
  }
  return stats;
}

/** Drift of every BN layer of `model` against the same-named layer of `reference` (e.g. the pre-trained base). */
export function driftAgainst(reference: tf.LayersModel, model: tf.LayersModel): LayerDrift[] {
  const ref = movingStatistics(reference);
  return [...movingStatistics(model)]
    .filter(([name]) => ref.has(name))
    .map(([layer, s]) => {
      const r = ref.get(layer)!;
      const shifts = Array.from(r.mean, (m, i) => Math.abs(s.mean[i]! - m) / Math.sqrt(r.variance[i]! + 1e-3));
      const logVar = Array.from(r.variance, (v, i) => Math.abs(Math.log((s.variance[i]! + 1e-12) / (v + 1e-12))));
      return {
        layer,
        meanShift: shifts.reduce((a, b) => a + b, 0) / shifts.length,
        maxShift: Math.max(...shifts),
        logVarianceChange: logVar.reduce((a, b) => a + b, 0) / logVar.length,
      };
    });
}

/** Flattens a learner's snapshot (arrays, typed arrays, tensors' data) to one list of numbers, or null. */
function flatten(snapshot: unknown): number[] | null {
  if (!Array.isArray(snapshot)) return null;
  const out: number[] = [];
  for (const part of snapshot) {
    if (typeof part === 'number') out.push(part);
    else if (Array.isArray(part) || ArrayBuffer.isView(part)) out.push(...Array.from(part as ArrayLike<number>));
    else return null;
  }
  return out;
}

/**
 * Lesson 6: `before` and `after` are every BN layer's moving mean and variance, taken before and after a naive
 * fit of `model` (frozen base, training mode). Passes when before equals the pre-trained statistics, after equals
 * what the model holds now, and the fit moved them (which a training-mode base always does).
 */
export function batchNormDrift(
  pretrained: tf.LayersModel,
  model: AnyModel,
  before: unknown,
  after: unknown,
): CheckResult {
  const m = asLayersModel(model, 'wb.check.batchNormDrift');
  const a = flatten(before);
  const b = flatten(after);
  if (!a || !b)
    return fail('The snapshots should be arrays (one per statistic) of numbers.', [
      'A snapshot is plain numbers, copied out of the tensors, so that later training cannot change it.',
      'A tensor gives its numbers with dataSync(); Array.from turns them into an array.',
      'Map each weight w you keep to Array.from(w.dataSync()).',
    ]);
  const flat = (stats: Map<string, { mean: Float32Array; variance: Float32Array }>) =>
    [...stats.values()].flatMap((s) => [...s.mean, ...s.variance]);
  const now = movingStatistics(m);
  const want = flat(now);
  const layers = now.size;
  if (a.length === 0)
    return fail('Your snapshot is empty: it collected no statistics.', [
      'The statistics live in the BatchNormalization layers only: find those among the model’s layers, then read their moving mean and variance.',
      'layer.getClassName() names a layer’s kind; layer.getWeights() gives its weights, for BatchNorm [gamma, beta, moving mean, moving variance].',
      'Filter m.layers on getClassName() === "BatchNormalization", then flatMap each to its weights 2 and 3, each as Array.from(w.dataSync()).',
    ]);
  if (a.length !== want.length) {
    const tooMany = a.length > want.length;
    return fail(
      `Your snapshot has ${a.length.toLocaleString('en-US')} numbers; the ${layers} BatchNorm layers hold ${want.length.toLocaleString('en-US')} moving means and variances.`,
      tooMany
        ? [
            'Only the moving statistics drift in training mode; gamma and beta are learned weights.',
            'Take only the moving mean and moving variance (weights 2 and 3), not gamma and beta (0 and 1).',
          ]
        : [
            'Every BatchNorm layer has its own statistics, frozen or not: a frozen layer in training mode moves them too.',
            'Take every BatchNormalization layer, and both its moving mean (weight 2) and variance (weight 3).',
          ],
    );
  }
  const reference = flat(movingStatistics(pretrained));
  const same = (x: number[], y: number[]) =>
    x.length === y.length && x.every((v, i) => Math.abs(v - y[i]!) <= 1e-6 * Math.max(1, Math.abs(y[i]!)));
  if (!same(b, want)) {
    return same(b, a) && !same(a, reference)
      ? fail(
          'Your two snapshots are equal, but they are not the moving statistics: gamma and beta (weights 0 and 1) never move without gradients.',
          [
            'The statistics that training mode moves are the moving mean and variance, not the learned gamma and beta.',
            'The moving mean and variance are weights 2 and 3 of a BatchNormalization layer.',
          ],
        )
      : fail('The “after” snapshot is not what the model holds now.', [
          'The “after” snapshot must be the statistics the model holds once fit is done.',
          'Take it with the same function, after fit, from the same model.',
        ]);
  }
  if (!same(a, reference))
    return fail('The “before” snapshot is not the pre-trained statistics.', [
      'The “before” snapshot must be the statistics the model started with, the pre-trained ones.',
      'Take it before fit, from the fresh transfer model.',
    ]);
  const drift = driftAgainst(pretrained, m);
  const moved = a.filter((v, i) => v !== b[i]).length;
  if (moved === 0)
    return fail('Not one moving statistic changed: did fit run on this model?', [
      'Run the cell as it is: the naive fit is what moves them.',
      'The order is: snapshot “before”, fit the same model (its BatchNorm layers in training mode), snapshot “after”.',
    ]);
  const top = drift.reduce((x, y) => (y.meanShift > x.meanShift ? y : x));
  // What gradient descent would change (kernels, gamma, beta): the frozen base's trainable = false must keep these.
  const learnedSame = m.layers.every((layer) => {
    const original = pretrained.layers.find((l) => l.name === layer.name);
    if (!original) return true; // the new head
    const bn = layer.getClassName() === 'BatchNormalization';
    const mine = layer.getWeights().filter((_, i) => !bn || i < 2);
    const theirs = original.getWeights().filter((_, i) => !bn || i < 2);
    return mine.every((w, i) => {
      const a = w.dataSync();
      const b = theirs[i]!.dataSync();
      return a.length === b.length && a.every((v, j) => v === b[j]);
    });
  });
  return pass(
    `${moved.toLocaleString('en-US')} of ${a.length.toLocaleString('en-US')} moving statistics of the ${layers} frozen BatchNorm layers moved; the largest mean shift is in ${top.layer} (${top.meanShift.toFixed(3)} σ on average, up to ${top.maxShift.toFixed(2)} σ). ${learnedSame ? 'Not one kernel, gamma or beta of the base changed: only the statistics moved.' : 'Some kernels, gammas or betas of the base changed too: was the base frozen before fit?'}`,
  );
}

/**
 * The cost of the drift: both models scored on the validation photos through the whole network (no cached
 * activations: the naive model's frozen layers are no longer the pre-trained ones), paired, with the drift of
 * every BN layer of `naive` against the pre-trained model drawn layer by layer.
 */
async function batchNormCost(session: Session, naive: AnyModel, frozen: AnyModel, names: [string, string]) {
  const out = cellOutput();
  const naiveModel = asLayersModel(naive, 'wb.evidence.batchNormCost');
  const frozenModel = asLayersModel(frozen, 'wb.evidence.batchNormCost');
  const pretrained = await session.loadModel(out);
  const drift = driftAgainst(pretrained, naiveModel);
  if (drift.length === 0)
    throw new Error(
      'wb.evidence.batchNormCost: the first model has no BatchNormalization layer of the pre-trained MobileNet',
    );
  out.progress(0, 'scoring both models on the validation photos, whole network…');
  const a = await evaluate(naiveModel, session.photos);
  out.throwIfStopped();
  const b = await evaluate(frozenModel, session.photos);
  out.progress(1, 'scored');
  const paired = compareEvaluations(a, b);
  const Plot = await import('@observablehq/plot');
  out.show(() => costView(drift, a, b, names, Plot));
  return { drift, naive: a, frozen: b, ...paired };
}

/** Drift per layer as a bar chart (mean shift in σ, variance change), then the paired accuracies. */
function costView(
  drift: LayerDrift[],
  a: Evaluation,
  b: Evaluation,
  names: [string, string],
  Plot: typeof import('@observablehq/plot'),
): HTMLElement {
  const view = workbookElement('div', 'batchnorm-cost');
  const rows = drift.flatMap((d, i) => [
    { i, layer: d.layer, measure: 'mean shift (σ₀)', value: d.meanShift },
    { i, layer: d.layer, measure: '|log variance ratio|', value: d.logVarianceChange },
  ]);
  const chart = Plot.plot({
    width: 640,
    height: 260,
    marginLeft: 48,
    marginBottom: 70,
    x: { label: null, tickRotate: -60, domain: drift.map((d) => d.layer) },
    y: { label: 'drift from the ImageNet statistics', grid: true },
    color: { domain: ['mean shift (σ₀)', '|log variance ratio|'], range: ['#4269d0', '#e8553f'], legend: true },
    // Lines, not stacked bars: the two measures have different units and must not add up.
    marks: [
      Plot.ruleY([0]),
      Plot.line(rows, { x: 'layer', y: 'value', stroke: 'measure', z: 'measure', strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'layer', y: 'value', fill: 'measure', r: 2.5, tip: true }),
    ],
  });
  chart.setAttribute('data-chart', 'batchnorm-drift');
  chart.setAttribute(
    'aria-label',
    `Drift of the moving statistics of ${drift.length} BatchNorm layers after the naive fit`,
  );
  view.dataset.largestShift = Math.max(...drift.map((d) => d.meanShift)).toFixed(4);
  view.dataset.largestLogVariance = Math.max(...drift.map((d) => d.logVarianceChange)).toFixed(4);
  view.append(chart);
  const top = [...drift].sort((x, y) => y.meanShift - x.meanShift).slice(0, 5);
  view.append(
    textTable(
      'The five BatchNorm layers that moved most',
      ['layer', 'mean shift (average, largest)', 'variance change (average |log ratio|)'],
      top.map((d) => [
        d.layer,
        `${d.meanShift.toFixed(3)} σ, up to ${d.maxShift.toFixed(2)} σ`,
        `${d.logVarianceChange.toFixed(3)} (about ${percent(Math.expm1(d.logVarianceChange), 0)})`,
      ]),
    ),
  );
  view.append(comparisonView(a, b, names[0], names[1]));
  return view;
}

/** The drift tools of `wb.evidence`. */
export function driftApi(session: Session) {
  return {
    /** Drift per BN layer of `naive`, and both models' validation accuracy, paired: what the drift costs. */
    batchNormCost: (naive: AnyModel, frozen: AnyModel, names: [string, string] = ['naive fit', 'workbook freeze']) =>
      batchNormCost(session, naive, frozen, names),
  };
}
