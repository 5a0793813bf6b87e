/**
 * What the activation cache (activation-cache.ts) may keep beyond one page, and under which key: the policy. The
 * storage itself is an adapter (src/platform/activation-store.ts: IndexedDB in the browser, memory in Node tests).
 *
 * The key ("group") names everything that determines a frozen layer's output for a photo, so that an entry made
 * under other conditions can never be read back:
 * - the network: SHA-256 of its topology and every weight's bytes (a new model file, a fine-tuned copy: a new key);
 * - the layer, and how the prefix runs ('layers' or the BN-folded 'folded': equal only to float tolerance);
 * - mirrored or not;
 * - the backend and its float precision: wasm, WebGL and WebGPU give results that differ in the last bits, and WebGL
 *   may run in float16, so a page on one backend never reads another's numbers (the lessons' recorded figures are
 *   compared within tolerances, but a learner must see what their own backend computes);
 * - the photo set: the derived assets' stamp (the asset manifest's SHA-256 and derivation version, which fix every
 *   photo's bytes) and the photo index (files, labels, split), plus the decoder (the browser that decoded them);
 *   each row is then one photo file.
 * Rows are verified on read (length and a checksum of the floats); a row that fails is computed again.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhotoSet } from './dataset';

/** A group of stored rows: one layer of one network on one photo set, backend and decoder. */
export interface StoredGroup {
  /** The group key (groupKey). */
  group: string;
  /** The layer, for people reading the store. */
  layer: string;
  /** Bytes of floats stored in the group. */
  bytes: number;
  /** Date.now() of the last read or write: eviction removes the least recently used groups first. */
  lastUsed: number;
}

/** Where activations persist: per group, one Float32Array per photo file. Every method may fail; callers compute. */
export interface ActivationStore {
  /** The rows of `files` that the store holds and that pass verification (missing or damaged rows are left out). */
  read(group: string, files: readonly string[], floatsPerPhoto: number): Promise<Map<string, Float32Array>>;
  /** Adds rows to a group, evicting least recently used groups to stay under the cap; false if nothing was kept. */
  write(group: string, layer: string, rows: ReadonlyMap<string, Float32Array>): Promise<boolean>;
  /** Removes everything; returns the bytes freed. */
  clear(): Promise<number>;
  /** The groups held, for the status line and tests. */
  groups(): Promise<StoredGroup[]>;
}

/**
 * Only layers whose output is small for what it costs are worth keeping: the deep cuts (MobileNet v1 0.25's 14 × 14
 * × 128 blocks 6–11 at 100 KB a photo, 7 × 7 × 256 blocks 12–13 at 50 KB, the 256 pooled features at 1 KB) take
 * most of the network to compute. Earlier cuts (28 × 28 × 64 = 200 KB a photo and more) are quick to compute and
 * big: 78 MB for the 390 photos at block 5, 310 MB at block 1; reading them back would save little and crowd out
 * the deep ones.
 */
export const MAX_BYTES_PER_PHOTO = 128 * 1024;

/** The store's size cap: the deep cuts of all 390 photos, plain and mirrored, of a few layers (~40 MB a layer). */
export const DEFAULT_CAP_BYTES = 128 * 1024 * 1024;

/** Whether a layer's activations (`floatsPerPhoto` floats a photo) are worth persisting. */
export function worthPersisting(floatsPerPhoto: number): boolean {
  return floatsPerPhoto * 4 <= MAX_BYTES_PER_PHOTO;
}

/**
 * Which groups to delete so that `incoming` more bytes fit under `cap`: least recently used first, never `keep`
 * (the group being written). Returns null when even deleting every other group would not make room.
 */
export function groupsToEvict(
  groups: readonly StoredGroup[],
  incoming: number,
  cap: number,
  keep: string,
): string[] | null {
  let total = groups.reduce((n, g) => n + g.bytes, 0) + incoming;
  if (total <= cap) return [];
  const evict: string[] = [];
  for (const g of [...groups].filter((x) => x.group !== keep).sort((a, b) => a.lastUsed - b.lastUsed)) {
    if (total <= cap) break;
    evict.push(g.group);
    total -= g.bytes;
  }
  return total <= cap ? evict : null;
}

/** A 32-bit checksum of a row's float bits (FNV-1a over 32-bit words): catches truncated or damaged rows. */
export function rowChecksum(values: Float32Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193) >>> 0;
  return h;
}

/** Hex SHA-256 of text and byte arrays, in order (Web Crypto: the page and Node 20 alike). */
export async function sha256Hex(parts: readonly (string | ArrayBufferView)[]): Promise<string> {
  const chunks = parts.map((p) =>
    typeof p === 'string' ? new TextEncoder().encode(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
  );
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length + 1, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length + 1; // a zero byte between parts: ("ab", "c") and ("a", "bc") hash differently
  }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Everything that names a group; see the module comment for why each part is there. */
export interface GroupParts {
  modelSha: string;
  layer: string;
  prefix: string;
  mirrored: boolean;
  backend: string;
  floatPrecision: number;
  photoSetSha: string;
  decoder: string;
}

/** The group key: readable at the front (layer, backend), a hash of every part after it. */
export async function groupKey(p: GroupParts): Promise<string> {
  const sha = await sha256Hex([
    p.modelSha,
    p.layer,
    p.prefix,
    p.mirrored ? 'mirrored' : 'plain',
    p.backend,
    String(p.floatPrecision),
    p.photoSetSha,
    p.decoder,
  ]);
  return `${p.layer}|${p.mirrored ? 'mirrored' : 'plain'}|${p.backend}|${sha.slice(0, 32)}`;
}

/** Where a page keeps activations, and what identifies its photos' bytes and decoder (set once by the page). */
export interface PersistenceSetup {
  store: ActivationStore;
  /** What fixes the photos' bytes, e.g. the derived assets' stamp.json text. */
  assetStamp: string;
  /** What turns the bytes into pixels, e.g. the browser's user agent. */
  decoder: string;
}

let current: PersistenceSetup | null = null;

/**
 * Makes every shared activation cache (activationCacheFor) read and write `setup.store`; null turns it off. Nothing
 * persists until a page (or a test) calls this: Node scripts and tests compute as before.
 */
export function useActivationStore(setup: PersistenceSetup | null): void {
  current = setup;
}

/** The persistence the page set up, if any. */
export function activationPersistence(): PersistenceSetup | null {
  return current;
}

const modelShas = new WeakMap<tf.LayersModel, Promise<string>>();

/** SHA-256 of a network's topology and every weight's bytes, once per model: the network part of the store's key. */
export function modelSha(model: tf.LayersModel): Promise<string> {
  let sha = modelShas.get(model);
  if (!sha) {
    sha = (async () => {
      const parts: (string | ArrayBufferView)[] = [JSON.stringify(model.toJSON(null, false))];
      for (const w of model.weights) parts.push(w.originalName, (await w.read().data()) as Float32Array);
      return sha256Hex(parts);
    })();
    modelShas.set(model, sha);
  }
  return sha;
}

const photoSetShas = new WeakMap<PhotoSet, Map<string, Promise<string>>>();

/** SHA-256 of a photo set's index (files, labels, split) and the assets' stamp that fixes the photos' bytes. */
export function photoSetSha(photos: PhotoSet, assetStamp: string): Promise<string> {
  let byStamp = photoSetShas.get(photos);
  if (!byStamp) photoSetShas.set(photos, (byStamp = new Map()));
  let sha = byStamp.get(assetStamp);
  if (!sha) byStamp.set(assetStamp, (sha = sha256Hex([JSON.stringify(photos.index), assetStamp])));
  return sha;
}
