/**
 * `wb.pictures`: seeing what the network learned. The engine (src/ml/visualize.ts) turns weights and activations
 * into pixels; this module runs the model to get the activations, caches what is costly, and puts the pixels on
 * canvases with captions:
 * - the first layer's filters, each a tiny RGB picture of the pattern it responds to;
 * - a layer's feature maps for one photo (hover a tile to see its channel);
 * - for a channel of a late layer, the photos of our set that excite it most. Every photo's mean activation per
 *   channel is computed once per page and layer (a few seconds for the 390 photos), then answers at once.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry } from '../ml/dataset';
import { activationModel, featureMapGrid, filterGrid, firstConvKernel, type FeatureMapOptions } from '../ml/visualize';
import { drawInteractiveGrid, pixelsToCanvas } from '../platform/browser-draw';
import { cellOutput, inBatches } from './cell-output';
import { MOBILENET_LAYERS } from '../ml/layers';
import { asLayersModel, layerIndex, type AnyModel } from '../ml/surgery';
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

const PHOTOS_PER_PASS = 16;

/** Sub-models that stop at a layer, per model: building one is cheap, but not free on every hover. */
const probes = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();
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
export async function activationsOf(session: Session, model: tf.LayersModel, photo: PhotoEntry, layer: string): Promise<tf.Tensor3D> {
  const sub = probe(model, layer);
  const x = await session.photos.batch([photo]);
  const y = tf.tidy(() => (sub.predict(x) as tf.Tensor).squeeze([0]));
  x.dispose();
  if (y.rank !== 3) {
    const shape = y.shape;
    y.dispose();
    throw new Error(`Layer "${layer}" outputs [${shape.join(', ')}] per photo, not feature maps [height, width, channels]: pick a conv layer.`);
  }
  return y as tf.Tensor3D;
}

/** Every photo's (or the given photos') mean activation per channel of `layer`, computed once and cached. */
export async function channelMeans(session: Session, model: tf.LayersModel, layer: string, photos?: readonly PhotoRef[]): Promise<ChannelMeans> {
  const out = cellOutput();
  const entries = (photos ?? session.photos.select()).map((p) => findPhoto(session.photos, p));
  const sub = probe(model, layer);
  if (sub.outputs[0]!.shape.length !== 4) throw new Error(`Layer "${layer}" has no feature maps (its output is [${sub.outputs[0]!.shape.join(', ')}]): pick a conv layer.`);
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
  const order = means.photos.map((_, i) => i).sort((a, b) => means.means[b]![channel]! - means.means[a]![channel]! || a - b);
  const photos = order.slice(0, count).map((i) => ({ photo: means.photos[i]!, activation: means.means[i]![channel]! }));
  const tally = Object.fromEntries(labels.map((l) => [l, photos.filter((p) => p.photo.label === l).length]));
  return { layer: means.layer, channel, photos, labels: tally };
}

/** The `wb.pictures` part of the facade. */
export function picturesApi(session: Session) {
  const api = {
    /** The first convolution's filters as tiny RGB pictures (grey = 0). Returns a figure to show. */
    filters(model: AnyModel): HTMLElement {
      const kernel = firstConvKernel(asLayersModel(model, 'wb.pictures.filters'));
      const [h, w, , n] = kernel.shape;
      const canvas = pixelsToCanvas(filterGrid(kernel), `The ${n} filters of the first layer, ${h}×${w} pixels each`);
      canvas.dataset.picture = 'filters';
      return figure([canvas], `First layer: ${n} filters of ${h}×${w}×3. Each tile is the colour pattern that makes its filter fire; grey is 0.`);
    },

    /** One photo's feature maps at `layer` (one tile per channel, viridis: dark = quiet, yellow = firing). */
    async featureMaps(model: AnyModel, photo: PhotoRef, layer: string = MOBILENET_LAYERS.lastConvOutput, options: FeatureMapOptions = {}): Promise<HTMLElement> {
      const entry = findPhoto(session.photos, photo);
      const maps = await activationsOf(session, asLayersModel(model, 'wb.pictures.featureMaps'), entry, layer);
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
    async earlyAndLate(model: AnyModel, photo: PhotoRef, layers: { early?: string; late?: string } = {}): Promise<HTMLElement> {
      const entry = findPhoto(session.photos, photo);
      const { early = MOBILENET_LAYERS.firstConvOutput, late = MOBILENET_LAYERS.lastConvOutput } = layers;
      const panels = [
        figure([photoFigure(entry, session, 160)], `The photo: ${entry.name}`),
        api.filters(model),
        await api.featureMaps(model, entry, early),
        await api.featureMaps(model, entry, late),
      ];
      const box = document.createElement('div');
      box.className = 'wb-panels';
      box.append(...panels);
      return box;
    },

    /** Every photo's mean activation per channel of `layer` (cached per page), for computing with. */
    channelMeans: (model: AnyModel, layer: string = MOBILENET_LAYERS.lastConvOutput, photos?: readonly PhotoRef[]): Promise<ChannelMeans> =>
      channelMeans(session, asLayersModel(model, 'wb.pictures.channelMeans'), layer, photos),

    /** The photos of our set that excite `channel` of `layer` most: shown as a gallery, returned as data. */
    async topPhotos(model: AnyModel, options: { channel: number; layer?: string; count?: number; show?: boolean }): Promise<TopPhotos> {
      const out = cellOutput();
      const { channel, layer = MOBILENET_LAYERS.lastConvOutput, count = 8 } = options;
      const top = rankPhotos(await channelMeans(session, asLayersModel(model, 'wb.pictures.topPhotos'), layer), channel, count, session.photos.labels);
      if (options.show !== false) {
        out.show(() => {
          const tally = Object.entries(top.labels).filter(([, n]) => n > 0).map(([l, n]) => `${n} ${l}`).join(', ');
          const box = figure([gallery(top.photos.map((p) => p.photo), session, { size: 84, caption: (p, i) => `${p.label} · ${top.photos[i]!.activation.toFixed(2)}` })],
            `Channel ${channel} of ${layer}: its ${top.photos.length} most exciting photos (${tally}). The number is the channel's mean activation.`);
          box.dataset.channel = String(channel);
          return box;
        });
      }
      return top;
    },
  };
  return api;
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
