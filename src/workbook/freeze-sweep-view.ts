/**
 * What a freeze-point sweep looks like on the page (DOM, Observable Plot): one chart with two panels sharing the
 * freeze point as x — validation accuracy (each seed, the mean with its interval over seeds, and Wilson's interval
 * on the pooled count) above, seconds per epoch (log scale) below — then a table, then the paired comparisons with
 * the first point, which say in words whether 78 validation photos can tell each point from it.
 */
import { compareSweepPoints, smallestSeparable, type SweepPoint } from '../ml/freeze-sweep';
import { blockNameOf } from '../ml/layers';
import { count, duration, percent, textTable, workbookElement } from './dom';

type PlotModule = typeof import('@observablehq/plot');

/** What trains at a freeze point, in words: "head only", "blocks 12–13 + head", "every layer". */
export function trainsText(point: SweepPoint): string {
  if (point.freezeIndex === 0) return 'every layer';
  if (point.runs[0]?.record.cutAt === point.freezeAt) return 'head only';
  const block = blockNameOf(point.firstTrainable);
  const n = block?.startsWith('block ') ? Number(block.slice(6)) : NaN;
  if (Number.isFinite(n)) return n === 13 ? 'block 13 + head' : `blocks ${n}–13 + head`;
  return `from ${point.firstTrainable} on`;
}

/** The chart: accuracy with intervals (top) and seconds per epoch (bottom), against the freeze point. */
export function sweepChart(points: readonly SweepPoint[], Plot: PlotModule): HTMLElement {
  const figure = workbookElement('figure', 'freeze-sweep-chart');
  figure.dataset.chart = 'freeze-sweep';
  const labels = points.map((p) => p.label);
  const x = { domain: labels, label: 'freeze point (more layers train →)', tickRotate: labels.length > 4 ? -20 : 0 };
  const means = points.map((p) => ({
    label: p.label,
    mean: p.mean.estimate,
    seedLow: Math.max(0, p.mean.low),
    seedHigh: Math.min(1, p.mean.high),
    low: p.pooled.low,
    high: p.pooled.high,
  }));
  const seeds = points.flatMap((p) => p.runs.map((r) => ({ label: p.label, seed: r.seed, acc: r.correct / r.total })));
  const accuracy = Plot.plot({
    width: 640,
    height: 260,
    marginLeft: 52,
    marginBottom: 50,
    x: { ...x, type: 'point', padding: 0.4 },
    y: { label: 'validation accuracy', domain: [0.5, 1], grid: true, tickFormat: '.0%' },
    marks: [
      // Wilson's interval on the pooled count (thin) and the interval of the mean over seeds (thick).
      Plot.ruleX(means, {
        x: 'label',
        y1: 'low',
        y2: 'high',
        stroke: '#4269d0',
        strokeOpacity: 0.45,
        strokeWidth: 1.5,
      }),
      Plot.ruleX(means, { x: 'label', y1: 'seedLow', y2: 'seedHigh', stroke: '#4269d0', strokeWidth: 5 }),
      Plot.dot(seeds, { x: 'label', y: 'acc', stroke: '#e8553f', r: 2.5, dx: 8 }),
      Plot.dot(means, { x: 'label', y: 'mean', fill: '#4269d0', r: 4 }),
    ],
  });
  accuracy.setAttribute(
    'aria-label',
    `Validation accuracy at ${points.length} freeze points: each seed, the mean with its interval, and the pooled Wilson interval`,
  );
  const cost = Plot.plot({
    width: 640,
    height: 180,
    marginLeft: 52,
    marginBottom: 50,
    x: { ...x, type: 'point', padding: 0.4 },
    y: { label: 'seconds per epoch', type: 'log', grid: true },
    marks: [
      Plot.line(points, { x: 'label', y: 'secondsPerEpoch', stroke: '#555' }),
      Plot.dot(points, { x: 'label', y: 'secondsPerEpoch', fill: '#555', r: 3 }),
    ],
  });
  cost.setAttribute('aria-label', `Seconds per training epoch at ${points.length} freeze points, on a log scale`);
  const caption = document.createElement('figcaption');
  caption.textContent =
    'Top: validation accuracy — red dots are single seeds, the blue dot their mean, the thick bar the 95 % interval ' +
    'of that mean over seeds, the thin bar Wilson’s 95 % interval on all seeds’ answers pooled. Bottom: seconds ' +
    'per training epoch on this machine (log scale).';
  figure.append(accuracy, cost, caption);
  return figure;
}

