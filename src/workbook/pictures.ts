/**
 * `wb.pictures`: seeing what the network learned. The engine (src/ml/visualize.ts) turns weights and activations
 * into pixels; this module runs the model to get the activations, caches what is costly, and puts the pixels on
 * canvases with captions:
 * - the first layer's filters with their BatchNorm folded in (first-layer.ts), on one shared scale, each tile
 *   captioned with what the channel fires on (or that it is dead);
 * - a layer's feature maps for one photo (hover a tile to see its channel);
 * - for a channel of a late layer, the photos of our set that excite it most. Every photo's mean activation per
 *   channel is computed once per page and layer (a few seconds for the 390 photos), then answers at once;
 * - for a channel of an early layer, the photo patches (receptive-field windows) that excite it most: one pass over
 *   the 390 photos per page and layer (channel-patches.ts), then any channel answers at once.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry } from '../ml/dataset';
import { ChannelPatchIndex, type Peak } from '../ml/channel-patches';
import { foldedFilterGrid, foldedFirstLayer, type FoldedFilter, type FoldedFirstLayer } from '../ml/first-layer';
import { activationModel, featureMapGrid, patchGrid, type FeatureMapOptions } from '../ml/visualize';
import { drawInteractiveGrid, pixelsToCanvas } from '../platform/browser-draw';
import { cellOutput, inBatches } from './cell-output';
import { MOBILENET_LAYERS } from '../ml/layers';
import { asLayersModel, layerIndex, type AnyModel } from '../ml/surgery';
import { noteFigures } from './figures';
import { findPhoto, gallery, photoFigure, type PhotoRef } from './photos';
import type { Session } from './session';

/** Every photo's mean activation of every channel of a layer. */
export interface ChannelMeans {
  layer: string;
  photos: PhotoEntry[];
  /** means[i][c]: how strongly photo i excites channel c, on average over the positions of the feature map. */
  means: Float32Array[];
}

/** The photos that excite one channel most. */
export interface TopPhotos {
  layer: string;
  channel: number;
  photos: { photo: PhotoEntry; activation: number }[];
  /** How many of them carry each label, e.g. { cat: 7, dog: 1, other: 0 }. */
  labels: Record<string, number>;
}

/** The folded filters' figure, with the numbers it was drawn from (`figure.firstLayer.filters[c].dead`, …). */
export type FiltersFigure = HTMLElement & { firstLayer: FoldedFirstLayer };

/** One patch of a TopPatches figure: the photo, the map position and the window of the photo it sees. */
export interface TopPatch extends Peak {
  entry: PhotoEntry;
  window: { top: number; left: number; size: number };
}

/** The top-patches figure, with its data: the layer, the channel, the window size and every patch. */
export type TopPatchesFigure = HTMLElement & {
  patches: { layer: string; channel: number; windowSize: number; patches: TopPatch[]; indexSeconds: number };
};

const PHOTOS_PER_PASS = 16;

/** Sub-models that stop at a layer, per model: building one is cheap, but not free on every hover. */
const probes = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();
/** Patch indexes per model and layer: one pass over every photo, kept for the page (the promise, so two calls share it). */
const patchIndexes = new WeakMap<tf.LayersModel, Map<string, Promise<ChannelPatchIndex>>>();
/** Channel means per model, layer and photo file. */
const meansCache = new WeakMap<tf.LayersModel, Map<string, Map<string, Float32Array>>>();

/** A model that outputs `layer`'s activations, memoised. */
export function probe(model: tf.LayersModel, layer: string): tf.LayersModel {
  let byLayer = probes.get(model);
  if (!byLayer) probes.set(model, (byLayer = new Map()));
  let sub = byLayer.get(layer);
  if (!sub) {
    // The engine's one resolver: a wrong name gets its error, with near names, and a block name works too.
    byLayer.set(layer, (sub = activationModel(model, model.layers[layerIndex(model, layer)]!.name)));
  }
  return sub;
}

