/**
 * Shared set-up for the tests of the persistent activation store (activation-store.test.ts, the store's keys and
 * policy; activation-cache-store-use.test.ts, when the cache asks it): the real MobileNet and 9 real photos, the page's
 * store reset after every test, and a persistence setup over a given store.
 */
import type * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll } from 'vitest';
import { useActivationStore, type ActivationStore, type PersistenceSetup } from '../../src/ml/activation-persist';
import type { PhotoSet } from '../../src/ml/dataset';
import { loadRealModel, photoSubset, realPhotoSet } from './training';

/** What a store test runs on: the real pre-trained model and a small photo set of real photos. */
export interface StoreTestBed {
  /** The real MobileNet, as loaded from the assets (its weights are part of every store key). */
  base: tf.LayersModel;
  /** 2 train and 1 validation photo per label: 9 photos, enough to see reads, writes and misses, quick to compute. */
  photos: PhotoSet;
}

/**
 * Registers the file's hooks: before its tests, loads the test bed and hands it to `use` (the file keeps it in its
 * own variables); after each test, takes away the page's store, so a test that sets one up cannot leak it into the
 * next (the shared caches would read it).
 */
export function onStoreTestBed(use: (bed: StoreTestBed) => void): void {
  beforeAll(async () => {
    use({ base: await loadRealModel(), photos: photoSubset(realPhotoSet(), { train: 2, validation: 1 }) });
  }, 120_000);
  afterEach(() => useActivationStore(null));
}

/**
 * A persistence setup over `store`: the photo set's stamp and the decoder's name are part of every key, so a test
 * changes one to see a miss.
 */
export const setupFor = (store: ActivationStore, stamp = 'stamp-1', decoder = 'node jpeg-js'): PersistenceSetup => ({
  store,
  assetStamp: stamp,
  decoder,
});
