/**
 * `wb.evidence`: lesson 3's measurements of *why* transfer works, on this page's model and photos.
 *
 *   const set = await wb.evidence.probeSet('conv_pw_13_relu');   // standardised pooled features, train + validation
 *   await wb.check.linearProbe(probe);                           // the learner's probe, judged on held-out photos
 *   await wb.evidence.depths(probe);                              // that probe at every block end, ImageNet vs random
 *   await wb.evidence.photosPerClass();                           // accuracy against training photos per class
 *
 * The pooled features of the training and validation photos at all 14 block ends are computed once per page for
 * both networks (ImageNet weights, and the same architecture with seeded random weights whose BatchNorm statistics
 * are calibrated on training photos: src/ml/pooled-features.ts). Every probe after that costs milliseconds.
 */
import type * as tf from '@tensorflow/tfjs';
import { dataEfficiency, type EfficiencyPoint, type SizePerClass } from '../ml/data-efficiency';
import { BLOCK_ENDS, randomBaseline, type PooledFeatures } from '../ml/pooled-features';
import { featuresBySplit, probeFeatures } from '../ml/probe';
import { wilsonInterval, type Interval } from '../ml/stats';
import { cellOutput } from './cell-output';
import { tfReady } from './intervals';
import { percent, textTable, workbookElement } from './dom';
import { depthChart, efficiencyChart } from './evidence-charts';
import type { Session } from './session';

/** Which weights the features come from: ImageNet's, or the same network's random initialisation. */
export type Network = 'imagenet' | 'random';

/** One layer's probe data: standardised features ([photos, channels]) and one-hot labels ([photos, classes]). */
export interface ProbeSet {
  layer: string;
  block: string;
  train: { x: tf.Tensor2D; y: tf.Tensor2D };
  validation: { x: tf.Tensor2D; y: tf.Tensor2D; labels: number[] };
}

/** A probe as the learner writes it: fit on `train`, return class probabilities for every row of `validationX`. */
export type Probe = (
  train: { x: tf.Tensor2D; y: tf.Tensor2D },
  validationX: tf.Tensor2D,
) => Promise<tf.Tensor | number[][]> | tf.Tensor | number[][];

/** One point of a depth curve. */
export interface DepthPoint {
  network: Network;
  depth: number;
  block: string;
  layer: string;
  correct: number;
  total: number;
  accuracy: number;
  interval: Interval;
}

