/**
 * `wb.own`: classes of the learner's own (lesson 8). A widget takes a class name and photos (apples, oranges …),
 * keeps them in this browser's IndexedDB (src/platform/photo-store.ts: they survive a reload, nothing is uploaded
 * anywhere) and lists them with buttons to delete a photo, a class or everything. `wb.own.photos()` then gives them
 * as a photo set, split into training and validation photos by the engine's seeded stratified rule
 * (src/ml/own-photos.ts), which `wb.train(model, { photos })` trains on exactly like the course's photos.
 *
 *   wb.own.uploader()                                        // the widget: add, list, delete
 *   const mine = await wb.own.photos();                      // refused below 5 photos a class, with why
 *   const run = await wb.train(wb.buildTransferModel(base, { labels: mine.labels }), { photos: mine });
 *   const ev = await wb.evaluate(model, mine);               // the one wb.evaluate (own-evaluate.ts); then the displays
 */
import type { PhotoSet } from '../ml/dataset';
import { classCounts, notTrainableBecause, type OwnSplitOptions, ownPhotoSet } from '../ml/own-photos';
import { cellOutput } from './cell-output';
import { workbookElement } from './dom';
import type { Session } from './session';
import { ownUploader, OWN_PHOTOS_CHANGED } from './own-uploader';

/** One own class and how many photos it has. */
export interface OwnClass {
  label: string;
  photos: number;
}

/** Object URLs of own photos by their file in an own photo set ("apples/lq3x-ab12"), for galleries of mistakes. */
const urls = new Map<string, string>();

/** Where a page shows an own photo of an evaluation (an object URL), or undefined for a photo of the course's set. */
export function ownPhotoUrl(file: string): string | undefined {
  return urls.get(file);
}

/** The photos the example fills in: two kinds of the course's "other" photos, birds and road vehicles. */
const EXAMPLE: Record<string, RegExp> = {
  birds: /flamingo|pelican|toucan|macaw|peacock|ostrich|jay|owl|penguin|eagle/,
  vehicles: /ambulance|_cab|jeep|school_bus|sports_car|fire_engine|convertible|bullet_train|airliner|speedboat/,
};

/**
 * `wb.own`: classes of your own. A named interface so that every member's doc comment reaches the editor's hover
 * and the generated wb reference page.
 */
export interface OwnGroup {
  /**
   * A widget to make classes of your own: type a class name, choose its photos (at least 5; at most 200 a time),
   * see them listed, delete one, a class or all. Photos are kept in this browser only.
   * @example wb.own.uploader()
   */
  uploader(): HTMLElement;
  /**
   * Your classes and their photo counts, in the order they were made.
   * @example const classes = await wb.own.classes();
   */
  classes(): Promise<OwnClass[]>;
  /**
   * Your photos as a photo set for wb.train and wb.evaluate: every class split into training and validation
   * photos (20 % held out, at least one, seeded). Refuses fewer than two classes or 5 photos a class.
   * @example const mine = await wb.own.photos();
   */
  photos(options?: OwnSplitOptions): Promise<PhotoSet>;
  /**
   * How many photos it stored, after filling two example classes (birds, vehicles: 6 photos each from the course's
   * "other" photos) so the cells run before you have photos of your own. Delete them in the widget.
   * @example await wb.own.addExample();
   */
  addExample(): Promise<number>;
  /**
   * Nothing, once every photo of one of your classes (or, with no label, all your photos) is deleted.
   * @example await wb.own.delete('oranges');
   */
  delete(label?: string): Promise<void>;
}

/** The `wb.own` part of the facade. */
export function ownClassesApi(session: Session): OwnGroup {
  const store = () => import('../platform/photo-store');
  return {
    uploader: (): HTMLElement => ownUploader(),

    classes: async (): Promise<OwnClass[]> => {
      const photos = await (await store()).listPhotos();
      return [...classCounts(photos)].map(([label, n]) => ({ label, photos: n }));
    },

    photos: async (options: OwnSplitOptions = {}): Promise<PhotoSet> => {
      const [{ listPhotos }, { decodeImage }] = await Promise.all([store(), import('../platform/browser-photo')]);
      const stored = await listPhotos();
      const why = notTrainableBecause(stored);
      if (why) throw new Error(`${why}. Add photos with the widget of wb.own.uploader().`);
      const blobs = new Map(stored.map((p) => [p.id, p]));
      const set = ownPhotoSet(stored, (id) => decodeImage(blobs.get(id)!.blob, blobs.get(id)!.name), options);
      for (const p of set.select())
        if (!urls.has(p.file)) urls.set(p.file, URL.createObjectURL(blobs.get(p.file.split('/').at(-1)!)!.blob));
      const note = workbookElement('p', 'own-split');
      note.textContent = `Your photos: ${set.labels
        .map((label) => {
          const n = (split: string) => set.index.photos.filter((p) => p.label === label && p.split === split).length;
          return `${label} ${n('train')} for training + ${n('validation')} for validation`;
        })
        .join('; ')}.`;
      cellOutput().show(() => note);
      return set;
    },

    addExample: async (): Promise<number> => {
      const { addPhotos } = await store();
      let stored = 0;
      for (const [label, pattern] of Object.entries(EXAMPLE)) {
        const entries = session.photos
          .select()
          .filter((p) => p.label === 'other' && pattern.test(p.file))
          .slice(0, 6);
        const files = await Promise.all(
          entries.map(async (p) => {
            const response = await fetch(session.photoUrl(p.file));
            if (!response.ok) throw new Error(`photo ${p.file} could not be fetched: HTTP ${response.status}`);
            return new File([await response.blob()], p.file.split('/').at(-1)!, { type: 'image/jpeg' });
          }),
        );
        stored += (await addPhotos(label, files)).stored.length;
      }
      document.dispatchEvent(new CustomEvent(OWN_PHOTOS_CHANGED));
      return stored;
    },

    delete: async (label?: string): Promise<void> => {
      const { deleteAllPhotos, deleteClass } = await store();
      await (label === undefined ? deleteAllPhotos() : deleteClass(label));
      document.dispatchEvent(new CustomEvent(OWN_PHOTOS_CHANGED));
    },
  };
}