/** One photo's activations of `layer`: [h, w, channels] (the caller disposes). */
export async function activationsOf(
  session: Session,
  model: tf.LayersModel,
  photo: PhotoEntry,
  layer: string,
): Promise<tf.Tensor3D> {
  const sub = probe(model, layer);
  const x = await session.photos.batch([photo]);
  const y = tf.tidy(() => (sub.predict(x) as tf.Tensor).squeeze([0]));
  x.dispose();
  if (y.rank !== 3) {
    const shape = y.shape;
    y.dispose();
    throw new Error(
      `Layer "${layer}" outputs [${shape.join(', ')}] per photo, not feature maps [height, width, channels]: pick a conv layer.`,
    );
  }
  return y as tf.Tensor3D;
}

/** Every photo's (or the given photos') mean activation per channel of `layer`, computed once and cached. */
export async function channelMeans(
  session: Session,
  model: tf.LayersModel,
  layer: string,
  photos?: readonly PhotoRef[],
): Promise<ChannelMeans> {
  const out = cellOutput();
  const entries = (photos ?? session.photos.select()).map((p) => findPhoto(session.photos, p));
  const sub = probe(model, layer);
  if (sub.outputs[0]!.shape.length !== 4)
    throw new Error(
      `Layer "${layer}" has no feature maps (its output is [${sub.outputs[0]!.shape.join(', ')}]): pick a conv layer.`,
    );
  let byLayer = meansCache.get(model);
  if (!byLayer) meansCache.set(model, (byLayer = new Map()));
  let cache = byLayer.get(layer);
  if (!cache) byLayer.set(layer, (cache = new Map()));
  const store = cache;
  const missing = entries.filter((p) => !store.has(p.file));
  await inBatches(missing, PHOTOS_PER_PASS, out, `${layer}: photos`, async (batch) => {
    const x = await session.photos.batch(batch);
    // The mean over height and width: one number per channel and photo, 256 floats instead of 12,544.
    const y = tf.tidy(() => (sub.predict(x) as tf.Tensor4D).mean([1, 2]) as tf.Tensor2D);
    x.dispose();
    const values = (await y.data()) as Float32Array;
    const c = y.shape[1];
    y.dispose();
    batch.forEach((p, i) => store.set(p.file, values.slice(i * c, (i + 1) * c)));
    return batch;
  });
  return { layer, photos: entries, means: entries.map((p) => store.get(p.file)!) };
}

/** The photos whose mean activation of `channel` is highest. */
export function rankPhotos(means: ChannelMeans, channel: number, count: number, labels: readonly string[]): TopPhotos {
  const channels = means.means[0]?.length ?? 0;
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw new Error(`Channel ${channel} does not exist: ${means.layer} has channels 0 … ${channels - 1}.`);
  }
  const order = means.photos
    .map((_, i) => i)
    .sort((a, b) => means.means[b]![channel]! - means.means[a]![channel]! || a - b);
  const photos = order.slice(0, count).map((i) => ({ photo: means.photos[i]!, activation: means.means[i]![channel]! }));
  const tally = Object.fromEntries(labels.map((l) => [l, photos.filter((p) => p.photo.label === l).length]));
  return { layer: means.layer, channel, photos, labels: tally };
}

