/**
 * Frozen layers give the same output for the same photo every epoch, so computing them once is enough: this cache
 * keeps the activations of a freeze-point layer per photo (and per mirroring, since a mirrored photo gives
 * different activations), and training then runs only the unfrozen layers. Moving the freeze point later reuses the
 * cache too: conv_pw_13 outputs are computed from cached conv_pw_11 outputs by the two blocks in between.
 *
 * Activations are kept as plain Float32Arrays, not tensors, so they never count in tf.memory() and need no
 * disposing; a batch is made into a tensor only while a step uses it.
 *
 * A shared cache (activationCacheFor) also keeps them across pages and visits when the page has set up a store
 * (useActivationStore, activation-persist.ts: what is worth keeping and under which key): missing photos are read
 * from the store before anything is computed, and what is computed is written back. A store that is missing, full
 * or failing only costs the computing; it never fails a run.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet } from './dataset';
import { continueChain, type FrozenPrefix, inferencePrefix, type PrefixFactory } from './frozen';
import { foldPrefix } from './fold';
import { layerIndex } from './surgery';
import {
  activationPersistence,
  groupKey,
  modelSha,
  photoSetSha,
  worthPersisting,
  type PersistenceSetup,
} from './activation-persist';

/** Counters that show what the cache saved (and what the lessons print). */
export interface CacheStats {
  /** Activations computed from photos through the frozen prefix. */
  fromPhotos: number;
  /** Activations computed from an earlier layer's cached activations. */
  fromEarlierLayer: number;
  /** Requests answered without computing anything. */
  hits: number;
  /** Activations read back from the persistent store (earlier pages or visits), not computed. */
  fromStore?: number;
  /** Seconds spent computing. */
  seconds: number;
}

/** Per-photo activations of a network's layers, computed in inference mode and kept for reuse. */
export class ActivationCache {
  private readonly store = new Map<string, Float32Array>();
  private readonly layerShapes = new Map<string, number[]>();
  readonly stats: CacheStats = { fromPhotos: 0, fromEarlierLayer: 0, hits: 0, seconds: 0, fromStore: 0 };
  /** Why the persistent store was not used the last time it was tried (null: it was, or none is set up). */
  storeProblem: string | null = null;

  /**
   * @param source the network whose (never trained) layers produce the activations
   * @param photos where pixels come from
   * @param options.prefix how to run the network from photos to a layer (default: its own layers, predict)
   * @param options.batchSize photos per forward pass (default 16)
   * @param options.persistAs the prefix's kind, which names it in the persistent store's key; without it (a custom
   *   prefix the key could not name) nothing persists
   * @param options.persistence where to persist (default: the page's store, useActivationStore; null: nowhere)
   */
  constructor(
    readonly source: tf.LayersModel,
    readonly photos: PhotoSet,
    private readonly options: {
      prefix?: PrefixFactory;
      batchSize?: number;
      persistAs?: SharedPrefix;
      persistence?: PersistenceSetup | null;
    } = {},
  ) {}

  private key(layer: string, file: string, mirrored: boolean): string {
    return `${layer}|${mirrored ? 'mirrored' : 'plain'}|${file}`;
  }

  /** Activation shape of one photo at `layer` (no batch axis), e.g. [7, 7, 256]. */
  shape(layer: string): number[] {
    return this.source.getLayer(layer).outputShape.slice(1) as number[];
  }

  /** Whether a photo's activations at `layer` are cached. */
  has(layer: string, file: string, mirrored = false): boolean {
    return this.store.has(this.key(layer, file, mirrored));
  }

  /** Bytes held (4 per float). */
  get bytes(): number {
    let n = 0;
    for (const a of this.store.values()) n += a.byteLength;
    return n;
  }

  /** Forgets one layer's activations, or all. */
  clear(layer?: string): void {
    for (const k of [...this.store.keys()]) if (!layer || k.startsWith(`${layer}|`)) this.store.delete(k);
  }

