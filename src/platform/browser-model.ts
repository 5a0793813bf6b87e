/**
 * Browser side of model loading: a ByteSource (src/ml/model.ts) built on `fetch` with a streaming reader, so the
 * page can show a byte-level progress bar, and on the Cache API, so a reload reads the ~2 MB of weights from disk
 * instead of the network. Where the Cache API is missing (an http:// page that is not localhost, some private modes)
 * the model still loads, just without the cache.
 */
import type * as tf from '@tensorflow/tfjs';
import { parseClassNames } from '../ml/imagenet';
import {
  AssetLoadError,
  loadLayersModelFrom,
  type ByteSource,
  type LoadProgress,
  type ModelLoadReport,
} from '../ml/model';
import { siteUrl } from './base-url';

/** The pre-trained MobileNet v1 0.25 224, as the site serves it. */
export const MODEL_URL = siteUrl('workbook-assets/model/model.json');
/** The 1000 ImageNet class names. */
export const CLASS_NAMES_URL = siteUrl('workbook-assets/labels/imagenet_classes.json');
/** Cache name; bump the version when the served model changes so old copies are not used. */
export const MODEL_CACHE = 'workbook-model-v1';

/** Opens the cache, or null where the Cache API is unavailable or refuses (then everything comes from the network). */
async function openCache(name: string): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    return await caches.open(name);
  } catch {
    return null;
  }
}

/** Reads a response body chunk by chunk, reporting bytes as they arrive. */
async function readBody(
  url: string,
  response: Response,
  onBytes?: (n: number, total: number | null) => void,
): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  // With gzip the header counts compressed bytes, which the reader never sees; then it is no use as a total.
  const total = header && !response.headers.get('content-encoding') ? Number(header) : null;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes?.(bytes.byteLength, total);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes?.(loaded, total);
  }
  if (total !== null && loaded !== total) {
    throw new AssetLoadError(url, `download stopped at ${loaded} of ${total} bytes`);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/** A ByteSource over fetch + the Cache API (`cacheName: null` turns the cache off). */
export function browserByteSource(cacheName: string | null = MODEL_CACHE): ByteSource {
  const cache = cacheName ? openCache(cacheName) : Promise.resolve(null);
  return {
    async fetch(url, { onBytes, bypassCache }) {
      const c = await cache;
      const hit = c && !bypassCache ? await c.match(url) : undefined;
      if (hit) return { bytes: await readBody(url, hit, onBytes), fromCache: true };
      // The HTTP cache would also do, but it may revalidate or evict at will; `no-cache` keeps timings honest.
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new AssetLoadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
      return { bytes: await readBody(url, response, onBytes), fromCache: false };
    },
    async keep(files) {
      const c = await cache;
      if (!c) return;
      // Best effort: a full disk (QuotaExceededError) must not fail a model that has loaded fine.
      await Promise.all(
        [...files].map(([url, bytes]) =>
          c
            .put(
              url,
              new Response(bytes as Uint8Array<ArrayBuffer>, {
                headers: { 'content-length': String(bytes.byteLength) },
              }),
            )
            .catch(() => undefined),
        ),
      );
    },
    async forget(url) {
      await (await cache)?.delete(url);
    },
  };
}

/** The model, the load report, and how long the load took. */
export interface LoadedModel {
  model: tf.LayersModel;
  report: ModelLoadReport & { seconds: number };
}

/** Loads the pre-trained MobileNet with byte-level progress; a second load in the same browser reads the cache. */
export async function loadPretrainedModel(
  options: { url?: string; onProgress?: (p: LoadProgress) => void; cache?: boolean } = {},
): Promise<LoadedModel> {
  const start = performance.now();
  const source = browserByteSource(options.cache === false ? null : MODEL_CACHE);
  const { model, report } = await loadLayersModelFrom(options.url ?? MODEL_URL, source, options.onProgress);
  return { model, report: { ...report, seconds: (performance.now() - start) / 1000 } };
}

/** Fetches the 1000 ImageNet class names. */
export async function loadClassNames(url: string = CLASS_NAMES_URL): Promise<string[]> {
  const response = await fetch(url).catch((cause: unknown) => {
    throw new AssetLoadError(url, `could not be downloaded (${String(cause)})`, { cause });
  });
  if (!response.ok) throw new AssetLoadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  return parseClassNames(await response.text(), url);
}

/** Empties the model cache, so the next load downloads again (true when there was something to delete). */
export async function clearModelCache(cacheName: string = MODEL_CACHE): Promise<boolean> {
  return typeof caches === 'undefined' ? false : caches.delete(cacheName);
}