/** The `wb.pictures` part of the facade. */
export function picturesApi(session: Session) {
  const api = {
    /**
     * The first convolution's filters as it really computes: conv1 with conv1_bn folded in (scale and sign), every
     * tile on one shared scale (grey = 0), dead filters crossed out in red, a tile beyond the scale framed in yellow.
     * Under the grid, one line per channel says what it fires on. Returns the figure; `figure.firstLayer` holds the
     * numbers (foldedFirstLayer). `fullScale` overrides the shared scale (see sharedScale below).
     */
    showFilters(model: AnyModel, options: { fullScale?: number } = {}): FiltersFigure {
      const m = asLayersModel(model, 'wb.pictures.showFilters');
      const layer = foldedFirstLayer(m, { fullScale: options.fullScale ?? sharedScale(foldedFirstLayer(m)) });
      const [first] = layer.filters;
      const h = first!.kernel.length;
      const w = first!.kernel[0]!.length;
      const n = layer.filters.length;
      const canvas = pixelsToCanvas(
        foldedFilterGrid(layer),
        `The ${n} filters of ${layer.conv} with ${layer.batchNorm} folded in, ${h}×${w} pixels each`,
      );
      canvas.dataset.picture = 'filters';
      const list = document.createElement('ol');
      list.className = 'wb-readout';
      list.start = 0; // channel numbers, as a cell counts them
      for (const f of layer.filters) {
        const item = document.createElement('li');
        item.dataset.channel = String(f.channel);
        if (f.dead) item.dataset.dead = '';
        item.textContent = filterCaption(f);
        list.append(item);
      }
      const dead = layer.filters.filter((f) => f.dead).map((f) => f.channel);
      // The grid's counts, for prose that quotes them: named after the running cell like every figure
      // (`<cell>.filters`, `<cell>.dead`, `<cell>.flipped`), so a lesson renders them with <Fig> from its record.
      noteFigures('folded-filters', {
        filters: n,
        dead: dead.length,
        flipped: layer.filters.filter((f) => f.flipped).length,
      });
      const box = figure(
        [canvas, list],
        `${layer.conv} × ${layer.batchNorm}: ${n} filters of ${h}×${w}×3 as the layer computes them, on one scale (grey = 0, full colour = ±${layer.fullScale.toPrecision(2)}). ` +
          `Each tile is the colour pattern that makes its channel fire. Red cross: dead (${dead.length} of ${n}); yellow frame: stronger than the scale shows.`,
      ) as FiltersFigure;
      box.dataset.picture = 'folded-filters';
      box.dataset.dead = dead.join(' ');
      box.firstLayer = layer;
      return box;
    },

    /** One photo's feature maps at `layer` (one tile per channel, viridis: dark = quiet, yellow = firing). */
    async showFeatureMaps(
      model: AnyModel,
      photo: PhotoRef,
      layer: string = MOBILENET_LAYERS.lastConvOutput,
      options: FeatureMapOptions = {},
    ): Promise<HTMLElement> {
      const entry = findPhoto(session.photos, photo);
      const maps = await activationsOf(session, asLayersModel(model, 'wb.pictures.showFeatureMaps'), entry, layer);
      const [h, w, c] = maps.shape;
      const picture = featureMapGrid(maps, options);
      maps.dispose();
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${c} feature maps of ${layer} for ${entry.file}, ${h}×${w} each`);
      canvas.dataset.picture = 'feature-maps';
      canvas.dataset.layer = layer;
      const readout = document.createElement('p');
      readout.className = 'wb-readout';
      readout.textContent = 'Hover a tile to see its channel.';
      drawInteractiveGrid(canvas, picture, (tile) => {
        readout.textContent = tile === null ? 'Hover a tile to see its channel.' : `Channel ${tile} of ${layer}`;
      });
      return figure([canvas, readout], `${layer}: ${c} feature maps of ${h}×${w} for ${entry.name} (${entry.label}).`);
    },

    /** The photo, the first layer's filters, an early layer's maps and a late layer's maps, side by side. */
    async showEarlyAndLate(
      model: AnyModel,
      photo: PhotoRef,
      layers: { early?: string; late?: string } = {},
    ): Promise<HTMLElement> {
      const entry = findPhoto(session.photos, photo);
      const { early = MOBILENET_LAYERS.firstConvOutput, late = MOBILENET_LAYERS.lastConvOutput } = layers;
      const panels = [
        figure([photoFigure(entry, session, 160)], `The photo: ${entry.name}`),
        api.showFilters(model),
        await api.showFeatureMaps(model, entry, early),
        await api.showFeatureMaps(model, entry, late),
      ];
      const box = document.createElement('div');
      box.className = 'wb-panels';
      box.append(...panels);
      return box;
    },

    /** Every photo's mean activation per channel of `layer` (cached per page), for computing with. */
    channelMeans: (
      model: AnyModel,
      layer: string = MOBILENET_LAYERS.lastConvOutput,
      photos?: readonly PhotoRef[],
    ): Promise<ChannelMeans> => channelMeans(session, asLayersModel(model, 'wb.pictures.channelMeans'), layer, photos),

    /** The photos of our set that excite `channel` of `layer` most: shown as a gallery, returned as data. */
    async topPhotos(
      model: AnyModel,
      options: { channel: number; layer?: string; count?: number; show?: boolean },
    ): Promise<TopPhotos> {
      const out = cellOutput();
      const { channel, layer = MOBILENET_LAYERS.lastConvOutput, count = 8 } = options;
      const top = rankPhotos(
        await channelMeans(session, asLayersModel(model, 'wb.pictures.topPhotos'), layer),
        channel,
        count,
        session.photos.labels,
      );
      // The gallery's tally by label, for the prose that describes it ("seven dogs and one cat"): `top-photos.2.dog`,
      // and its photos' names (breed or ImageNet class), strongest first: `top-photos.2.names`.
      noteFigures('top-photos', { channel, ...top.labels, names: top.photos.map((p) => p.photo.name).join(', ') });
      if (options.show !== false) {
        out.show(() => {
          const tally = Object.entries(top.labels)
            .filter(([, n]) => n > 0)
            .map(([l, n]) => `${n} ${l}`)
            .join(', ');
          const box = figure(
            [
              gallery(
                top.photos.map((p) => p.photo),
                session,
                { size: 84, caption: (p, i) => `${p.label} · ${top.photos[i]!.activation.toFixed(2)}` },
              ),
            ],
            `Channel ${channel} of ${layer}: its ${top.photos.length} most exciting photos (${tally}). The number is the channel's mean activation.`,
          );
          box.dataset.channel = String(channel);
          return box;
        });
      }
      return top;
    },

    /**
     * The photo patches that excite `channel` of an early `layer` most: each is the window of the photo (its
     * receptive field) that one position of the layer sees, framed in yellow with a margin of the photo around it.
     * The first call per model and layer runs all our photos through the network once (a progress bar); every
     * channel after that answers at once. At most two patches come from one photo, so one zebra cannot fill the grid.
     * Returns the figure; `figure.patches` holds the data.
     */
    async showTopPatches(
      model: AnyModel,
      options: { channel: number; layer?: string; count?: number },
    ): Promise<TopPatchesFigure> {
      const { channel, layer = MOBILENET_LAYERS.earlyBlockOutput, count = 9 } = options;
      if (!Number.isInteger(count) || count < 1 || count > 81)
        throw new Error(`count must be a whole number from 1 to 81, got ${count}`);
      const m = asLayersModel(model, 'wb.pictures.showTopPatches');
      const entries = session.photos.select();
      const load = (ids: number[]) => session.photos.batch(ids.map((i) => entries[i]!));
      const index = await patchIndex(m, layer, entries.length, load);
      // The index keeps 9 peaks per photo and channel, so up to 9 × (photos) patches; 2 per photo keeps variety.
      const peaks = index.top(channel, count, 2);
      if (peaks.length === 0)
        throw new Error(
          `Channel ${channel} of ${index.layer} never fires on our photos: it has no patch to show. Try another channel.`,
        );
      // For the prose that describes the windows: the channel, how many, and the photos they come from (breed or
      // ImageNet class, each once, strongest first): `patches.names`, `patches.2.channel`.
      noteFigures('top-patches', {
        channel,
        layer: index.layer,
        tiles: peaks.length,
        names: [...new Set(peaks.map((p) => entries[p.photo]!.name))].join(', '),
      });
      const images = await index.patches(peaks, load);
      const size = index.field.size;
      const picture = patchGrid(images, { columns: Math.min(peaks.length, 9), context: Math.round(size / 2) });
      const canvas = pixelsToCanvas(
        picture,
        `The ${peaks.length} patches of our photos that excite channel ${channel} of ${index.layer} most`,
      );
      canvas.dataset.picture = 'top-patches';
      const box = figure(
        [canvas],
        `Channel ${channel} of ${index.layer}: the ${peaks.length} ${size}×${size}-pixel windows of our ${entries.length} photos that excite it most, strongest first ` +
          `(yellow frame: the window the channel sees; around it, some of the photo for context).` +
          (peaks.length < count ? ` It fires on only ${peaks.length} separate spots.` : ''),
      ) as TopPatchesFigure;
      box.dataset.layer = index.layer;
      box.dataset.channel = String(channel);
      box.dataset.tiles = String(peaks.length);
      box.patches = {
        layer: index.layer,
        channel,
        windowSize: size,
        indexSeconds: index.seconds,
        patches: peaks.map((p) => ({ ...p, entry: entries[p.photo]!, window: index.windowOf(p) })),
      };
      return box;
    },
  };
  return api;
}