  /**
   * Activations of `layer` for `entries` (mirrored or not), in order, computing only what is missing: from the
   * latest cached earlier layer when there is one, else from the photos. `onProgress(done, total)` reports progress;
   * an aborted `signal` stops between batches (what was computed stays cached) and rejects with its reason.
   */
  async activations(
    layer: string,
    entries: readonly PhotoEntry[],
    mirrored = false,
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const target = layerIndex(this.source, layer);
    const started = performance.now();
    let missing = entries.filter((e) => !this.has(layer, e.file, mirrored));
    this.stats.hits += entries.length - missing.length;
    const persisted = await this.persistedGroup(layer, mirrored, missing.length);
    if (persisted) {
      missing = await this.readStored(persisted, layer, mirrored, missing);
    }
    // Group the missing photos by where they can start: the latest earlier layer that has them cached, or the photos.
    const groups = new Map<number, PhotoEntry[]>();
    const cachedLayers = [...this.layerShapes.keys()]
      .map((name) => layerIndex(this.source, name))
      .filter((i) => i < target)
      .sort((a, b) => b - a);
    for (const e of new Map(missing.map((m) => [m.file, m])).values()) {
      const from = cachedLayers.find((i) => this.has(this.source.layers[i]!.name, e.file, mirrored)) ?? -1;
      groups.set(from, [...(groups.get(from) ?? []), e]);
    }
    const total = missing.length;
    let done = 0;
    const prefix = groups.has(-1) ? (this.options.prefix ?? inferencePrefix)(this.source, layer) : undefined;
    this.layerShapes.set(layer, this.shape(layer));
    try {
      await this.fill(layer, target, groups, mirrored, prefix, (n) => onProgress?.((done += n), total), signal);
      if (persisted && missing.length > 0) await this.writeStored(persisted, layer, mirrored, missing);
    } finally {
      prefix?.dispose?.();
      this.stats.seconds += (performance.now() - started) / 1000;
    }
    return entries.map((e) => this.store.get(this.key(layer, e.file, mirrored))!);
  }

  /**
   * The persistent store and this layer's group key, when a store is set up, the prefix has a name, there is
   * something to look up, and the layer is worth keeping (activation-persist.ts); else null.
   */
  private async persistedGroup(
    layer: string,
    mirrored: boolean,
    wanted: number,
  ): Promise<{ setup: PersistenceSetup; group: string; floats: number } | null> {
    const setup = this.options.persistence === undefined ? activationPersistence() : this.options.persistence;
    const floats = this.shape(layer).reduce((a, b) => a * b, 1);
    if (!setup || !this.options.persistAs || wanted === 0 || !worthPersisting(floats)) return null;
    try {
      const group = await groupKey({
        modelSha: await modelSha(this.source),
        layer,
        prefix: this.options.persistAs,
        mirrored,
        backend: tf.getBackend(),
        floatPrecision: tf.backend().floatPrecision(),
        photoSetSha: await photoSetSha(this.photos, setup.assetStamp),
        decoder: setup.decoder,
      });
      return { setup, group, floats };
    } catch (e) {
      this.storeProblem = `no key for the store: ${String(e)}`;
      return null;
    }
  }

  /** Takes what the store holds of `missing` into memory; returns the photos still to compute. */
  private async readStored(
    p: { setup: PersistenceSetup; group: string; floats: number },
    layer: string,
    mirrored: boolean,
    missing: PhotoEntry[],
  ): Promise<PhotoEntry[]> {
    let rows: Map<string, Float32Array>;
    try {
      rows = await p.setup.store.read(
        p.group,
        missing.map((e) => e.file),
        p.floats,
      );
      this.storeProblem = null;
    } catch (e) {
      this.storeProblem = `the store could not be read: ${String(e)}`;
      return missing; // compute instead
    }
    for (const [file, values] of rows) this.store.set(this.key(layer, file, mirrored), values);
    this.stats.fromStore = (this.stats.fromStore ?? 0) + rows.size;
    if (rows.size > 0) this.layerShapes.set(layer, this.shape(layer));
    return missing.filter((e) => !rows.has(e.file));
  }

  /** Writes what was just computed to the store; a full or failing store is noted, never thrown. */
  private async writeStored(
    p: { setup: PersistenceSetup; group: string },
    layer: string,
    mirrored: boolean,
    computed: readonly PhotoEntry[],
  ): Promise<void> {
    const rows = new Map<string, Float32Array>();
    for (const e of computed) {
      const values = this.store.get(this.key(layer, e.file, mirrored));
      if (values) rows.set(e.file, values);
    }
    try {
      const kept = await p.setup.store.write(p.group, layer, rows);
      if (!kept) this.storeProblem = 'the store is full: these activations are kept for this page only';
    } catch (e) {
      this.storeProblem = `the store could not be written: ${String(e)}`;
    }
  }

