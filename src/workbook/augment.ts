/**
 * `wb.augment`: lesson 7's augmentation by hand, wired to the page. The engine (src/ml/augment*.ts) does the work;
 * this module gives the learner a photo as pixels, draws the grid of augmented versions, and shows the
 * with/without study as a table of intervals with a plain verdict on what 78 validation photos can tell.
 *
 * ```ts
 * const image = await wb.augment.image('cat/Bombay_160.jpg');              // [224, 224, 3], pixels 0–255
 * wb.augment.grid({ flip, rotate, crop }, 'cat/Bombay_160.jpg');           // 8 seeded augmented versions
 * const study = await wb.augment.study(base, { flip, rotate, crop });      // with vs without, 3 seeds
 * await wb.scoreTest(study.model, 'head chosen in lesson 7');              // the one look at the test photos
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_PREFIX, activationCacheFor } from '../ml/activation-cache';
import { augmentationRandom, augmentImage, toPixels, type Augmentations, type Image } from '../ml/augment';
import {
  headAsTransferModel,
  studyAugmentation,
  type AugmentationStudy,
  type AugmentationStudyOptions,
} from '../ml/augment-training';
import { imageToInput } from '../ml/image';
import { MOBILENET_LAYERS } from '../ml/layers';
import { asLayersModel, type AnyModel, type TransferModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { percent, textTable, workbookElement } from './dom';
import { noteFigures } from './figures';
import { findPhoto, type PhotoRef } from './photos';
import type { Session } from './session';

/** What wb.augment.study returns: the study, which head it chose (by validation only) and that head as a model. */
export interface AugmentationResult extends AugmentationStudy {
  /** The variant with the higher mean validation accuracy over the seeds; "plain" on a tie (the simpler one). */
  chosen: 'plain' | 'augmented';
  /** The chosen head of the first seed on the base, for wb.scoreTest. */
  model: TransferModel;
}

/** Checks the three functions are there before minutes of work start. */
function assertAugmentations(a: Augmentations): void {
  for (const name of ['flip', 'rotate', 'crop'] as const)
    if (typeof a?.[name] !== 'function')
      throw new Error(`wb.augment needs your three functions, { flip, rotate, crop }: ${name} is not a function`);
}

/** A [224, 224, 3] 0–255 image as a canvas. */
async function canvasOf(image: Image, caption: string): Promise<HTMLElement> {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  const pixels = tf.tidy(() => image.clipByValue(0, 255).round().toInt() as tf.Tensor3D);
  await tf.browser.toPixels(pixels, canvas);
  pixels.dispose();
  canvas.style.width = '112px';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', caption);
  const text = document.createElement('figcaption');
  text.textContent = caption;
  figure.append(canvas, text);
  return figure;
}

/** The study as a table: per seed, both heads' accuracies with intervals and the photos only one got right. */
function studyView(r: AugmentationResult): HTMLElement {
  const view = workbookElement('div', 'augment-study');
  const acc = (s: { correct: number; total: number; interval: { low: number; high: number } }) =>
    `${percent(s.correct / s.total)} [${percent(s.interval.low)}, ${percent(s.interval.high)}] · ${s.correct}/${s.total}`;
  const rows = r.seeds.map((s) => [
    String(s.seed),
    acc(s.plain),
    acc(s.augmented),
    `${s.paired.onlyA} / ${s.paired.onlyB}`,
    `${s.paired.pValue.toFixed(2)}${s.paired.insideNoise ? ' (noise)' : ''}`,
  ]);
  const mean = (m: AugmentationStudy['plain']) => `mean ${percent(m.estimate)} [${percent(m.low)}, ${percent(m.high)}]`;
  rows.push(['all seeds', mean(r.plain), mean(r.augmented), '', '']);
  view.append(
    textTable(
      `Validation accuracy (95 % intervals) of the head without and with ${r.copies} augmented copies of each of the ${r.trainPhotos} training photos`,
      ['seed', 'without augmentation', 'with augmentation', 'right only without / only with', 'McNemar p'],
      rows,
    ),
  );
  const noisy = r.seeds.filter((s) => s.paired.insideNoise).length;
  const verdict = document.createElement('p');
  verdict.className = 'wb-note';
  verdict.dataset.insideNoise = String(noisy);
  verdict.textContent =
    noisy === r.seeds.length
      ? `For every seed the two heads disagree on too few of the ${r.validationPhotos} validation photos to tell them apart (McNemar p ≥ 0.05): on these photos, the difference is noise.`
      : `For ${r.seeds.length - noisy} of ${r.seeds.length} seeds the difference is more than the ${r.validationPhotos} validation photos' noise (p < 0.05).`;
  const choice = document.createElement('p');
  choice.className = 'wb-note';
  choice.textContent = `Chosen by validation accuracy alone: the head ${r.chosen === 'augmented' ? 'with' : 'without'} augmentation.`;
  view.append(verdict, choice);
  return view;
}

