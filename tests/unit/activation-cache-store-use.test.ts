/**
 * When the activation cache asks the persistent store, and when it does not (src/ml/activation-cache.ts with
 * activation-persist.ts), counted on a store that records its calls, on the real MobileNet's pooled features of 9
 * real photos: no store (persistence null) or no name for the prefix means no call at all, even with a page store
 * set up; what is already in memory is never asked for; what was read is not written back; the photos read are
 * counted across calls; a store that cannot be read says so and the photos are computed.
 */
import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ActivationCache, prefixFactory } from '../../src/ml/activation-cache';
import { useActivationStore, type ActivationStore } from '../../src/ml/activation-persist';
import type { PhotoSet } from '../../src/ml/dataset';
import { MOBILENET_LAYERS } from '../../src/ml/layers';
import { MemoryActivationStore } from '../../src/platform/activation-store';
import { onStoreTestBed, setupFor } from '../helpers/activation-store';

let base: tf.LayersModel;
let photos: PhotoSet;
const POOLED = MOBILENET_LAYERS.pooledFeatures;

onStoreTestBed((bed) => ({ base, photos } = bed));

/** A memory store that counts its reads and writes (and the photos asked for). */
function countingStore() {
  const inner = new MemoryActivationStore();
  const calls = { reads: 0, asked: 0, writes: 0 };
  const store: ActivationStore = {
    read: (group, files, floats) => (calls.reads++, (calls.asked += files.length), inner.read(group, files, floats)),
    write: (group, layer, rows) => (calls.writes++, inner.write(group, layer, rows)),
    clear: () => inner.clear(),
    groups: () => inner.groups(),
  };
  return { store, calls };
}

describe('when the cache uses the store', () => {
  it('never without a store or without a name for the prefix, even when the page has one', async () => {
    const page = countingStore();
    useActivationStore(setupFor(page.store));
    const entries = photos.select('validation');
    const folded = prefixFactory('folded');
    const none = new ActivationCache(base, photos, { prefix: folded, persistAs: 'folded', persistence: null });
    await none.activations(POOLED, entries);
    const unnamed = new ActivationCache(base, photos, { prefix: folded });
    await unnamed.activations(POOLED, entries);
    // Not tried at all, so no problem to report either.
    expect(none.storeProblem).toBeNull();
    expect(unnamed.storeProblem).toBeNull();
    const given = countingStore();
    await new ActivationCache(base, photos, { prefix: folded, persistence: setupFor(given.store) }).activations(
      POOLED,
      entries,
    );
    expect(page.calls).toEqual({ reads: 0, asked: 0, writes: 0 });
    expect(given.calls).toEqual({ reads: 0, asked: 0, writes: 0 });
  }, 120_000);

  it('asks only for what memory lacks, writes only what it computed, and counts what it read', async () => {
    const { store, calls } = countingStore();
    const cache = () =>
      new ActivationCache(base, photos, {
        prefix: prefixFactory('folded'),
        persistAs: 'folded',
        persistence: setupFor(store),
      });
    const first = cache();
    await first.activations(POOLED, photos.select());
    expect(calls).toEqual({ reads: 1, asked: 9, writes: 1 });
    await first.activations(POOLED, photos.select()); // all in memory: the store is not asked
    expect(calls).toEqual({ reads: 1, asked: 9, writes: 1 });

    const second = cache();
    await second.activations(POOLED, photos.select('train'));
    await second.activations(POOLED, photos.select()); // the validation photos: read too, nothing computed
    expect(calls).toEqual({ reads: 3, asked: 9 + 6 + 3, writes: 1 });
    expect(second.stats).toMatchObject({ fromStore: 9, fromPhotos: 0, hits: 6 });
  }, 120_000);

  it('a store that cannot be read says why, and the photos are computed', async () => {
    const unreadable: ActivationStore = {
      ...new MemoryActivationStore(),
      read: () => Promise.reject(new Error('NotReadableError')),
      write: () => Promise.resolve(true),
      clear: () => Promise.resolve(0),
      groups: () => Promise.resolve([]),
    };
    const cache = new ActivationCache(base, photos, {
      prefix: prefixFactory('folded'),
      persistAs: 'folded',
      persistence: setupFor(unreadable),
    });
    await cache.activations(POOLED, photos.select('validation'));
    expect(cache.storeProblem).toBe('the store could not be read: Error: NotReadableError');
    expect(cache.stats).toMatchObject({ fromStore: 0, fromPhotos: 3 });
  }, 120_000);

  it('stacks mirrored activations with the plain flag given once for all photos', async () => {
    const cache = new ActivationCache(base, photos, { prefix: prefixFactory('folded'), persistence: null });
    const entries = photos.select('validation');
    const mirrored = await cache.activations(POOLED, entries, true);
    const stacked = cache.stack(POOLED, entries, true);
    expect(stacked.shape).toEqual([3, 256]);
    expect([...(await stacked.data())]).toEqual(mirrored.flatMap((v) => [...v]));
    stacked.dispose();
  }, 120_000);
});
