/**
 * How many photos do the ImageNet weights save? Train the same linear probe on the last block's pooled features
 * with 5, 10, 25, … training photos per class (seeded subsets, several seeds), once on ImageNet features and once
 * on the randomly initialised network's, and score each on the whole validation set. Good features need few
 * examples: the gap between the two curves at 5 photos a class is the forum question's answer in one number.
 */
import type { PhotoEntry, PhotoSet } from './dataset';
import type { PooledFeatures } from './pooled-features';
import { featuresBySplit, fitLinearProbe, scoreProbe, type ProbeOptions, type ProbeScore } from './probe';
import { deriveSeed, shuffledIndices } from './seeded';
import { meanInterval, type MeanInterval } from './stats';

/** Photos per class for one point of the curve: a number, or 'all' for every training photo. */
export type SizePerClass = number | 'all';

/** One point of the curve: a training-set size, each seed's score and the mean over seeds with its interval. */
export interface EfficiencyPoint {
  perClass: SizePerClass;
  /** Training photos actually used (per class × classes, or all). */
  trainPhotos: number;
  runs: (ProbeScore & { seed: number })[];
  /** Mean validation accuracy over the seeds, with its 95 % interval (Student's t over seeds). */
  mean: MeanInterval;
}

/** The training photos of a seeded subset: `perClass` of each class, drawn without replacement. */
export function subsetPerClass(
  train: readonly PhotoEntry[],
  labels: readonly string[],
  perClass: SizePerClass,
  seed: number,
): Set<string> {
  if (perClass === 'all') return new Set(train.map((p) => p.file));
  if (!Number.isInteger(perClass) || perClass < 1)
    throw new Error(
      `a training-set size must be a positive whole number of photos per class (or 'all'), got ${perClass}`,
    );
  const chosen = new Set<string>();
  for (const [c, label] of labels.entries()) {
    const ofClass = train.filter((p) => p.label === label);
    if (perClass > ofClass.length) {
      throw new Error(
        `${perClass} photos per class is more than the ${ofClass.length} training photos of "${label}"; the largest size is ${Math.min(...labels.map((l) => train.filter((p) => p.label === l).length))} (or 'all')`,
      );
    }
    for (const i of shuffledIndices(ofClass.length, deriveSeed(seed, c)).slice(0, perClass))
      chosen.add(ofClass[i]!.file);
  }
  return chosen;
}

/**
 * Validation accuracy of a linear probe on `layer`'s pooled features against training photos per class.
 * @param pooled features of the training and validation photos (probeFeatures), from either network
 * @param sizes e.g. [5, 10, 25, 50, 'all']
 * @param seeds each seed draws its own subsets and starting weights; at least two, so the mean has an interval
 */
export function dataEfficiency(
  pooled: PooledFeatures,
  photos: PhotoSet,
  options: ProbeOptions & { layer?: string; sizes?: readonly SizePerClass[]; seeds?: readonly number[] } = {},
): EfficiencyPoint[] {
  const { layer = 'conv_pw_13_relu', sizes = [5, 10, 25, 50, 'all'], seeds = [1, 2, 3] } = options;
  if (seeds.length < 2)
    throw new Error(
      `data efficiency needs at least two seeds for an interval, got ${seeds.length === 0 ? 'an empty list' : `only seed ${seeds[0]}`}`,
    );
  if (sizes.length === 0) throw new Error('data efficiency needs at least one training-set size');
  const train = photos.select('train');
  // Check every size before the first fit, so a bad size fails at once and not after minutes of work.
  for (const size of sizes) subsetPerClass(train, photos.labels, size, seeds[0]!);
  return sizes.map((perClass) => {
    const runs = seeds.map((seed) => {
      const keep = subsetPerClass(train, photos.labels, perClass, seed);
      const split = featuresBySplit(pooled, photos, layer, (p) => p.split !== 'train' || keep.has(p.file));
      const probe = fitLinearProbe(split.train.x, split.train.y, photos.labels.length, { ...options, seed });
      return { seed, ...scoreProbe(probe, split.validation.x, split.validation.y) };
    });
    const trainPhotos = perClass === 'all' ? train.length : perClass * photos.labels.length;
    return { perClass, trainPhotos, runs, mean: meanInterval(runs.map((r) => r.accuracy)) };
  });
}
