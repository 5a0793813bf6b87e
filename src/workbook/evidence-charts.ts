/**
 * The evidence charts (DOM, Observable Plot): accuracy against depth and against training photos per class, each
 * for the ImageNet network and its random-weights twin, every point with its 95 % interval drawn as a vertical bar.
 * A bar is the honest part of the picture: where two bars overlap, 78 validation photos cannot tell the points apart.
 */
import type { EfficiencyPoint } from '../ml/data-efficiency';
import type { DepthPoint } from './evidence';
import { percent, textTable, workbookElement } from './dom';

type PlotModule = typeof import('@observablehq/plot');

/** One colour per network, the same in every chart. */
const NETWORK_COLOURS = { domain: ['ImageNet weights', 'random weights'], range: ['#4269d0', '#e8553f'] };
const networkName = (n: 'imagenet' | 'random') => (n === 'imagenet' ? 'ImageNet weights' : 'random weights');

/** Accuracy against depth (stem, 1 … 13), one line per network, with interval bars and a chance line at 1/3. */
export function depthChart(points: readonly DepthPoint[], Plot: PlotModule): Element {
  const data = points.map((p) => ({
    ...p,
    series: networkName(p.network),
    low: p.interval.low,
    high: p.interval.high,
  }));
  const blocks = [...new Set(points.map((p) => p.block))];
  const chart = Plot.plot({
    width: 640,
    height: 300,
    marginLeft: 48,
    x: {
      label: 'depth (block end)',
      domain: [-0.5, blocks.length - 0.5],
      ticks: blocks.map((_, i) => i),
      tickFormat: (i: number) => (i === 0 ? 'stem' : String(i)),
    },
    y: { label: 'validation accuracy', domain: [0, 1], grid: true, tickFormat: '.0%' },
    color: { ...NETWORK_COLOURS, legend: true },
    marks: [
      Plot.ruleY([1 / 3], { stroke: '#999', strokeDasharray: '4,4' }),
      // Interval bars, nudged apart so both networks' bars stay visible where they overlap.
      Plot.ruleX(
        data.filter((d) => d.network === 'imagenet'),
        { x: 'depth', y1: 'low', y2: 'high', stroke: 'series', strokeWidth: 2, strokeOpacity: 0.5, dx: -3 },
      ),
      Plot.ruleX(
        data.filter((d) => d.network === 'random'),
        { x: 'depth', y1: 'low', y2: 'high', stroke: 'series', strokeWidth: 2, strokeOpacity: 0.5, dx: 3 },
      ),
      Plot.line(data, { x: 'depth', y: 'accuracy', stroke: 'series', z: 'series', strokeWidth: 2 }),
      Plot.dot(data, {
        x: 'depth',
        y: 'accuracy',
        fill: 'series',
        r: 3,
        tip: true,
        title: (d: DepthPoint & { series: string }) =>
          `${d.series}, ${d.block}: ${percent(d.accuracy)} [${percent(d.interval.low)}, ${percent(d.interval.high)}] (${d.correct}/${d.total})`,
      }),
    ],
  });
  chart.setAttribute(
    'aria-label',
    `Validation accuracy of a linear probe against depth, ImageNet and random weights, ${points.length} probes`,
  );
  chart.setAttribute('data-chart', 'depth');
  return chart;
}

/** Accuracy against training photos per class (log scale), mean over seeds with its 95 % interval, both networks. */
export function efficiencyChart(
  imagenet: readonly EfficiencyPoint[],
  random: readonly EfficiencyPoint[],
  Plot: PlotModule,
): HTMLElement {
  const view = workbookElement('div', 'photos-per-class');
  const rows = [
    ...imagenet.map((p) => ({ p, series: 'ImageNet weights' })),
    ...random.map((p) => ({ p, series: 'random weights' })),
  ].map(({ p, series }) => ({
    series,
    perClass: p.perClass,
    photos: p.trainPhotos,
    accuracy: p.mean.estimate,
    low: Math.max(0, p.mean.low),
    high: Math.min(1, p.mean.high),
    seeds: p.runs.length,
  }));
  const chart = Plot.plot({
    width: 640,
    height: 300,
    marginLeft: 48,
    x: { label: 'training photos (all classes together)', type: 'log' },
    y: { label: 'validation accuracy (mean over seeds)', domain: [0, 1], grid: true, tickFormat: '.0%' },
    color: { ...NETWORK_COLOURS, legend: true },
    marks: [
      Plot.ruleY([1 / 3], { stroke: '#999', strokeDasharray: '4,4' }),
      Plot.ruleX(rows, { x: 'photos', y1: 'low', y2: 'high', stroke: 'series', strokeWidth: 2, strokeOpacity: 0.5 }),
      Plot.line(rows, { x: 'photos', y: 'accuracy', stroke: 'series', z: 'series', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'photos', y: 'accuracy', fill: 'series', r: 3, tip: true }),
    ],
  });
  chart.setAttribute('data-chart', 'photos-per-class');
  chart.setAttribute(
    'aria-label',
    'Validation accuracy against training photos, ImageNet and random features, with 95 % intervals over seeds',
  );
  view.append(chart);
  const fmt = (p: EfficiencyPoint) =>
    `${percent(p.mean.estimate)} [${percent(Math.max(0, p.mean.low))}, ${percent(Math.min(1, p.mean.high))}]`;
  view.append(
    textTable(
      `Mean validation accuracy over ${imagenet[0]?.runs.length ?? 0} seeds, with the 95 % interval of the mean`,
      ['photos per class', 'training photos', 'ImageNet weights', 'random weights'],
      imagenet.map((p, i) => [String(p.perClass), String(p.trainPhotos), fmt(p), random[i] ? fmt(random[i]!) : '–']),
    ),
  );
  return view;
}
