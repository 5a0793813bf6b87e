/**
 * The photo index: each photo's label and which of three splits it belongs to.
 *
 *   train       the photos a model learns from;
 *   validation  held out from training, and used for every choice (epochs, learning rate, freeze point, head);
 *   test        held out from both, scored once at the end: because no choice was made by looking at them, their
 *               accuracy still estimates how the model does on photos it has never met. Every extra look at them
 *               (to pick between models) spends that guarantee, which is why the engine counts looks.
 *
 * The split is stratified (every label keeps the same shares, so no class is ever missing from a split) and seeded
 * (the same seed gives the same split on every machine, so a checkpoint's recorded figures can be checked
 * anywhere). It depends only on the file names, never on directory-listing order. scripts/photo-index.mjs runs
 * this very file when `npm run assets` writes photos/index.json.
 */
import { mulberry32 } from './seeded';

/** The split's settings; changing them changes which photos are held out, so every checkpoint must be retrained. */
export const SPLIT = Object.freeze({ seed: 20240607, validationFraction: 0.2, testFraction: 0.2 });

/** A split's settings: the shuffle's seed and the shares of each label held out for validation and for test. */
export type SplitSettings = { seed: number; validationFraction: number; testFraction: number };

/** The workbook's three classes, in output order: index 0 is cat, 1 dog, 2 "none of the above". */
export const LABELS: readonly string[] = Object.freeze(['cat', 'dog', 'other']);

/** The three parts of the photo set. */
export const SPLITS = Object.freeze(['train', 'validation', 'test'] as const);

/** Which part of the set a photo is in. */
export type Split = (typeof SPLITS)[number];

/** One photo of the index. */
export interface IndexedPhoto {
  /** Path under photos/, e.g. "cat/Abyssinian_101.jpg". */
  file: string;
  label: string;
  split: Split;
  /** A readable name: the breed or the ImageNet class. */
  name: string;
}

/** photos/index.json as the asset script writes it. */
export interface BuiltPhotoIndex {
  labels: string[];
  split: SplitSettings;
  counts: Record<string, Record<Split, number>>;
  photos: IndexedPhoto[];
}

/**
 * A readable name for a photo: the Oxford breed ("Egyptian Mau") or the ImageNet class ("red fox").
 * @param file e.g. "cat/Egyptian_Mau_10.jpg" or "other/other_imagenet_n02119022_red_fox.jpg"
 */
export function photoName(file: string): string {
  const base = file
    .split('/')
    .pop()!
    .replace(/\.(jpe?g|png|webp)$/i, '');
  const other = base.match(/^other_(?:imagenet_n\d+_|[a-z]+_)(.+)$/);
  return (other ? other[1]! : base.replace(/_\d+$/, '')).replace(/_/g, ' ');
}

/** Checks split settings: fractions in [0, 1) that leave photos to train on. */
function checkSettings(split: SplitSettings): void {
  const { seed, validationFraction: v, testFraction: t } = split;
  if (!Number.isInteger(seed)) throw new Error(`the split's seed must be an integer, not ${seed}`);
  for (const [name, f] of [
    ['validationFraction', v],
    ['testFraction', t],
  ] as const) {
    if (!(f >= 0 && f < 1)) throw new Error(`the split's ${name} must be in [0, 1), not ${f}`);
  }
  if (v + t >= 1) throw new Error(`validationFraction + testFraction is ${v + t}: nothing would be left to train on`);
}

/**
 * Builds the index from photo paths of the form "<label>/<name>.jpg". Per label: sort the names, shuffle them with
 * the seed, then the first round(n × validationFraction) are validation, the next round(n × testFraction) test,
 * the rest train. (So adding a test split left the earlier validation photos exactly as they were.)
 */
export function buildPhotoIndex(files: readonly string[], split: SplitSettings = SPLIT): BuiltPhotoIndex {
  checkSettings(split);
  const byLabel = new Map<string, string[]>(LABELS.map((label) => [label, []]));
  for (const file of files) {
    const label = file.split('/')[0]!;
    const names = byLabel.get(label);
    if (!names) throw new Error(`photo "${file}" is not under one of ${LABELS.join(', ')}`);
    names.push(file);
  }
  const random = mulberry32(split.seed);
  const photos: IndexedPhoto[] = [];
  const counts: Record<string, Record<Split, number>> = {};
  for (const [label, names] of byLabel) {
    // Sort first, so the shuffle's input never depends on the order files were listed in.
    const order = [...names].sort();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const nValidation = Math.round(order.length * split.validationFraction);
    const nTest = Math.round(order.length * split.testFraction);
    const which = new Map<string, Split>(
      order.map((f, i) => [f, i < nValidation ? 'validation' : i < nValidation + nTest ? 'test' : 'train']),
    );
    counts[label] = { train: order.length - nValidation - nTest, validation: nValidation, test: nTest };
    for (const file of names) photos.push({ file, label, split: which.get(file)!, name: photoName(file) });
  }
  photos.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { labels: [...LABELS], split: { ...split }, counts, photos };
}
