/**
 * Loading the pre-trained model, byte by byte, with errors that name the broken file. tfjs's own `tf.loadLayersModel(url)`
 * reports progress per *file* and says little when a shard is truncated; here a custom IOHandler fetches model.json
 * and every weight shard through a `ByteSource` (the browser's is fetch + Cache API, src/platform/browser-model.ts;
 * Node tests hand in one that reads the disk), checks each against the sizes the weightsManifest promises, and counts
 * bytes as they arrive. No DOM here: the same code runs in the tests.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from './error-message';

/** A file's bytes and whether they came from a local cache instead of the network. */
export interface FetchedFile {
  bytes: Uint8Array;
  fromCache: boolean;
}

/** Options of one fetch. */
export interface FetchOptions {
  /** Called as bytes arrive: bytes so far, and the file's size when the server said it (content-length). */
  onBytes?: (loaded: number, total: number | null) => void;
  /** Skip the cache: the cached copy turned out corrupt. */
  bypassCache?: boolean;
}

/** Where the bytes come from. `keep`/`forget` are for a cache: only verified files are kept. */
export interface ByteSource {
  /** Fetches a whole file; rejects (naming the file) on a missing file or a network error. */
  fetch(url: string, options: FetchOptions): Promise<FetchedFile>;
  /** Called once every file has been checked: store the downloaded ones for the next load. */
  keep?(files: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** Called when a cached file is corrupt, before it is fetched again from the network. */
  forget?(url: string): Promise<void>;
}

/** Progress of a model load, in bytes (totalBytes is null until model.json tells the weights' size). */
export interface LoadProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number | null;
}

/** What a finished load did. */
export interface ModelLoadReport {
  files: number;
  bytes: number;
  /** Files served by the cache; fromCache is true when all of them were. */
  cachedFiles: number;
  fromCache: boolean;
}

/** A missing or corrupt asset: `file` is the URL at fault, so the message can tell the learner what to fix. */
export class AssetLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
    this.name = 'AssetLoadError';
  }
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes one weight takes in its shard: element count × element size (the quantised size when quantised). */
export function weightEntryBytes(entry: tf.io.WeightsManifestEntry): number {
  const dtype = entry.quantization?.dtype ?? entry.dtype;
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) throw new Error(`weight ${entry.name}: dtype ${dtype} has no fixed size`);
  return entry.shape.reduce((a, b) => a * b, 1) * size;
}

/** Bytes of a weight group: its shards, concatenated, hold exactly its weights. */
export function weightGroupBytes(group: tf.io.WeightsManifestConfig[number]): number {
  return group.weights.reduce((sum, w) => sum + weightEntryBytes(w), 0);
}

/** Parses model.json, with an error naming the file when it is not JSON or not a tfjs LayersModel. */
export function parseModelJson(bytes: Uint8Array, file: string): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new AssetLoadError(
      file,
      `is not valid JSON (${(cause as Error).message}); the file is corrupt or truncated`,
      { cause },
    );
  }
  const model = json as Partial<tf.io.ModelJSON> | null;
  if (!model || typeof model !== 'object' || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new AssetLoadError(file, 'is JSON but not a tfjs model (needs modelTopology and weightsManifest)');
  }
  return model as tf.io.ModelJSON;
}

/** The URL of a file beside model.json (shard paths in the manifest are relative to it). */
function sibling(modelUrl: string, name: string): string {
  return modelUrl.slice(0, modelUrl.lastIndexOf('/') + 1) + name;
}

/**
 * Fetches model.json and all shards, verifies them, and returns the artifacts tfjs builds a model from.
 * A cached file that fails its check is forgotten and downloaded again once; a downloaded one that fails is an error.
 */
