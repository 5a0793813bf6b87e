/**
 * Which photos the benchmark feeds the model, chosen the same way in Node and in the browser: training photos of
 * each label in turn (cat, dog, other, cat, …), so that every batch mixes the classes.
 */

/** The parts of photos/index.json this needs. */
export interface IndexLike {
  labels: string[];
  photos: { file: string; label: string; split: string }[];
}

/** `count` training photos, labels taken in turn; an error when the set is too small. */
export function pickPhotos(index: IndexLike, count: number): string[] {
  const byLabel = index.labels.map((l) =>
    index.photos.filter((p) => p.label === l && p.split === 'train').map((p) => p.file),
  );
  const picked: string[] = [];
  for (let i = 0; picked.length < count; i++) {
    const file = byLabel[i % byLabel.length]![Math.floor(i / byLabel.length)];
    if (file === undefined) throw new Error(`not enough training photos for a batch of ${count}`);
    picked.push(file);
  }
  return picked;
}

/** Seconds per repetition of `fn`, after one warm-up call (the first call compiles shaders and allocates). */
export async function timed(fn: () => Promise<void> | void, reps: number): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await fn();
    times.push((performance.now() - start) / 1000);
  }
  return times;
}