/** Every figure of a study, named so the drift test compares accuracies within a photo and counts within one. */
function noteStudy(r: AugmentationResult): void {
  const accuracy = (name: string, s: { correct: number; total: number; interval: { low: number; high: number } }) => ({
    [`${name}.valAcc`]: s.correct / s.total,
    [`${name}.valAccLow`]: s.interval.low,
    [`${name}.valAccHigh`]: s.interval.high,
    [`${name}.valCorrect`]: s.correct,
    [`${name}.valTotal`]: s.total,
  });
  const mean = (name: string, m: AugmentationStudy['plain']) => ({
    [`${name}.valAcc`]: m.estimate,
    [`${name}.valAccLow`]: m.low,
    [`${name}.valAccHigh`]: m.high,
    [`${name}.valTotal`]: r.validationPhotos,
  });
  noteFigures('augment-study', {
    copies: r.copies,
    seeds: r.seeds.length,
    trainPhotos: r.trainPhotos,
    seconds: r.seconds,
    chosen: r.chosen,
    seedsInsideNoise: r.seeds.filter((s) => s.paired.insideNoise).length,
    ...mean('plain', r.plain),
    ...mean('augmented', r.augmented),
    ...Object.assign(
      {},
      ...r.seeds.map((s) => ({
        ...accuracy(`seed${s.seed}.plain`, s.plain),
        ...accuracy(`seed${s.seed}.augmented`, s.augmented),
        [`seed${s.seed}.onlyPlain.correct`]: s.paired.onlyA,
        [`seed${s.seed}.onlyAugmented.correct`]: s.paired.onlyB,
      })),
    ),
  });
}

/** `wb.augment`: a photo as pixels, a grid of augmented versions, and the with/without-augmentation study. */
export interface AugmentGroup {
  /**
   * Returns one photo of our set as a [224, 224, 3] tensor of pixels 0–255 (float), the image your augmentations
   * take and give back. Dispose it when done.
   * @example const image = await wb.augment.image('cat/Bombay_160.jpg');
   */
  image(photo: PhotoRef): Promise<Image>;
  /**
   * Returns a grid (a DOM element) of the photo and `count` (default 8) augmented versions of it: your flip on a
   * seeded coin toss (as RandomFlip('horizontal')), then your rotation, then your crop. The same seed, the same grid.
   * @example display(await wb.augment.grid({ flip, rotate, crop }, 'cat/Egyptian_Mau_10.jpg', { seed: 1 }));
   */
  grid(
    augmentations: Augmentations,
    photo: PhotoRef,
    options?: { count?: number; seed?: number },
  ): Promise<HTMLElement>;
  /**
   * Returns the with/without-augmentation study, shown as a table: per seed, a head fitted on the pooled features
   * of the training photos and one fitted on those plus `copies` augmented versions of each, both scored on the
   * validation photos with 95 % intervals and compared photo by photo (McNemar). `result.model` is the head chosen
   * by validation accuracy, for the one look at the test photos (wb.scoreTest).
   * @example const study = await wb.augment.study(base, { flip, rotate, crop }, { copies: 2, seeds: [1, 2, 3] });
   */
  study(
    base: AnyModel,
    augmentations: Augmentations,
    options?: Pick<AugmentationStudyOptions, 'copies' | 'seeds' | 'epochs' | 'l2'>,
  ): Promise<AugmentationResult>;
}

/** Builds `wb.augment` over the page's session. */
export function augmentApi(session: Session): AugmentGroup {
  const image = async (photo: PhotoRef): Promise<Image> => {
    const entry = findPhoto(session.photos, photo);
    const input = imageToInput(await session.photos.image(entry.file));
    const pixels = toPixels(input);
    input.dispose();
    return pixels;
  };
  return {
    image,

    async grid(augmentations, photo, options = {}) {
      assertAugmentations(augmentations);
      const { count = 8, seed = 1 } = options;
      const pixels = await image(photo);
      const view = workbookElement('div', 'augment-grid');
      view.style.cssText = 'display:flex;flex-wrap:wrap;gap:0.5rem';
      view.dataset.count = String(count);
      view.append(await canvasOf(pixels, 'original'));
      for (let i = 0; i < count; i++) {
        // Version i draws from its own seeded stream: the grid is the same on every run, and each version differs.
        const out = augmentImage(augmentations, pixels, augmentationRandom(seed, 0, i));
        view.append(await canvasOf(out, `version ${i + 1}`));
        out.dispose();
      }
      pixels.dispose();
      return view;
    },

    async study(base, augmentations, options = {}) {
      assertAugmentations(augmentations);
      const out = cellOutput();
      const model = asLayersModel(base, 'wb.augment.study');
      await tf.ready();
      const photos = session.photos;
      const entries = [...photos.select('train'), ...photos.select('validation')];
      out.progress(0, 'the pooled features of the plain photos…');
      // The plain photos' features come from the page's cache (the setup cell computed them already).
      const cache = activationCacheFor(model, photos, DEFAULT_PREFIX);
      const rows = await cache.activations(MOBILENET_LAYERS.pooledFeatures, entries, false, undefined, out.signal);
      const plain = new Map(entries.map((e, i) => [e.file, rows[i]!]));
      const study = await studyAugmentation(model, photos, plain, augmentations, {
        ...options,
        signal: out.signal,
        onProgress: (done, total) =>
          out.progress(done, total, `augmented copies through the frozen base: ${done} / ${total}`),
      });
      // Chosen on validation only: the test photos are looked at once, after the choice.
      const chosen = study.augmented.estimate > study.plain.estimate ? 'augmented' : 'plain';
      const result: AugmentationResult = { ...study, chosen, model: headAsTransferModel(model, study.heads[chosen]) };
      noteStudy(result);
      out.show(() => studyView(result));
      return result;
    },
  };
}