export async function loadModelArtifacts(
  modelUrl: string,
  source: ByteSource,
  onProgress?: (p: LoadProgress) => void,
): Promise<{ artifacts: tf.io.ModelArtifacts; report: ModelLoadReport }> {
  const loaded = new Map<string, number>();
  let total: number | null = null;
  const fresh = new Map<string, Uint8Array>();
  let cachedFiles = 0;

  const get = async <T>(url: string, check: (bytes: Uint8Array) => T): Promise<T> => {
    const onBytes = (n: number, size: number | null) => {
      loaded.set(url, n);
      if (total === null && url === modelUrl && size !== null) total = size;
      const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
      onProgress?.({ file: url, loadedBytes: sum, totalBytes: total });
    };
    const download = async (bypassCache: boolean): Promise<FetchedFile> => {
      try {
        const file = await source.fetch(url, { onBytes, bypassCache });
        onBytes(file.bytes.byteLength, null);
        return file;
      } catch (cause) {
        if (cause instanceof AssetLoadError) throw cause;
        throw new AssetLoadError(url, `could not be downloaded (${errorMessage(cause)})`, { cause });
      }
    };
    let file = await download(false);
    let value: T;
    try {
      value = check(file.bytes);
    } catch (error) {
      // Only a cache can hold a stale or half-written copy: forget it and ask the network. Its answer is final.
      if (!file.fromCache) throw error;
      await source.forget?.(url);
      file = await download(true);
      value = check(file.bytes);
    }
    if (file.fromCache) cachedFiles++;
    else fresh.set(url, file.bytes);
    return value;
  };

  const json = await get(modelUrl, (bytes) => ({ bytes: bytes.byteLength, model: parseModelJson(bytes, modelUrl) }));
  const groups = json.model.weightsManifest;
  total = json.bytes + groups.reduce((sum, g) => sum + weightGroupBytes(g), 0);

  const groupBuffers = await Promise.all(
    groups.map(async (group, g) => {
      const expected = weightGroupBytes(group);
      const single = group.paths.length === 1;
      const shards = await Promise.all(
        group.paths.map((path) =>
          get(sibling(modelUrl, path), (bytes) => {
            // One shard per group (this model): its size must be exact. Several: only their sum is known, checked below.
            if (single && bytes.byteLength !== expected) {
              throw new AssetLoadError(
                sibling(modelUrl, path),
                `has ${bytes.byteLength} bytes but the weightsManifest needs ${expected}: the file is truncated or corrupt`,
              );
            }
            return bytes;
          }),
        ),
      );
      const size = shards.reduce((s, b) => s + b.byteLength, 0);
      if (size !== expected) {
        throw new AssetLoadError(
          sibling(modelUrl, group.paths.join(', ')),
          `weight group ${g + 1} has ${size} bytes, the weightsManifest needs ${expected}`,
        );
      }
      return shards;
    }),
  );

  const all = new Uint8Array(total - json.bytes);
  let offset = 0;
  for (const shard of groupBuffers.flat()) {
    all.set(shard, offset);
    offset += shard.byteLength;
  }
  const files = 1 + groups.reduce((n, g) => n + g.paths.length, 0);
  await source.keep?.(fresh);
  return {
    artifacts: {
      modelTopology: json.model.modelTopology,
      format: json.model.format,
      generatedBy: json.model.generatedBy,
      convertedBy: json.model.convertedBy,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: all.buffer,
    },
    report: { files, bytes: total, cachedFiles, fromCache: cachedFiles === files },
  };
}

/**
 * Loads a LayersModel through `loadModelArtifacts` (a custom tf.io.IOHandler). The report says how many bytes came
 * and whether they all came from the cache.
 */
export async function loadLayersModelFrom(
  modelUrl: string,
  source: ByteSource,
  onProgress?: (p: LoadProgress) => void,
): Promise<{ model: tf.LayersModel; report: ModelLoadReport }> {
  let report: ModelLoadReport | undefined;
  const io: tf.io.IOHandler = {
    load: async () => {
      const result = await loadModelArtifacts(modelUrl, source, onProgress);
      report = result.report;
      return result.artifacts;
    },
  };
  const model = await tf.loadLayersModel(io);
  return { model, report: report! };
}
