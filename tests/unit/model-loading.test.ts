/**
 * The model loader on the real model files, served by a ByteSource that reads the disk the way the browser's
 * reads the network (in chunks) and keeps an in-memory "Cache API". Broken files (truncated shard, bad JSON,
 * a 404, a corrupt cached copy) must give errors that name the file, or heal from the network.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../../src/ml/image';
import { parseClassNames, topK } from '../../src/ml/imagenet';
import { AssetLoadError, loadLayersModelFrom, type ByteSource, type LoadProgress } from '../../src/ml/model';
import { readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';

const MODEL_URL = '/workbook-assets/model/model.json';
const CHUNK = 4096;

/** Serves public/workbook-assets like a web server; `damage` may alter or drop (404) a file's bytes. */
function diskSource(
  cache = new Map<string, Uint8Array>(),
  damage?: (url: string, bytes: Uint8Array) => Uint8Array | null,
) {
  const fetched: string[] = [];
  const source: ByteSource = {
    async fetch(url, { onBytes, bypassCache }) {
      const cached = bypassCache ? undefined : cache.get(url);
      if (cached) return { bytes: cached, fromCache: true };
      fetched.push(url);
      const real = new Uint8Array(readAsset(url.replace('/workbook-assets/', '')));
      const bytes = damage ? damage(url, real) : real;
      if (!bytes) throw new AssetLoadError(url, 'HTTP 404 Not Found');
      for (let n = CHUNK; n < bytes.byteLength; n += CHUNK) onBytes?.(n, bytes.byteLength);
      return { bytes, fromCache: false };
    },
    async keep(files) {
      for (const [url, bytes] of files) cache.set(url, bytes);
    },
    async forget(url) {
      cache.delete(url);
    },
  };
  return { source, cache, fetched };
}

const SHARD3 = '/workbook-assets/model/group3-shard1of1';