/** The table: per point what trains, the weights, each seed's count, the mean and pooled intervals, the cost. */
export function sweepTable(points: readonly SweepPoint[]): HTMLTableElement {
  const first = points[0];
  const table = textTable(
    `Freeze-point sweep: ${first?.runs.length ?? 0} seeds per point, ${first?.runs[0]?.record.epochs ?? 0} epochs per run, validation photos`,
    [
      'freeze point',
      'trains',
      'trainable weights',
      'correct per seed',
      'mean over seeds [95 %]',
      'pooled [Wilson 95 %]',
      's / epoch',
      '× first',
    ],
    points.map((p) => [
      p.label,
      trainsText(p),
      count(p.trainableParams),
      `${p.runs.map((r) => r.correct).join(', ')} of ${p.runs[0]?.total ?? 0}`,
      `${percent(p.mean.estimate)} [${percent(Math.max(0, p.mean.low))}, ${percent(Math.min(1, p.mean.high))}]`,
      `${percent(p.pooled.estimate)} [${percent(p.pooled.low)}, ${percent(p.pooled.high)}] · ${p.pooled.correct}/${p.pooled.total}`,
      duration(p.secondsPerEpoch),
      first ? `${(p.secondsPerEpoch / first.secondsPerEpoch).toFixed(1)}×` : '–',
    ]),
  );
  table.className = 'wb-table';
  table.dataset.wb = 'freeze-sweep-table';
  [...table.tBodies[0]!.rows].forEach((row, i) => {
    row.dataset.freezeAt = points[i]!.freezeAt;
    row.dataset.valAcc = String(points[i]!.pooled.estimate);
  });
  return table;
}

/** The comparisons with the first point, in words: what the photos can and cannot separate. */
export function comparisonsText(points: readonly SweepPoint[]): HTMLElement {
  const box = workbookElement('div', 'freeze-sweep-comparisons');
  const first = points[0];
  const photos = first?.runs[0]?.total ?? 0;
  if (!first || photos === 0) return box;
  const smallest = smallestSeparable(photos);
  const intro = document.createElement('p');
  intro.textContent =
    `Compared photo by photo with ${first.label} (a photo counts for the setting that got it right in more seeds; ` +
    `McNemar's exact test). With ${photos} validation photos no gap under ${smallest.photos} photos ` +
    `(${percent(smallest.share)}) can ever be told from chance, however many seeds run.`;
  const list = document.createElement('ul');
  for (const p of points.slice(1)) {
    const c = compareSweepPoints(p, first);
    const item = document.createElement('li');
    item.dataset.insideNoise = String(c.insideNoise);
    const points = (c.difference * 100).toFixed(1);
    item.textContent =
      `${p.label}: ${c.difference >= 0 ? '+' : ''}${points} points; better on ${c.photosBetterA} photos, worse on ` +
      `${c.photosBetterB}; p = ${c.pValue.toFixed(2)}: ` +
      (c.insideNoise ? 'inside the noise of these photos.' : 'more than these photos would give by chance.');
    list.append(item);
  }
  box.append(intro, list);
  return box;
}

/** The whole view: chart, table, comparisons. */
export function sweepView(points: readonly SweepPoint[], Plot: PlotModule): HTMLElement {
  const view = workbookElement('div', 'freeze-sweep');
  view.dataset.points = String(points.length);
  view.append(sweepChart(points, Plot), sweepTable(points), comparisonsText(points));
  return view;
}