/**
 * The shared scale for the folded filters: the largest live filter, unless one outshines the rest. conv1_bn
 * multiplies one channel of this model by γ ≈ 13, so its folded weights are tens of times the others'; on its scale
 * every other tile would be plain grey. So an outlier (more than 10× the median live filter) does not set the scale:
 * the strongest of the rest does, and the outlier's tile is drawn clipped, with a frame.
 */
export function sharedScale(layer: FoldedFirstLayer): number {
  const peaks = layer.filters
    .filter((f) => !f.dead)
    .map((f) => f.peak)
    .sort((a, b) => a - b);
  if (peaks.length === 0) return 1;
  const median = peaks[Math.floor(peaks.length / 2)]!;
  return Math.max(...peaks.filter((p) => p <= 10 * median));
}

/** One line per filter: what it fires on, as far as the numbers say. */
export function filterCaption(f: FoldedFilter): string {
  const relu6 = (v: number) => Math.min(6, Math.max(0, v));
  if (f.dead) {
    // A dead filter's output is relu6(bias) whatever the photo; outputSpan is how far any input could move it.
    const level = relu6(f.bias);
    const within = f.outputSpan >= 0.005 ? ` (± ${(f.outputSpan / 2).toFixed(2)} at most)` : '';
    return `channel ${f.channel}: dead: outputs ${level.toFixed(level === 0 ? 0 : 2)}${within} on every photo`;
  }
  const what = f.fires === 'none' ? 'a contrast of colours, not of brightness' : `a ${f.fires}`;
  const flip = f.flipped ? ` (γ < 0: the opposite of its raw kernel)` : '';
  const strong = f.clipped ? ` — its weights go far beyond the scale` : '';
  return `channel ${f.channel}: fires on ${what}${flip}${strong}`;
}