describe('loading the model through the byte-counting IOHandler', () => {
  beforeAll(useWasmBackend);

  it('loads the real model with byte-level progress, then again from the cache', async () => {
    const disk = diskSource();
    const progress: LoadProgress[] = [];
    const first = await loadLayersModelFrom(MODEL_URL, disk.source, (p) => progress.push(p));
    expect(first.model.layers).toHaveLength(88);
    expect(first.model.countParams()).toBe(475_544);
    const jsonBytes = readAsset('model/model.json').byteLength;
    // Every parameter is a float32, so the weights are 4 bytes per parameter.
    expect(first.report).toEqual({ files: 56, bytes: jsonBytes + 475_544 * 4, cachedFiles: 0, fromCache: false });
    const loaded = progress.map((p) => p.loadedBytes);
    expect(loaded.every((n, i) => i === 0 || n >= loaded[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ loadedBytes: first.report.bytes, totalBytes: first.report.bytes });
    expect(progress.length).toBeGreaterThan(56); // model.json alone arrives in 13 chunks
    expect(disk.cache.size).toBe(56);

    disk.fetched.length = 0;
    const second = await loadLayersModelFrom(MODEL_URL, disk.source);
    expect(second.report).toMatchObject({ cachedFiles: 56, fromCache: true });
    expect(disk.fetched).toEqual([]);
    first.model.dispose();
    second.model.dispose();
  });

  it('names a truncated shard', async () => {
    const { source, cache } = diskSource(new Map(), (url, b) => (url === SHARD3 ? b.subarray(0, 100) : b));
    await expect(loadLayersModelFrom(MODEL_URL, source)).rejects.toThrow(
      new RegExp(`^${SHARD3}: has 100 bytes but the weightsManifest needs \\d+: the file is truncated or corrupt$`),
    );
    expect(cache.size).toBe(0); // nothing of a failed load is cached
  });

  it('names a model.json that is not JSON, and one that is not a model', async () => {
    const broken = diskSource(new Map(), (url, b) => (url === MODEL_URL ? b.subarray(0, 500) : b));
    await expect(loadLayersModelFrom(MODEL_URL, broken.source)).rejects.toThrow(`${MODEL_URL}: is not valid JSON`);
    const notModel = diskSource(new Map(), (url, b) => (url === MODEL_URL ? new TextEncoder().encode('{"a":1}') : b));
    await expect(loadLayersModelFrom(MODEL_URL, notModel.source)).rejects.toThrow(
      `${MODEL_URL}: is JSON but not a tfjs model`,
    );
  });

  it('names a missing shard (HTTP 404) and a file that cannot be read', async () => {
    const missing = diskSource(new Map(), (url, b) => (url === SHARD3 ? null : b));
    await expect(loadLayersModelFrom(MODEL_URL, missing.source)).rejects.toThrow(`${SHARD3}: HTTP 404 Not Found`);
    const wrongDir = diskSource();
    await expect(loadLayersModelFrom('/workbook-assets/nowhere/model.json', wrongDir.source)).rejects.toThrow(
      /^\/workbook-assets\/nowhere\/model\.json: could not be downloaded \(asset nowhere\/model\.json is missing/,
    );
  });

  it('replaces a corrupt cached shard with a fresh download', async () => {
    const disk = diskSource();
    (await loadLayersModelFrom(MODEL_URL, disk.source)).model.dispose();
    disk.cache.set(SHARD3, new Uint8Array(7));
    disk.fetched.length = 0;
    const { model, report } = await loadLayersModelFrom(MODEL_URL, disk.source);
    expect(disk.fetched).toEqual([SHARD3]);
    expect(report).toMatchObject({ cachedFiles: 55, fromCache: false });
    expect(disk.cache.get(SHARD3)!.byteLength).toBe(readAsset('model/group3-shard1of1').byteLength);
    model.dispose();
  });
});

describe('reading predictions', () => {
  let classes: string[];
  beforeAll(() => {
    classes = parseClassNames(readAsset('labels/imagenet_classes.json'), 'imagenet_classes.json');
  });

  it('lists the top classes of a real cat photo, most probable first', async () => {
    await useWasmBackend();
    const { model } = await loadLayersModelFrom(MODEL_URL, diskSource().source);
    const mau = await readPhoto('cat/Egyptian_Mau_10.jpg');
    const probs = tf.tidy(() => model.predict(imagesToBatch([mau])) as tf.Tensor);
    const top = topK(probs, 5, classes);
    probs.dispose();
    model.dispose();
    expect(top).toHaveLength(5);
    expect(top[0]!.index).toBeGreaterThanOrEqual(281); // 281 tabby … 285 Egyptian cat
    expect(top[0]!.index).toBeLessThanOrEqual(285);
    expect(top[0]!.name).toBe(classes[top[0]!.index]);
    expect(top.map((p) => p.probability)).toEqual([...top.map((p) => p.probability)].sort((a, b) => b - a));
    expect(new Set(top.map((p) => p.index)).size).toBe(5);
  });

  it('rejects a batch, a wrong k, mismatched names and broken class files', () => {
    expect(topK([0.1, 0.7, 0.2], 2, ['a', 'b', 'c']).map((p) => p.name)).toEqual(['b', 'c']);
    expect(() => topK(tf.zeros([2, 3]), 1, ['a', 'b', 'c'])).toThrow(
      'one image ([n] or [1, n]), got a tensor of shape [2, 3]',
    );
    expect(() => topK([0.5, 0.5], 0, ['a', 'b'])).toThrow('k must be a positive integer');
    expect(() => topK([0.1, 0.7, 0.2], 1, classes)).toThrow('3 probabilities but 1000 class names');
    expect(() => parseClassNames('["a", 3]', 'x.json')).toThrow('x.json: is not a JSON array of class names');
    expect(() => parseClassNames('[', 'x.json')).toThrow(/^x\.json: is not valid JSON/);
  });
});
