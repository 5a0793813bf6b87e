/**
 * Frozen activations kept beyond one page (src/ml/activation-persist.ts, the policy; src/platform/activation-store.ts,
 * the store) on the real MobileNet and real photos: a second cache reads what the first computed, bit for bit, and
 * computes nothing; anything that changes the activations (the weights, the layer, the prefix kind, mirroring, the
 * photo set's stamp, the decoder) changes the key, so a stale row is never read; a damaged row is computed again;
 * the cap evicts the least recently used layer; big early layers are not kept; a failing store only costs the
 * computing.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ActivationCache, prefixFactory } from '../../src/ml/activation-cache';
import {
  groupsToEvict,
  modelSha,
  MAX_BYTES_PER_PHOTO,
  useActivationStore,
  worthPersisting,
  type ActivationStore,
  type PersistenceSetup,
} from '../../src/ml/activation-persist';
import type { PhotoSet } from '../../src/ml/dataset';
import { MOBILENET_LAYERS } from '../../src/ml/layers';
import { MemoryActivationStore } from '../../src/platform/activation-store';
import { onStoreTestBed, setupFor } from '../helpers/activation-store';

let base: tf.LayersModel;
let photos: PhotoSet;
const POOLED = MOBILENET_LAYERS.pooledFeatures;

onStoreTestBed((bed) => ({ base, photos } = bed));

/** A shared-style cache (folded prefix, persisted under that name) over `store`. */
function cacheOver(setup: PersistenceSetup | null, model = base, set = photos): ActivationCache {
  return new ActivationCache(model, set, { prefix: prefixFactory('folded'), persistAs: 'folded', persistence: setup });
}

describe('a second cache over the same store', () => {
  it('reads back every photo bit for bit and computes nothing', async () => {
    const store = new MemoryActivationStore();
    const entries = photos.select();
    const first = cacheOver(setupFor(store));
    const computed = await first.activations(POOLED, entries);
    expect(first.stats).toMatchObject({ fromPhotos: entries.length, fromStore: 0 });
    expect(first.storeProblem).toBeNull();
    expect(await store.groups()).toHaveLength(1);

    const second = cacheOver(setupFor(store));
    const read = await second.activations(POOLED, entries);
    expect(second.stats).toMatchObject({ fromPhotos: 0, fromEarlierLayer: 0, fromStore: entries.length });
    read.forEach((values, i) => expect(Buffer.from(values.buffer).equals(Buffer.from(computed[i]!.buffer))).toBe(true));
  }, 120_000);

  it('uses the store set up for the page when none is given (the shared caches)', async () => {
    const store = new MemoryActivationStore();
    useActivationStore(setupFor(store));
    const make = () => new ActivationCache(base, photos, { prefix: prefixFactory('folded'), persistAs: 'folded' });
    await make().activations(POOLED, photos.select('train'));
    const again = make();
    await again.activations(POOLED, photos.select());
    // The train photos come from the store; only the validation photos are computed.
    expect(again.stats).toMatchObject({
      fromStore: photos.select('train').length,
      fromPhotos: photos.select('validation').length,
    });
  }, 120_000);
});

describe('a stale row is never read', () => {
  it('a different layer, mirroring, prefix kind, photo stamp or decoder misses; the same key hits', async () => {
    const store = new MemoryActivationStore();
    const entries = photos.select('validation');
    await cacheOver(setupFor(store)).activations(POOLED, entries);
    const fromStore = async (cache: ActivationCache, layer: string = POOLED, mirrored = false) => {
      await cache.activations(layer, entries, mirrored);
      return cache.stats.fromStore;
    };
    expect(await fromStore(cacheOver(setupFor(store)))).toBe(entries.length);
    expect(await fromStore(cacheOver(setupFor(store)), POOLED, true)).toBe(0);
    expect(await fromStore(cacheOver(setupFor(store)), 'conv_pw_13_relu')).toBe(0);
    expect(await fromStore(cacheOver(setupFor(store, 'stamp-2')))).toBe(0);
    expect(await fromStore(cacheOver(setupFor(store, 'stamp-1', 'another decoder')))).toBe(0);
    const layersKind = new ActivationCache(base, photos, {
      prefix: prefixFactory('layers'),
      persistAs: 'layers',
      persistence: setupFor(store),
    });
    expect(await fromStore(layersKind)).toBe(0);
    // A cache whose prefix has no name could not be keyed: it never persists.
    const unnamed = new ActivationCache(base, photos, {
      prefix: prefixFactory('folded'),
      persistence: setupFor(store),
    });
    await unnamed.activations(POOLED, entries);
    expect(unnamed.stats.fromStore).toBe(0);
  }, 240_000);

  it('changed weights give another model key, and miss', async () => {
    const copy = await tf.loadLayersModel({
      load: async () => {
        const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) =>
          base.save({
            save: async (a) => (
              resolve(a),
              { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
            ),
          }),
        );
        return artifacts;
      },
    });
    expect(await modelSha(copy)).toBe(await modelSha(base)); // the same bytes: the same key
    const conv = copy.getLayer('conv_pw_13');
    const [kernel, ...rest] = conv.getWeights();
    conv.setWeights([tf.mul(kernel!, 1.01), ...rest]);
    const changed = await tf.loadLayersModel({
      load: async () =>
        new Promise<tf.io.ModelArtifacts>((resolve) =>
          copy.save({
            save: async (a) => (
              resolve(a),
              { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
            ),
          }),
        ),
    });
    expect(await modelSha(changed)).not.toBe(await modelSha(base));

    const store = new MemoryActivationStore();
    const entries = photos.select('validation');
    await cacheOver(setupFor(store)).activations(POOLED, entries);
    const other = cacheOver(setupFor(store), changed);
    await other.activations(POOLED, entries);
    expect(other.stats).toMatchObject({ fromStore: 0, fromPhotos: entries.length });
    copy.dispose();
    changed.dispose();
  }, 240_000);

  it('a damaged row is computed again, the others are read', async () => {
    const store = new MemoryActivationStore();
    const entries = photos.select('validation');
    await cacheOver(setupFor(store)).activations(POOLED, entries);
    const [group] = await store.groups();
    store.corrupt(group!.group, entries[0]!.file);
    const again = cacheOver(setupFor(store));
    await again.activations(POOLED, entries);
    expect(again.stats).toMatchObject({ fromStore: entries.length - 1, fromPhotos: 1 });
  }, 120_000);
});

