/**
 * The learner's own photos, kept in this browser's IndexedDB (database "workbook-own-photos"): they survive a
 * reload, can be deleted one by one, a class at a time or all at once, and never leave the browser. Each photo is
 * stored already shrunk (longest side 448, a JPEG of some 30 kB): it is decoded straight at that size with
 * createImageBitmap's resize options, so a 40-megapixel photo never becomes 160 MB of pixels in the tab.
 *
 * The rules (what is an image, how big, how many) are the engine's (src/ml/own-photos.ts); this file only does the
 * browser's part: decoding, the canvas and the database.
 */
import { imageHeaderSize } from '../ml/image-header';
import { decodeSize, STORED_MAX_SIDE, UPLOAD_BATCH, type OwnPhoto } from '../ml/own-photos';
import { requestDone, transactionDone } from './indexed-db';

/** A stored photo: the engine's OwnPhoto plus its shrunk JPEG. */
export interface StoredPhoto extends OwnPhoto {
  blob: Blob;
  width: number;
  height: number;
  /** When it was added (ms since 1970), for a stable order. */
  added: number;
}

const DB = 'workbook-own-photos';
const STORE = 'photos';

/** A storage error in the learner's terms: a quota error says the storage is full and that nothing stored is lost. */
export function storageError(error: unknown): Error {
  const name = (error as DOMException | null)?.name ?? '';
  if (name === 'QuotaExceededError')
    return new Error(
      "this browser's storage for the site is full (QuotaExceededError): the photos stored before this batch are kept; delete some photos or classes, or free disk space, then add the rest",
      { cause: error },
    );
  return new Error(`the photo store failed: ${(error as Error | null)?.message ?? String(error)}`, { cause: error });
}

let opening: Promise<IDBDatabase> | null = null;

/** The database, opened once per page (and created on first use). */
function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB: own photos cannot be kept');
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError(request.error));
  }).catch((e: unknown) => {
    opening = null;
    throw e;
  });
  return opening;
}

/** Whether an error (or the error it wraps) is the browser's "storage full". */
function isQuotaError(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | null; e; e = e.cause as typeof e)
    if (e.name === 'QuotaExceededError') return true;
  return false;
}

/**
 * Runs `work` in one transaction over the store and waits for it to commit: all of it or nothing. A request can
 * fail at once (a put that throws QuotaExceededError synchronously) while earlier requests of the same transaction
 * succeeded; left alone, the transaction would then commit those, half a batch that nobody reported as stored. So a
 * throw from `work` aborts the transaction, and only then is the error passed on.
 */
async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T> | T): Promise<T> {
  const tx = (await database()).transaction(STORE, mode);
  const end = transactionDone(tx, storageError);
  let result: T;
  try {
    result = await work(tx.objectStore(STORE));
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished or aborted: nothing more to undo
    }
    await end.catch(() => undefined); // the abort's own rejection; the cause is `e`
    throw storageError(e);
  }
  await end;
  return result;
}

/**
 * Decodes a photo file at most STORED_MAX_SIDE pixels on its longest side and re-encodes it as a JPEG. The size is
 * read from the file's header so the browser decodes straight at the small size; a file whose header is unknown
 * is decoded at that width, and EXIF-rotated photos are fitted once more after rotation.
 */
export async function shrinkPhoto(file: Blob): Promise<{ blob: Blob; width: number; height: number }> {
  const header = imageHeaderSize(new Uint8Array(await file.slice(0, 65536).arrayBuffer()));
  const resizeWidth = header ? decodeSize(header.width, header.height).width : STORED_MAX_SIDE;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { resizeWidth, resizeQuality: 'high' });
  } catch {
    throw new Error(`not an image this browser can decode (${file.type || 'unknown type'})`);
  }
  const { width, height } = decodeSize(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D OffscreenCanvas context: photos cannot be stored');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { blob: await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 }), width, height };
}

/** What an upload stored and what it could not. */
export interface AddReport {
  stored: StoredPhoto[];
  failed: { name: string; why: string }[];
}

/**
 * The error of an upload that the browser's storage quota stopped: how many photos were stored (every batch before
 * the full one, all kept) and how many were not (the batch that did not fit, which is stored whole or not at all,
 * and every file after it).
 */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(
    readonly report: AddReport,
    readonly notStored: number,
    label: string,
    cause: unknown,
  ) {
    const stored = report.stored.length;
    const total = stored + notStored + report.failed.length;
    super(
      `this browser's storage for the site is full (QuotaExceededError): ${stored} of the ${total} photo${total === 1 ? '' : 's'} ` +
        `${stored === 1 ? 'was' : 'were'} stored in “${label}” and ${notStored} ${notStored === 1 ? 'was' : 'were'} not. ` +
        'Every photo stored before is kept; delete some photos or classes, or free disk space, then add the rest again',
      { cause },
    );
  }
}

/**
 * Shrinks and stores photos under `label`, UPLOAD_BATCH at a time, each batch in its own transaction, reporting
 * progress between batches (the page repaints). A file that does not decode is named in `failed`; a full disk stops
 * the upload with a StorageFullError that counts the photos stored and not stored, keeping every batch stored before.
 */
export async function addPhotos(
  label: string,
  files: readonly File[],
  onProgress?: (done: number, total: number) => void,
): Promise<AddReport> {
  const report: AddReport = { stored: [], failed: [] };
  for (let s = 0; s < files.length; s += UPLOAD_BATCH) {
    const batch: StoredPhoto[] = [];
    for (const file of files.slice(s, s + UPLOAD_BATCH)) {
      try {
        const shrunk = await shrinkPhoto(file);
        const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        batch.push({ id, label, name: file.name, added: Date.now(), ...shrunk });
      } catch (e) {
        report.failed.push({ name: file.name, why: (e as Error).message });
      }
    }
    try {
      await inStore('readwrite', (store) => batch.forEach((p) => store.put(p)));
    } catch (e) {
      if (!isQuotaError(e)) throw e;
      throw new StorageFullError(report, files.length - report.stored.length - report.failed.length, label, e);
    }
    report.stored.push(...batch);
    onProgress?.(Math.min(s + UPLOAD_BATCH, files.length), files.length);
  }
  return report;
}

/** Every stored photo, oldest first. */
export async function listPhotos(): Promise<StoredPhoto[]> {
  const all = await inStore('readonly', (store) => requestDone(store.getAll() as IDBRequest<StoredPhoto[]>));
  return all.sort((a, b) => a.added - b.added || (a.id < b.id ? -1 : 1));
}

/** One stored photo's JPEG, or an error naming the id when it was deleted meanwhile. */
export async function photoBlob(id: string): Promise<Blob> {
  const photo = await inStore('readonly', (store) => requestDone(store.get(id) as IDBRequest<StoredPhoto | undefined>));
  if (!photo) throw new Error(`own photo ${id} is no longer stored (deleted on this or another tab?)`);
  return photo.blob;
}

/** Deletes one photo. */
export function deletePhoto(id: string): Promise<void> {
  return inStore('readwrite', (store) => void store.delete(id));
}

/** Deletes every photo of a class; resolves to how many there were. */
export async function deleteClass(label: string): Promise<number> {
  const ids = (await listPhotos()).filter((p) => p.label === label).map((p) => p.id);
  await inStore('readwrite', (store) => ids.forEach((id) => store.delete(id)));
  return ids.length;
}

/** Deletes every own photo. */
export function deleteAllPhotos(): Promise<void> {
  return inStore('readwrite', (store) => void store.clear());
}
