/**
 * The groups of `wb` as a learner reads them: `wb.photos`, `wb.layers`, `wb.pictures`, `wb.runs`,
 * `wb.checkpoints`, `wb.evidence`. Each is a named interface, and that is on purpose: the editor's types are
 * declarations (scripts/cell-types-bundle.mjs), and a named interface keeps every member's doc comment there, where
 * an inferred object type would lose it. So these doc comments are what the editor shows on hover and what the
 * site's wb reference page lists (scripts/wb-reference.mjs): each says first what the member returns, then gives an
 * `@example` one-liner. The modules that build the groups (photos.ts, inspection.ts, …) are checked against them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { EfficiencyPoint, SizePerClass } from '../ml/data-efficiency';
import type { PhotoEntry, Split } from '../ml/dataset';
import type { Evaluation } from '../ml/evaluate';
import type { RgbImage } from '../ml/image';
import type { BlockSummary, LayerInfo } from '../ml/layers';
import type { RunRecord, RunRow } from '../ml/runs';
import type { PairedComparison } from '../ml/stats';
import type { AnyModel, TransferModel } from '../ml/surgery';
import type { FeatureMapOptions } from '../ml/visualize';
import type { Checkpoint } from './checkpoints';
import type { DepthPoint, Probe, ProbeSet } from './evidence';
import type { LayerDrift } from './evidence-drift';
import type { LayerTableOptions } from './inspection';
import type { GalleryOptions, PhotoRef } from './photos';
import type { ChannelMeans, FiltersFigure, TopPatchesFigure, TopPhotos } from './pictures';

/** `wb.photos`: our 390 cat, dog and other photos, picked by label or file, as pixels, batches and galleries. */
export interface PhotosGroup {
  /**
   * The class labels, in the order a three-way head outputs them: cat, dog, other.
   * @example wb.photos.labels.indexOf('dog') // 1
   */
  readonly labels: readonly string[];
  /**
   * Every photo of the set, or of one split ('train', 'validation' or 'test'), in the index's order.
   * @example const trainPhotos = wb.photos.all('train');
   */
  all(split?: Split): PhotoEntry[];
  /**
   * The photo with this file name (its label, breed or object name, split); a near miss suggests names.
   * @example wb.photos.find('cat/Egyptian_Mau_10.jpg').name // "Egyptian Mau"
   */
  find(file: PhotoRef): PhotoEntry;
  /**
   * `count` photos of one label, spread over its breeds or objects; `split` narrows to one split.
   * @example const dogs = wb.photos.byLabel('dog', 5, 'validation');
   */
  byLabel(label: string, count?: number, split?: Split): PhotoEntry[];
  /**
   * `perLabel` photos of every label: cats, then dogs, then others.
   * @example const photos = wb.photos.mixed(2); // 2 cats, 2 dogs, 2 others
   */
  mixed(perLabel?: number, split?: Split): PhotoEntry[];
  /**
   * The photo's decoded 224×224 RGBA pixels (decoded once per page).
   * @example const { width, height, data } = await wb.photos.pixels('dog/pug_112.jpg');
   */
  pixels(photo: PhotoRef): Promise<RgbImage>;
  /**
   * One model input batch [n, 224, 224, 3], scaled to [−1, 1] as MobileNet expects (dispose it when done).
   * @example const xs = await wb.photos.batch(wb.photos.mixed(1));
   */
  batch(photos: readonly PhotoRef[]): Promise<tf.Tensor4D>;
  /**
   * The photos' labels as one-hot targets [n, 3] in wb.photos.labels order, as Keras' `to_categorical` gives them.
   * @example const ys = wb.photos.oneHot(wb.photos.all('train'));
   */
  oneHot(photos: readonly PhotoRef[]): tf.Tensor2D;
  /**
   * The photo as a File, exactly what a file input would hand over, for wb.classify's file form.
   * @example const file = await wb.photos.file('cat/Bombay_160.jpg');
   */
  file(photo: PhotoRef): Promise<File>;
  /**
   * A gallery of the photos with captions (label and name), to show under the cell.
   * @example wb.photos.show(wb.photos.mixed(2))
   */
  show(photos: readonly PhotoRef[], options?: GalleryOptions): HTMLElement;
}

/** `wb.layers`: a model's layers described, grouped into MobileNet's blocks, and drawn as a table. */
export interface LayersGroup {
  /**
   * Every layer as data: index, name, type, output shape, parameters, trainable or not, and its block.
   * @example wb.layers.describe(model).filter((l) => l.type === 'Conv2D').length
   */
  describe(model: AnyModel): LayerInfo[];
  /**
   * The layers grouped into stem, block 1 … block 13 and classifier, with each group's totals.
   * @example wb.layers.blocks(model).map((b) => `${b.name}: ${b.params}`)
   */
  blocks(model: AnyModel): BlockSummary[];
  /**
   * A shape as a learner reads it: [7, 7, 256] → "7×7×256".
   * @example wb.layers.formatShape([7, 7, 256]) // "7×7×256"
   */
  formatShape(shape: readonly number[]): string;
  /**
   * The layer table, grouped by block (click a group to open it), to show under the cell.
   * @example wb.layers.show(model, { open: ['classifier'] })
   */
  show(model: AnyModel, options?: LayerTableOptions): HTMLElement;
}

