/**
 * The training loop (src/ml/train.ts) uses its schedule and its seed. It is watched from outside: an ActivationCache
 * that records which photos each step asks for shows the batch order and mirroring, and plain SGD (whose step is
 * linear in the rate) shows which learning rate each step used. The "differs for another seed" test elsewhere is
 * satisfied by the head's initial weights alone; these pin the shuffle and the schedule themselves.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivationCache } from '../../src/ml/activation-cache';
import type { PhotoEntry, PhotoSet } from '../../src/ml/dataset';
import { coinFlips, deriveSeed, shuffledIndices } from '../../src/ml/seeded';
import { buildTransferModel, type TransferModel } from '../../src/ml/surgery';
import { train, type TrainOptions } from '../../src/ml/train';
import { loadRealModel, photoSubset, realPhotoSet } from '../helpers/training';

/** An activation cache that also records, for every training step, which photos it stacked and which mirrored. */
class RecordingCache extends ActivationCache {
  readonly steps: { files: string[]; mirrored: boolean[] }[] = [];
  trainFiles = new Set<string>();
  override stack(
    layer: string,
    entries: readonly PhotoEntry[],
    mirrored: boolean | readonly boolean[] = false,
  ): tf.Tensor {
    if (entries.every((e) => this.trainFiles.has(e.file))) {
      this.steps.push({
        files: entries.map((e) => e.file),
        mirrored: entries.map((_, i) => (typeof mirrored === 'boolean' ? mirrored : mirrored[i]!)),
      });
    }
    return super.stack(layer, entries, mirrored);
  }
}

describe('the training loop', () => {
  let base: tf.LayersModel;
  let photos: PhotoSet;
  let cache: RecordingCache;
  let trainSet: PhotoEntry[];
  const models: TransferModel[] = [];
  beforeAll(async () => {
    base = await loadRealModel();
    photos = photoSubset(realPhotoSet(), { train: 4, validation: 1 }); // 12 training photos, 3 held out
    trainSet = photos.select('train');
    cache = new RecordingCache(base, photos);
    cache.trainFiles = new Set(trainSet.map((e) => e.file));
  }, 300_000);
  afterAll(() => models.forEach((tm) => tm.model.dispose()));

  /** Trains a fresh head (seed 1) and returns the steps it took and its head's weights after. */
  async function run(options: TrainOptions): Promise<{ steps: RecordingCache['steps']; weights: Float32Array }> {
    const tm = buildTransferModel(base, { seed: 1 });
    models.push(tm);
    cache.steps.length = 0;
    await train(tm, photos, { cache, batchSize: 6, ...options });
    const kernel = tm.model.getLayer('head_logits').getWeights()[0]!;
    return { steps: [...cache.steps], weights: kernel.dataSync() as Float32Array };
  }

  /** The batches an epoch of `seed` must take: the seeded shuffle of the training photos, cut into 6s. */
  function expectedBatches(seed: number, epoch: number, augment: boolean): { files: string[]; mirrored: boolean[] }[] {
    const order = shuffledIndices(trainSet.length, deriveSeed(seed, epoch));
    const flips = coinFlips(trainSet.length, deriveSeed(seed, epoch, 1));
    return [order.slice(0, 6), order.slice(6, 12)].map((picked) => ({
      files: picked.map((i) => trainSet[i]!.file),
      mirrored: picked.map((i) => augment && flips[i]!),
    }));
  }

  it("takes each epoch's photos in the order the run seed and the epoch give, mirrored as their coin flips say", async () => {
    const { steps } = await run({ epochs: 2, seed: 5, augment: true });
    expect(steps).toEqual([...expectedBatches(5, 0, true), ...expectedBatches(5, 1, true)]);
    expect(steps[0]!.files).not.toEqual(steps[2]!.files); // epochs differ
    expect(steps.flatMap((s) => s.mirrored)).toContain(true);
    const other = await run({ epochs: 1, seed: 6 });
    expect(other.steps).toEqual(expectedBatches(6, 0, false));
    expect(other.steps.map((s) => s.files)).not.toEqual(steps.slice(0, 2).map((s) => s.files));
  }, 300_000);

  it('applies the cosine schedule: with SGD the second of two steps moves the weights half as far', async () => {
    const sgd: TrainOptions = { epochs: 1, optimizer: 'sgd', learningRate: 0.5, seed: 3 };
    const stop = new AbortController();
    const first = await run({ ...sgd, signal: stop.signal, onBatch: () => stop.abort() }); // after step 0 only
    const constant = await run({ ...sgd, schedule: 'constant' });
    const cosine = await run({ ...sgd, schedule: 'cosine' });
    // Step 0 runs at the base rate either way; step 1 at 0.5 (constant) or cosineRate(0.5, 1, 2) = 0.25 (cosine).
    const move = (w: Float32Array) => w.map((v, i) => v - first.weights[i]!);
    const constantMove = move(constant.weights),
      cosineMove = move(cosine.weights);
    const size = Math.max(...constantMove.map(Math.abs));
    expect(size).toBeGreaterThan(1e-3);
    expect(Math.max(...cosineMove.map((v, i) => Math.abs(v - 0.5 * constantMove[i]!))) / size).toBeLessThan(1e-3);
  }, 300_000);
});