  /** Computes and stores the activations of each group, batch by batch. */
  private async fill(
    layer: string,
    target: number,
    groups: Map<number, PhotoEntry[]>,
    mirrored: boolean,
    prefix: FrozenPrefix | undefined,
    progress: (n: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const size = this.options.batchSize ?? 16;
    for (const [from, group] of groups) {
      for (let s = 0; s < group.length; s += size) {
        signal?.throwIfAborted();
        const batch = group.slice(s, s + size);
        let input: tf.Tensor;
        if (from < 0)
          input = await this.photos.batch(
            batch,
            batch.map(() => mirrored),
          );
        else input = this.stack(this.source.layers[from]!.name, batch, mirrored);
        const out = tf.tidy(() =>
          from < 0 ? prefix!.predict(input as tf.Tensor4D) : continueChain(this.source, from, target, input),
        );
        input.dispose();
        const values = (await out.data()) as Float32Array;
        out.dispose();
        const per = values.length / batch.length;
        batch.forEach((e, i) =>
          this.store.set(this.key(layer, e.file, mirrored), values.slice(i * per, (i + 1) * per)),
        );
        if (from < 0) this.stats.fromPhotos += batch.length;
        else this.stats.fromEarlierLayer += batch.length;
        progress(batch.length);
      }
    }
  }

  /** Cached activations of photos as one [n, ...shape] tensor (the caller disposes it). */
  stack(layer: string, entries: readonly PhotoEntry[], mirrored: boolean | readonly boolean[] = false): tf.Tensor {
    const shape = this.shape(layer);
    const per = shape.reduce((a, b) => a * b, 1);
    const buffer = new Float32Array(entries.length * per);
    entries.forEach((e, i) => {
      const m = typeof mirrored === 'boolean' ? mirrored : mirrored[i]!;
      const values = this.store.get(this.key(layer, e.file, m));
      if (!values)
        throw new Error(
          `no cached ${layer} activations for ${e.file}${m ? ' (mirrored)' : ''}: call activations() first`,
        );
      buffer.set(values, i * per);
    });
    return tf.tensor(buffer, [entries.length, ...shape]);
  }
}

/**
 * How a shared cache runs the frozen layers: `layers` runs tfjs's own layers in inference mode (bit-exact with the
 * LayersModel, the reference the tests compare against); `folded` runs the BN-folded fused prefix (src/ml/fold.ts),
 * equal to float tolerance and 2–4× faster, which is what a learner's page uses.
 */
export type SharedPrefix = 'layers' | 'folded';

const PREFIXES: Record<SharedPrefix, PrefixFactory> = {
  layers: inferencePrefix,
  folded: (model, layer) => foldPrefix(model, layer),
};

/**
 * The prefix the engine's training and evaluation use, in Node and in the page alike: BatchNorm folded into each
 * convolution, conv + bias + relu6 as one fused kernel — the same function as the model's layers, to float
 * tolerance, in fewer passes. ('layers', tfjs's own layers in inference mode, is the reference tests compare with,
 * and stays activationCacheFor's default so that a test asking for a cache gets the bit-exact one.)
 */
export const DEFAULT_PREFIX: SharedPrefix = 'folded';

/** The function that builds a prefix of the given kind. */
export function prefixFactory(kind: SharedPrefix): PrefixFactory {
  return PREFIXES[kind];
}

const caches = new WeakMap<tf.LayersModel, WeakMap<PhotoSet, Map<SharedPrefix, ActivationCache>>>();

/**
 * The shared cache for a pre-trained network, a photo set and a way of running the prefix, so every run, evaluation
 * and feature extraction of a page (or a script) reuses the same activations.
 */
export function activationCacheFor(
  source: tf.LayersModel,
  photos: PhotoSet,
  prefix: SharedPrefix = 'layers',
): ActivationCache {
  let bySet = caches.get(source);
  if (!bySet) caches.set(source, (bySet = new WeakMap()));
  let byPrefix = bySet.get(photos);
  if (!byPrefix) bySet.set(photos, (byPrefix = new Map()));
  let cache = byPrefix.get(prefix);
  if (!cache)
    byPrefix.set(
      prefix,
      (cache = new ActivationCache(source, photos, { prefix: PREFIXES[prefix], persistAs: prefix })),
    );
  return cache;
}