/** The evidence tools over one page's session. */
export function evidenceApi(session: Session) {
  const cache = new Map<Network, Promise<PooledFeatures>>();

  /** Pooled features of the training and validation photos at every block end, computed once per page. */
  function pooled(network: Network): Promise<PooledFeatures> {
    if (network !== 'imagenet' && network !== 'random')
      throw new Error(`network must be 'imagenet' or 'random', not ${JSON.stringify(network)}`);
    let pending = cache.get(network);
    if (!pending) {
      const out = cellOutput();
      pending = (async () => {
        await tfReady();
        const model = await session.loadModel(out);
        out.progress(0, `pooled features at 14 depths, ${network === 'imagenet' ? 'ImageNet' : 'random'} weights…`);
        // The random twin: seeded, so every learner (and the prose) sees the same "random" network.
        const net = network === 'imagenet' ? model : await randomBaseline(model, session.photos, 1);
        try {
          const features = await probeFeatures(net, session.photos);
          out.progress(
            1,
            `pooled features, ${network === 'imagenet' ? 'ImageNet' : 'random'} weights: ${features.seconds.toFixed(1)} s`,
          );
          return features;
        } finally {
          if (net !== model) net.dispose();
        }
      })();
      pending.catch(() => cache.delete(network));
      cache.set(network, pending);
    }
    return pending;
  }

  /** Standardised probe data of one layer (mean 0, spread 1 per channel, from the training photos only). */
  async function probeSet(layer = 'conv_pw_13_relu', network: Network = 'imagenet'): Promise<ProbeSet> {
    const tfjs = await tfReady();
    if (!BLOCK_ENDS.some((b) => b.layer === layer)) {
      throw new Error(`"${layer}" is not a block end; probes run at ${BLOCK_ENDS.map((b) => b.layer).join(', ')}`);
    }
    const split = featuresBySplit(await pooled(network), session.photos, layer);
    const d = split.train.x[0]!.length;
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    for (const row of split.train.x) for (let j = 0; j < d; j++) mean[j]! += row[j]! / split.train.x.length;
    for (const row of split.train.x)
      for (let j = 0; j < d; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / split.train.x.length;
    // A channel that never fires (a dead filter) carries nothing: scale 1 instead of dividing by 0.
    for (let j = 0; j < d; j++) scale[j] = scale[j]! > 1e-12 ? Math.sqrt(scale[j]!) : 1;
    const matrix = (rows: Float32Array[]) =>
      tfjs.tensor2d(
        rows.map((r) => Array.from(r, (v, j) => (v - mean[j]!) / scale[j]!)),
        [rows.length, d],
      );
    const classes = session.photos.labels.length;
    const oneHot = (y: number[]) => tfjs.oneHot(tfjs.tensor1d(y, 'int32'), classes).toFloat() as tf.Tensor2D;
    return {
      layer,
      block: BLOCK_ENDS.find((b) => b.layer === layer)!.block,
      train: { x: matrix(split.train.x), y: oneHot(split.train.y) },
      validation: { x: matrix(split.validation.x), y: oneHot(split.validation.y), labels: split.validation.y },
    };
  }

  /** Runs `probe` on one layer's data and scores its probabilities on the validation photos. */
  async function score(
    probe: Probe,
    layer: string,
    network: Network,
  ): Promise<{ point: DepthPoint; probabilities: number[][] }> {
    const set = await probeSet(layer, network);
    try {
      const probabilities = await probabilitiesOf(await probe(set.train, set.validation.x));
      // A probe of the wrong rank (one number per photo, a single number, a class axis of its own) gets no photo
      // right here instead of crashing: lesson 3's check then names its shape, with the ladder.
      const right = Array.isArray(probabilities)
        ? probabilities.map((p, i) => Array.isArray(p) && p.indexOf(Math.max(...p)) === set.validation.labels[i])
        : [];
      const correct = right.filter(Boolean).length;
      const total = set.validation.labels.length;
      const depth = BLOCK_ENDS.findIndex((b) => b.layer === layer);
      return {
        point: {
          network,
          depth,
          block: set.block,
          layer,
          correct,
          total,
          accuracy: correct / total,
          interval: wilsonInterval(correct, total),
        },
        probabilities,
      };
    } finally {
      for (const t of [set.train.x, set.train.y, set.validation.x, set.validation.y]) t.dispose();
    }
  }

  return {
    /** Pooled features of the training and validation photos at every block end (once per page per network). */
    features: pooled,
    probeSet,
    /** Your probe on one layer: its validation accuracy with a Wilson 95 % interval, and its probabilities. */
    score,
    /**
     * Your probe at every block end (stem, blocks 1–13), once on the ImageNet network's features and once on the
     * random twin's: a chart of validation accuracy against depth with 95 % intervals, a table, and the points.
     */
    async depths(probe: Probe): Promise<DepthPoint[]> {
      const out = cellOutput();
      const started = performance.now();
      await pooled('imagenet'); // one network at a time: half the memory, and a progress bar that reads right
      await pooled('random');
      const points: DepthPoint[] = [];
      for (const network of ['imagenet', 'random'] as const) {
        for (const { layer, block } of BLOCK_ENDS) {
          out.throwIfStopped();
          points.push((await score(probe, layer, network)).point);
          out.progress(
            points.length,
            2 * BLOCK_ENDS.length,
            `probe at ${block}, ${network === 'imagenet' ? 'ImageNet' : 'random'} weights`,
          );
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const Plot = await import('@observablehq/plot');
      out.show(() => depthView(points, seconds, Plot));
      return points;
    },
    /**
     * Validation accuracy of a linear probe on block 13's pooled features against training photos per class, for
     * ImageNet and random features, each size over `seeds` (mean with a 95 % interval over seeds), as one chart.
     */
    async photosPerClass(
      options: { sizes?: readonly SizePerClass[]; seeds?: readonly number[] } = {},
    ): Promise<{ imagenet: EfficiencyPoint[]; random: EfficiencyPoint[] }> {
      const out = cellOutput();
      const a = await pooled('imagenet');
      const b = await pooled('random');
      const sizes = options.sizes ?? [5, 10, 25, 50, 'all'];
      const seeds = options.seeds ?? [1, 2, 3, 4, 5];
      const imagenet = dataEfficiency(a, session.photos, { sizes, seeds });
      const random = dataEfficiency(b, session.photos, { sizes, seeds });
      const Plot = await import('@observablehq/plot');
      out.show(() => efficiencyChart(imagenet, random, Plot));
      return { imagenet, random };
    },
  };
}

/** A probe's output as rows of probabilities (a tensor is read and disposed). */
async function probabilitiesOf(value: tf.Tensor | number[][]): Promise<number[][]> {
  if (Array.isArray(value)) return value;
  if (value && typeof (value as tf.Tensor).array === 'function') {
    const rows = (await (value as tf.Tensor).array()) as number[][];
    (value as tf.Tensor).dispose();
    return rows;
  }
  throw new Error(
    `a probe must return the validation photos' class probabilities, a tensor [photos, classes]; got ${typeof value}`,
  );
}

/** The depth chart and its table (DOM). */
function depthView(
  points: readonly DepthPoint[],
  seconds: number,
  Plot: typeof import('@observablehq/plot'),
): HTMLElement {
  const view = workbookElement('div', 'depth-probes');
  view.dataset.seconds = seconds.toFixed(1);
  view.append(depthChart(points, Plot));
  const rows = BLOCK_ENDS.map(({ block }, depth) => {
    const cellOf = (network: Network) => {
      const p = points.find((q) => q.network === network && q.depth === depth);
      return p
        ? `${percent(p.accuracy)} [${percent(p.interval.low)}, ${percent(p.interval.high)}] (${p.correct}/${p.total})`
        : '–';
    };
    return [block, cellOf('imagenet'), cellOf('random')];
  });
  view.append(
    textTable(
      `Your probe at every depth, validation accuracy with 95 % interval (${seconds.toFixed(1)} s)`,
      ['depth', 'ImageNet weights', 'random weights'],
      rows,
    ),
  );
  return view;
}
