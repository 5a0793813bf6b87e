/**
 * "Fewer photos" as a real experiment: the course's set with only `perClass` training photos of each class, drawn
 * with a seed from the training split alone. Validation (and test) photos are untouched, so a run on 10 photos a
 * class is scored on the very same 78 validation photos as a run on all 234, and the two accuracies, each with its
 * Wilson interval, can be compared. The draw is data-efficiency.ts's subsetPerClass, the one the probe curves use.
 */
import { PhotoSet, type PhotoIndex } from './dataset';
import { subsetPerClass } from './data-efficiency';

/** Which training photos a run uses: `perClass` of each class, drawn with `seed` (default 1). */
export interface PhotoChoice {
  perClass: number;
  seed?: number;
}

/** The set each subset was drawn from, so training can keep reading the full set's cached activations. */
const parents = new WeakMap<PhotoSet, PhotoSet>();

/**
 * The set with `perClass` seeded training photos of each class and every validation and test photo. Pixels come
 * from the full set (decoded once per page, shared); an impossible size is refused with the largest possible one.
 */
export function trainingSubset(set: PhotoSet, choice: PhotoChoice): PhotoSet {
  const { perClass, seed = 1 } = choice;
  if (!Number.isInteger(seed)) throw new Error(`a subset's seed must be a whole number, not ${seed}`);
  const keep = subsetPerClass(set.select('train'), set.labels, perClass, seed);
  const index: PhotoIndex = {
    labels: [...set.labels],
    split: { ...set.index.split },
    photos: set.index.photos.filter((p) => p.split !== 'train' || keep.has(p.file)),
  };
  const subset = new PhotoSet(index, (file) => set.image(file), { keepDecoded: false });
  parents.set(subset, parentSet(set));
  return subset;
}

/** The full set a subset was drawn from (itself for a set that is no subset). */
export function parentSet(set: PhotoSet): PhotoSet {
  return parents.get(set) ?? set;
}