describe('what is kept, and for how long', () => {
  it('keeps the deep cuts (blocks 6-13, pooled) and not the big early ones', () => {
    const floats = (layer: string) =>
      base
        .getLayer(layer)
        .outputShape.slice(1)
        .reduce((a, b) => (a as number) * (b as number), 1) as number;
    expect(worthPersisting(floats(POOLED))).toBe(true);
    expect(worthPersisting(floats('conv_pw_13_relu'))).toBe(true);
    expect(worthPersisting(floats('conv_pw_11_relu'))).toBe(true);
    expect(worthPersisting(floats('conv_pw_5_relu'))).toBe(false);
    expect(floats('conv_pw_5_relu') * 4).toBeGreaterThan(MAX_BYTES_PER_PHOTO);
  });

  it('an early cut is computed and not stored', async () => {
    const store = new MemoryActivationStore();
    const cache = cacheOver(setupFor(store));
    await cache.activations('conv_pw_5_relu', photos.select('validation').slice(0, 2));
    expect(await store.groups()).toHaveLength(0);
  }, 120_000);

  it('evicts the least recently used layer to stay under the cap, never the one being written', async () => {
    const entries = photos.select();
    const perLayer = entries.length * 7 * 7 * 256 * 4; // conv_pw_13 / conv_pw_12 outputs
    const pooled = entries.length * 256 * 4;
    const store = new MemoryActivationStore(perLayer * 2 + pooled + 1000);
    const cache = cacheOver(setupFor(store));
    await cache.activations('conv_pw_12_relu', entries);
    await new Promise((r) => setTimeout(r, 5));
    await cache.activations('conv_pw_13_relu', entries);
    await new Promise((r) => setTimeout(r, 5));
    await cache.activations(POOLED, entries); // small: fits beside both
    expect((await store.groups()).map((g) => g.layer).sort()).toEqual(
      ['conv_pw_12_relu', 'conv_pw_13_relu', POOLED].sort(),
    );
    await new Promise((r) => setTimeout(r, 5));
    await cache.activations('conv_pw_11_relu', entries); // twice a 7 × 7 layer: only room for it alone
    const layers = (await store.groups()).map((g) => g.layer);
    expect(layers).toContain('conv_pw_11_relu');
    expect(layers).not.toContain('conv_pw_12_relu'); // the oldest went first
    const total = (await store.groups()).reduce((n, g) => n + g.bytes, 0);
    expect(total).toBeLessThanOrEqual(store.capBytes);
  }, 240_000);

  it('the eviction policy: oldest first, the group being written kept, null when nothing can make room', () => {
    const g = (group: string, bytes: number, lastUsed: number) => ({ group, layer: group, bytes, lastUsed });
    const groups = [g('a', 40, 3), g('b', 40, 1), g('c', 40, 2)];
    expect(groupsToEvict(groups, 10, 200, 'x')).toEqual([]);
    expect(groupsToEvict(groups, 50, 120, 'x')).toEqual(['b', 'c']);
    expect(groupsToEvict(groups, 50, 120, 'b')).toEqual(['c', 'a']);
    expect(groupsToEvict(groups, 130, 120, 'x')).toBeNull();
  });
});

describe('a store that fails', () => {
  it('costs only the computing: the activations are right and the problem is said', async () => {
    const broken: ActivationStore = {
      read: () => Promise.reject(new Error('QuotaExceededError')),
      write: () => Promise.reject(new Error('QuotaExceededError')),
      clear: () => Promise.resolve(0),
      groups: () => Promise.resolve([]),
    };
    const entries = photos.select('validation');
    const reference = await cacheOver(null).activations(POOLED, entries);
    const cache = cacheOver(setupFor(broken));
    const values = await cache.activations(POOLED, entries);
    expect(values.map((v) => [...v])).toEqual(reference.map((v) => [...v]));
    expect(cache.storeProblem).toMatch(/could not be written: .*QuotaExceededError/);
  }, 120_000);

  it('a full store keeps the activations for the page and says so', async () => {
    const tiny = new MemoryActivationStore(100);
    const cache = cacheOver(setupFor(tiny));
    await cache.activations(POOLED, photos.select('validation'));
    expect(cache.storeProblem).toMatch(/full/);
    expect(await tiny.groups()).toHaveLength(0);
    expect(cache.has(POOLED, photos.select('validation')[0]!.file)).toBe(true);
  }, 120_000);
});