/** `wb.pictures`: what layers respond to, drawn: filters, feature maps, the photos and patches a channel likes. */
export interface PicturesGroup {
  /**
   * The first convolution's filters as it computes them (conv1 with its BatchNorm folded in), one shared scale,
   * dead filters crossed out, one line per channel; `figure.firstLayer` holds the numbers.
   * @example const figure = wb.pictures.showFilters(model);
   */
  showFilters(model: AnyModel, options?: { fullScale?: number }): FiltersFigure;
  /**
   * One photo's feature maps at `layer`, one tile per channel (dark = quiet, yellow = firing).
   * @example await wb.pictures.showFeatureMaps(model, 'cat/Egyptian_Mau_10.jpg', 'conv_pw_1_relu')
   */
  showFeatureMaps(model: AnyModel, photo: PhotoRef, layer?: string, options?: FeatureMapOptions): Promise<HTMLElement>;
  /**
   * The photo, the first layer's filters, an early layer's and a late layer's feature maps, side by side.
   * @example await wb.pictures.showEarlyAndLate(model, 'cat/Egyptian_Mau_10.jpg', { early, late })
   */
  showEarlyAndLate(model: AnyModel, photo: PhotoRef, layers?: { early?: string; late?: string }): Promise<HTMLElement>;
  /**
   * Every photo's mean activation per channel of `layer` (cached per page): data to compute with.
   * @example const { photos, means } = await wb.pictures.channelMeans(model, 'conv_pw_13_relu');
   */
  channelMeans(model: AnyModel, layer?: string, photos?: readonly PhotoRef[]): Promise<ChannelMeans>;
  /**
   * The photos that excite `channel` of `layer` most, with their activations and a tally per label; shown as a
   * gallery unless `show: false`.
   * @example const top = await wb.pictures.topPhotos(model, { channel: 5 });
   */
  topPhotos(
    model: AnyModel,
    options: { channel: number; layer?: string; count?: number; show?: boolean },
  ): Promise<TopPhotos>;
  /**
   * The photo patches (receptive fields) that excite `channel` of an early `layer` most, as a figure;
   * `figure.patches` holds the data.
   * @example await wb.pictures.showTopPatches(model, { layer: 'conv_pw_3_relu', channel: 7 })
   */
  showTopPatches(
    model: AnyModel,
    options: { channel: number; layer?: string; count?: number },
  ): Promise<TopPatchesFigure>;
}

/** `wb.runs`: the page's runs table, every wb.train run one row, the lab notebook of the lesson. */
export interface RunsGroup {
  /**
   * A live table of the page's runs (it fills in as later runs finish), with 95 % intervals.
   * @example wb.runs.show('Freeze points compared')
   */
  show(caption?: string): HTMLElement;
  /**
   * One summary row per run, oldest first: freeze point, trainable parameters, final and best validation accuracy,
   * seconds per epoch.
   * @example wb.runs.rows().map((r) => r.finalValAcc)
   */
  rows(): RunRow[];
  /**
   * The run with the best final validation accuracy, or undefined before any run.
   * @example wb.runs.best()?.freezeAt
   */
  best(): RunRecord | undefined;
  /**
   * Adds a solution checkpoint's run to the table as a baseline row, and returns that row's record.
   * @example wb.runs.addCheckpoint(await wb.checkpoints.load('head'), 'linear head (lesson 5)');
   */
  addCheckpoint(checkpoint: Checkpoint, name?: string): RunRecord;
  /**
   * Nothing: empties the runs table (every view of it too).
   * @example wb.runs.clear();
   */
  clear(): void;
}

/** `wb.checkpoints`: the course's solution models, trained ahead of time, to look at, compare with, carry on from. */
export interface CheckpointsGroup {
  /**
   * A solution checkpoint: a new transfer model every call (`.model`), its run record and metadata.
   * @example const linear = await wb.checkpoints.load('head');
   */
  load(name: string): Promise<Checkpoint>;
  /**
   * A fresh copy of the solution model to carry on with; says under the cell what was restored and how good it is.
   * @example let model = await wb.checkpoints.restore('head');
   */
  restore(name: string): Promise<TransferModel>;
  /**
   * A figure: your run's numbers next to the checkpoint's (a fresh validation evaluation of both) and both learning
   * curves in one chart.
   * @example await wb.checkpoints.compare(run, model, 'head')
   */
  compare(run: RunRecord, model: AnyModel, name: string): Promise<HTMLElement>;
}

/** What BatchNorm drift cost: the drift per layer and both models' validation scores, paired. */
export type BatchNormCost = PairedComparison & { drift: LayerDrift[]; naive: Evaluation; frozen: Evaluation };

/** `wb.evidence`: measured answers, with intervals, to "how transferable is each depth" and "what does it cost". */
export interface EvidenceGroup {
  /**
   * One point per block end, for ImageNet weights and for random ones: what your `probe` scores on the validation
   * photos there, with its 95 % interval.
   * @example const depthPoints = await wb.evidence.depths(probe);
   */
  depths(probe: Probe): Promise<DepthPoint[]>;
  /**
   * One layer's probe data: standardised features and one-hot labels of the training and validation photos.
   * @example const set = await wb.evidence.probeSet('conv_pw_13_relu');
   */
  probeSet(layer?: string, network?: 'imagenet' | 'random'): Promise<ProbeSet>;
  /**
   * Validation accuracy against training photos per class, ImageNet features vs random ones, over several seeds.
   * @example const perClass = await wb.evidence.photosPerClass({ sizes: [5, 25, 'all'], seeds: [1, 2, 3] });
   */
  photosPerClass(options?: {
    sizes?: readonly SizePerClass[];
    seeds?: readonly number[];
  }): Promise<{ imagenet: EfficiencyPoint[]; random: EfficiencyPoint[] }>;
  /**
   * How far a naive fit moved each BatchNorm layer's statistics, and what that costs against the workbook's freeze
   * (both models on the same validation photos, paired).
   * @example const cost = await wb.evidence.batchNormCost(naive, frozen);
   */
  batchNormCost(naive: AnyModel, frozen: AnyModel, names?: [string, string]): Promise<BatchNormCost>;
}
