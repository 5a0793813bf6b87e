/**
 * The learner's own classes (lesson 8): photos they chose, under labels they typed, turned into a photo set the
 * engine trains on exactly like the course's. Everything here is pure (no DOM, no IndexedDB): what a class name may
 * be, which files of an upload are images, whether there are enough photos to train, and the seeded, stratified
 * split into training and validation photos. The browser keeps the photos themselves (src/platform/photo-store.ts).
 */
import { PhotoSet, type PhotoDecoder, type PhotoEntry, type PhotoIndex } from './dataset';
import { shuffledIndices } from './seeded';

/** Fewer photos than this in a class and there is nothing to learn from and nothing to validate on. */
export const MIN_PER_CLASS = 5;

/** Files one upload accepts; a larger choice is refused with this number in the message, before anything is read. */
export const MAX_FILES_PER_UPLOAD = 200;

/** Photos decoded and stored at a time during an upload, so the page repaints (progress) between batches. */
export const UPLOAD_BATCH = 8;

/** The longest side a stored photo keeps: enough for the 224 × 224 centre crop, small enough to store hundreds. */
export const STORED_MAX_SIDE = 448;

/** One stored photo, as the engine sees it: an id in the store, its class and the name of the file it came from. */
export interface OwnPhoto {
  id: string;
  label: string;
  name: string;
}

/**
 * A class name as typed, trimmed; an error for one that cannot be a label (empty, too long, or with "/" which the
 * engine uses to name photos "label/id").
 */
export function ownClassName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name) throw new Error('a class needs a name, like "apples" or "oranges"');
  if (name.length > 40) throw new Error(`a class name is at most 40 characters; "${name.slice(0, 40)}…" is longer`);
  if (name.includes('/')) throw new Error(`a class name cannot contain "/": "${name}"`);
  return name;
}

/** What an upload will store and what it skips (with why), decided before any file is read. */
export interface UploadPlan<F> {
  accepted: F[];
  skipped: { name: string; why: string }[];
}

/** The file extensions a browser decodes as photos, for files that come without a MIME type. */
const IMAGE_EXTENSION = /\.(jpe?g|png|webp|gif|bmp|avif)$/i;

/**
 * Sorts the files of one upload into images to store and files to skip. A file counts as an image by its MIME type
 * (or, without one, by its extension); its bytes can still fail to decode, which the store reports per file. More
 * than `max` files are refused as a whole, with the cap in the message: nothing is read and nothing is lost.
 */
export function planUpload<F extends { name: string; type: string; size: number }>(
  files: readonly F[],
  max = MAX_FILES_PER_UPLOAD,
): UploadPlan<F> {
  if (files.length > max)
    throw new Error(
      `${files.length} files is more than one upload takes (${max}); choose at most ${max} at a time, in several uploads`,
    );
  const plan: UploadPlan<F> = { accepted: [], skipped: [] };
  for (const file of files) {
    const image = file.type ? file.type.startsWith('image/') : IMAGE_EXTENSION.test(file.name);
    if (!image) plan.skipped.push({ name: file.name, why: `not an image (${file.type || 'unknown type'})` });
    else if (file.size === 0) plan.skipped.push({ name: file.name, why: 'empty file' });
    else plan.accepted.push(file);
  }
  return plan;
}

/**
 * The size to decode a width × height photo at: its longest side at most `maxSide`, aspect ratio kept. A
 * 40-megapixel photo is thus never decoded at full size (160 MB of pixels), only at the size it is used at.
 */
export function decodeSize(
  width: number,
  height: number,
  maxSide = STORED_MAX_SIDE,
): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error(`a photo of ${width} × ${height} pixels has nothing to decode`);
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Photos per class, in the order classes were first added. */
export function classCounts(photos: readonly OwnPhoto[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of photos) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
  return counts;
}

/**
 * Why these photos cannot train a head yet, or null when they can: at least two classes (one class has nothing to
 * tell apart) and at least MIN_PER_CLASS photos in every class (some to learn from, one or more to validate on).
 */
export function notTrainableBecause(photos: readonly OwnPhoto[], min = MIN_PER_CLASS): string | null {
  const counts = classCounts(photos);
  if (counts.size < 2)
    return counts.size === 0
      ? `no classes of your own yet: add at least two classes with at least ${min} photos each`
      : `only one class ("${[...counts.keys()][0]}"): a head needs at least two classes to tell apart`;
  const short = [...counts].filter(([, n]) => n < min);
  if (short.length)
    return `at least ${min} photos per class are needed to train and validate; ${short
      .map(([label, n]) => `"${label}" has ${n}`)
      .join(', ')}`;
  return null;
}

/** Settings of the own-photo split; the defaults match the course's: 20 % of each class held out, seed fixed. */
export interface OwnSplitOptions {
  seed?: number;
  validationFraction?: number;
}

/**
 * The photo index of the learner's photos: per class, sorted by file name, shuffled with the seed, and the first
 * round(n × validationFraction) photos (at least one, and never all but none) held out for validation. Stratified
 * like the course's split, so every class is in both parts; no test part (a handful of photos cannot spare one).
 * Files are named "label/id", which the decoder reads back.
 */
export function ownPhotoIndex(photos: readonly OwnPhoto[], options: OwnSplitOptions = {}): PhotoIndex {
  const { seed = 20240607, validationFraction = 0.2 } = options;
  if (!(validationFraction > 0 && validationFraction < 1))
    throw new Error(`validationFraction must be between 0 and 1, not ${validationFraction}`);
  const why = notTrainableBecause(photos);
  if (why) throw new Error(why);
  const labels = [...classCounts(photos).keys()];
  const entries: PhotoEntry[] = [];
  for (const label of labels) {
    // Sorted by file name (then id), not by id alone: ids are random, names are what the learner chose, so the same
    // photos give the same split on every visit and every machine.
    const key = (p: OwnPhoto) => `${p.name}\u0000${p.id}`;
    const ofClass = photos
      .filter((p) => p.label === label)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const nValidation = Math.min(ofClass.length - 1, Math.max(1, Math.round(ofClass.length * validationFraction)));
    const order = shuffledIndices(ofClass.length, seed + labels.indexOf(label));
    order.forEach((i, rank) => {
      const p = ofClass[i]!;
      entries.push({
        file: `${label}/${p.id}`,
        label,
        split: rank < nValidation ? 'validation' : 'train',
        name: p.name,
      });
    });
  }
  return { labels, split: { seed, validationFraction, testFraction: 0 }, photos: entries };
}

/** The store id of an own photo's file name ("apples/17" → "17"). */
export function ownPhotoId(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * The learner's photos as a PhotoSet: the same class the course's photos are, so wb.train, wb.evaluate and the
 * activation cache treat them exactly alike. `decode` gets the store id of each photo.
 */
export function ownPhotoSet(
  photos: readonly OwnPhoto[],
  decode: (id: string) => ReturnType<PhotoDecoder>,
  options: OwnSplitOptions = {},
): PhotoSet {
  return new PhotoSet(ownPhotoIndex(photos, options), (file) => decode(ownPhotoId(file)));
}
