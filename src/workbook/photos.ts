/**
 * `wb.photos`: our photo set, as cells use it. Selection is synchronous (the index is fetched when the facade is
 * created); pixels are decoded on first use and kept. A photo is named by its file ("cat/Egyptian_Mau_10.jpg") or
 * by its index entry, which also says its label, its breed or ImageNet name, and whether it is a training or a
 * validation photo.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhotoEntry, PhotoSet, Split } from '../ml/dataset';
import type { RgbImage } from '../ml/image';
import type { Session } from './session';
import { Uploads } from './upload';

/** A photo: its file under photos/ or its index entry. */
export type PhotoRef = string | PhotoEntry;

/** Options of a photo gallery. */
export interface GalleryOptions {
  /** A caption per photo (default: label and name). */
  caption?: (photo: PhotoEntry, i: number) => string;
  /** Thumbnail side in CSS pixels (default 112). */
  size?: number;
}

/** Finds a photo by file, with an error that suggests the nearest names when there is no such photo. */
export function findPhoto(set: PhotoSet, ref: PhotoRef): PhotoEntry {
  if (typeof ref !== 'string') {
    if (ref && typeof ref === 'object' && typeof ref.file === 'string') return findPhoto(set, ref.file);
    throw new Error(
      `a photo is its file name ("cat/Egyptian_Mau_10.jpg") or an entry of wb.photos.all(), not ${JSON.stringify(ref)}`,
    );
  }
  const all = set.index.photos;
  const found = all.find((p) => p.file === ref);
  if (found) return found;
  const wanted = ref.toLowerCase().replace(/\.jpe?g$/, '');
  const near = all
    .filter((p) => p.file.toLowerCase().includes(wanted) || wanted.includes(p.file.toLowerCase().replace(/\.jpg$/, '')))
    .slice(0, 3);
  const stem = wanted.replace(/_\d+$/, '');
  const sameBreed = near.length ? near : all.filter((p) => p.file.toLowerCase().startsWith(stem)).slice(0, 3);
  const hint = sameBreed.length
    ? ` Did you mean ${sameBreed.map((p) => `"${p.file}"`).join(', ')}?`
    : ` Photos are named like "${all[0]?.file}"; wb.photos.all() lists them.`;
  throw new Error(`There is no photo "${ref}" in the photo set.${hint}`);
}

/** `count` photos of a label, spread evenly through the index (so several breeds or objects, not five of one). */
export function photosOfLabel(set: PhotoSet, label: string, count: number, split?: Split): PhotoEntry[] {
  if (!set.labels.includes(label))
    throw new Error(`There is no label "${label}": the photo set's labels are ${set.labels.join(', ')}.`);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`How many photos? count must be a positive whole number, not ${count}.`);
  const pool = set.select(split).filter((p) => p.label === label);
  const n = Math.min(count, pool.length);
  return Array.from({ length: n }, (_, i) => pool[Math.floor(((i + 0.5) * pool.length) / n)]!);
}

/** The `wb.photos` group of the facade (its learner-facing docs: surface-groups.ts PhotosGroup). */
export function photosApi(session: Session) {
  const set = session.photos;
  const uploads = new Uploads(session);
  return {
    labels: set.labels,
    all: (split?: Split): PhotoEntry[] => set.select(split),
    find: (file: PhotoRef): PhotoEntry => findPhoto(set, file),
    byLabel: (label: string, count = 4, split?: Split): PhotoEntry[] => photosOfLabel(set, label, count, split),
    mixed: (perLabel = 2, split?: Split): PhotoEntry[] =>
      set.labels.flatMap((l) => photosOfLabel(set, l, perLabel, split)),
    pixels: (photo: PhotoRef): Promise<RgbImage> => set.image(findPhoto(set, photo).file),
    batch: (photos: readonly PhotoRef[]): Promise<tf.Tensor4D> => set.batch(photos.map((p) => findPhoto(set, p))),
    oneHot: (photos: readonly PhotoRef[]): tf.Tensor2D => set.oneHot(photos.map((p) => findPhoto(set, p))),
    file: (photo: PhotoRef): Promise<File> => uploads.photoFile(findPhoto(set, photo).file),
    show: (photos: readonly PhotoRef[], options: GalleryOptions = {}): HTMLElement =>
      gallery(
        photos.map((p) => findPhoto(set, p)),
        session,
        options,
      ),
  };
}

/** A gallery of photos: thumbnails with captions. */
export function gallery(photos: readonly PhotoEntry[], session: Session, options: GalleryOptions = {}): HTMLElement {
  const box = document.createElement('div');
  box.className = 'wb-gallery';
  box.setAttribute('role', 'list');
  photos.forEach((photo, i) => {
    const figure = photoFigure(photo, session, options.size);
    figure.setAttribute('role', 'listitem');
    const caption = document.createElement('figcaption');
    if (options.caption) caption.textContent = options.caption(photo, i);
    else {
      const label = document.createElement('strong');
      label.textContent = photo.label;
      caption.append(label, ` ${photo.name}`);
    }
    figure.append(caption);
    box.append(figure);
  });
  return box;
}

/** A <figure> with one photo's thumbnail (no caption yet). */
export function photoFigure(photo: PhotoEntry, session: Session, size = 112): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'wb-photo';
  figure.dataset.file = photo.file;
  figure.dataset.label = photo.label;
  const img = document.createElement('img');
  img.src = session.platform.photoUrl(photo.file) ?? '';
  img.alt = `${photo.label}: ${photo.name}`;
  img.width = size;
  img.height = size;
  img.loading = 'lazy';
  figure.append(img);
  return figure;
}