/** A ChannelPatchIndex per model and layer, built once per page with a progress bar under the running cell. */
function patchIndex(
  model: tf.LayersModel,
  layer: string,
  photoCount: number,
  load: (ids: number[]) => Promise<tf.Tensor4D>,
): Promise<ChannelPatchIndex> {
  let byLayer = patchIndexes.get(model);
  if (!byLayer) patchIndexes.set(model, (byLayer = new Map()));
  const cached = byLayer.get(layer);
  if (cached) return cached;
  const out = cellOutput();
  const stopping = (ids: number[]) => {
    out.throwIfStopped(); // Stop or a re-run ends the pass between batches
    return load(ids);
  };
  const built = ChannelPatchIndex.build(model, layer, photoCount, stopping, {
    onProgress: (done, total) => out.progress(done, total, `${layer}: photos ${done} / ${total}`),
  });
  byLayer.set(layer, built);
  const forget = byLayer;
  built.catch(() => forget.delete(layer)); // a stopped or failed pass is not kept: the next call starts again
  return built;
}

/** A <figure> of parts with a caption. */
export function figure(parts: readonly Node[], caption: string): HTMLElement {
  const box = document.createElement('figure');
  box.className = 'wb-figure';
  const text = document.createElement('figcaption');
  text.textContent = caption;
  box.append(...parts, text);
  return box;
}
