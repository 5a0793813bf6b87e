/**
 * The photo set the lessons train on: photos/index.json says each photo's label and its split (split.ts): train
 * (learned from), validation (held out, used for every choice) or test (held out from both, scored once at the end;
 * see test-look.ts). Pixels come through an injected decoder (Node: readPhoto; the browser: an adapter in
 * src/platform), so this file runs anywhere.
 */
import * as tf from '@tensorflow/tfjs';
import { LABELS, SPLITS, type Split, type SplitSettings } from './split';
import { imageToInput, type RgbImage } from './image';

/** The workbook's classes in output order: 0 cat, 1 dog, 2 other ("none of the above"). */
export const CLASS_LABELS: readonly string[] = LABELS;

export type { Split } from './split';

/** One photo of the index. */
export interface PhotoEntry {
  /** Path under photos/, e.g. "cat/Abyssinian_101.jpg". */
  file: string;
  label: string;
  split: Split;
  /** A readable name: the breed or the ImageNet class. */
  name: string;
}

/** photos/index.json, validated. */
export interface PhotoIndex {
  labels: string[];
  split: SplitSettings;
  photos: PhotoEntry[];
}

/** Turns file paths into decoded pixels: readPhoto in Node, fetch + decode in the browser. */
export type PhotoDecoder = (file: string) => Promise<RgbImage> | RgbImage;

function fail(message: string): never {
  throw new Error(`photos/index.json: ${message}`);
}

/**
 * Checks parsed photos/index.json (or its text) and returns it typed. Every problem names the photo it is in, so
 * a broken index fails here, not as a NaN loss ten minutes into training.
 */
export function parsePhotoIndex(json: unknown): PhotoIndex {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (cause) {
      throw new Error('photos/index.json is not valid JSON', { cause });
    }
  }
  if (typeof value !== 'object' || value === null) fail('expected an object');
  const { labels, split, photos } = value as Record<string, unknown>;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string')) {
    fail('"labels" must be an array of at least two strings');
  }
  if (new Set(labels).size !== labels.length) fail(`"labels" has duplicates: ${labels.join(', ')}`);
  const s = split as Record<string, unknown> | undefined;
  if (typeof s?.seed !== 'number' || typeof s.validationFraction !== 'number' || typeof s.testFraction !== 'number') {
    fail(
      '"split" must be {seed: number, validationFraction: number, testFraction: number} (an index from before the test split? run `npm run assets`)',
    );
  }
  if (!Array.isArray(photos) || photos.length === 0) fail('"photos" must be a non-empty array');
  const seen = new Set<string>();
  const entries = photos.map((p: unknown, i): PhotoEntry => {
    const { file, label, split: which, name } = (p ?? {}) as Record<string, unknown>;
    const where = `photos[${i}]${typeof file === 'string' ? ` (${file})` : ''}`;
    if (typeof file !== 'string' || file.length === 0) fail(`${where} has no "file"`);
    if (seen.has(file)) fail(`${where} is listed twice`);
    seen.add(file);
    if (typeof label !== 'string' || !labels.includes(label))
      fail(`${where} has label ${JSON.stringify(label)}, not one of ${labels.join(', ')}`);
    if (!(SPLITS as readonly unknown[]).includes(which))
      fail(`${where} has split ${JSON.stringify(which)}, expected one of ${SPLITS.map((x) => `"${x}"`).join(', ')}`);
    return { file, label, split: which as Split, name: typeof name === 'string' ? name : file };
  });
  for (const label of labels as string[]) {
    for (const which of SPLITS) {
      if (!entries.some((e) => e.label === label && e.split === which)) fail(`no ${which} photo of "${label}"`);
    }
  }
  return {
    labels: [...(labels as string[])],
    split: { seed: s.seed, validationFraction: s.validationFraction, testFraction: s.testFraction },
    photos: entries,
  };
}

/**
 * The photo set: selection by split, labels as class indices, and batches of model input. Decoded photos are kept
 * (390 × 150 kB ≈ 59 MB) unless `keepDecoded` is false, because a photo is decoded once per freeze point otherwise.
 */
export class PhotoSet {
  /** Class names in output order. */
  readonly labels: readonly string[];
  private readonly decoded = new Map<string, Promise<RgbImage>>();

  constructor(
    readonly index: PhotoIndex,
    private readonly decode: PhotoDecoder,
    private readonly options: { keepDecoded?: boolean } = {},
  ) {
    this.labels = index.labels;
  }

  /**
   * The photos of one split (or all of them), in the index's order. Selecting the test photos is allowed (to list
   * them); scoring a model on them goes through evaluateTest (test-look.ts), which counts the looks.
   */
  select(split?: Split): PhotoEntry[] {
    return split ? this.index.photos.filter((p) => p.split === split) : [...this.index.photos];
  }

  /** A label's output index (cat → 0 …), with an error for a label the model has no output for. */
  classIndex(label: string): number {
    const i = this.labels.indexOf(label);
    if (i < 0) throw new Error(`unknown label "${label}": the model's classes are ${this.labels.join(', ')}`);
    return i;
  }

  /** Decoded pixels of one photo, with the file named in any decoding error. */
  async image(file: string): Promise<RgbImage> {
    let pending = this.decoded.get(file);
    if (!pending) {
      pending = Promise.resolve()
        .then(() => this.decode(file))
        .catch((cause: unknown) => {
          this.decoded.delete(file);
          throw new Error(`photo ${file} could not be loaded: ${String((cause as Error)?.message ?? cause)}`, {
            cause,
          });
        });
      if (this.options.keepDecoded !== false) this.decoded.set(file, pending);
    }
    return pending;
  }

  /**
   * Photos as one [n, 224, 224, 3] model-input batch, through the same imageToInput a learner's upload uses.
   * `mirrored[i]` flips photo i left↔right: a cat facing left is still a cat, so mirroring gives "new" photos for free.
   */
  async batch(photos: readonly (PhotoEntry | string)[], mirrored?: readonly boolean[]): Promise<tf.Tensor4D> {
    const files = photos.map((p) => (typeof p === 'string' ? p : p.file));
    const images = await Promise.all(files.map((f) => this.image(f)));
    return tf.tidy(() => {
      const inputs = images.map((image, i) => {
        const x = imageToInput(image);
        return mirrored?.[i] ? tf.reverse(x, 1) : x; // axis 1 of [h, w, c] is the width
      });
      return tf.stack(inputs) as tf.Tensor4D;
    });
  }

  /** Class indices of photos, in order. */
  classIndices(photos: readonly PhotoEntry[]): number[] {
    return photos.map((p) => this.classIndex(p.label));
  }

  /** One-hot targets [n, classes] for photos: the form categorical cross-entropy compares the softmax against. */
  oneHot(photos: readonly PhotoEntry[]): tf.Tensor2D {
    return tf.tidy(
      () => tf.oneHot(tf.tensor1d(this.classIndices(photos), 'int32'), this.labels.length).toFloat() as tf.Tensor2D,
    );
  }
}

/** Loads a photo set from its index (parsed, text or object) and a decoder. */
export function loadPhotoSet(indexJson: unknown, decode: PhotoDecoder, options?: { keepDecoded?: boolean }): PhotoSet {
  return new PhotoSet(parsePhotoIndex(indexJson), decode, options);
}
