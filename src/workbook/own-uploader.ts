/**
 * The widget of `wb.own.uploader()`: a class name, a file input, a progress bar, a status line that says what was
 * stored and what was skipped (and why), and the stored classes with their thumbnails and delete buttons. It keeps
 * working after its cell has finished, and redraws whenever own photos change (from any cell: OWN_PHOTOS_CHANGED).
 * Bad input never loses anything: a wrong name or a choice over the cap is refused before a file is read; a file
 * that is no image is skipped and named; a full disk keeps every photo stored before it and says how many were not.
 */
import { MAX_FILES_PER_UPLOAD, MIN_PER_CLASS, ownClassName, planUpload } from '../ml/own-photos';
import { errorMessage } from '../ml/error-message';
import { setHtmlStatus, workbookElement } from './dom';

/** The event a document gets when own photos were added or deleted. */
export const OWN_PHOTOS_CHANGED = 'wb-own-photos-changed';

const store = () => import('../platform/photo-store');

/** A button with a text and an accessible name. */
function button(text: string, label: string, action: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.dataset.action = action;
  return b;
}

/** Redraws the list of classes from the store; revokes the thumbnails' previous object URLs. */
async function drawList(list: HTMLElement): Promise<void> {
  const photos = await (await store()).listPhotos();
  for (const img of list.querySelectorAll('img')) URL.revokeObjectURL(img.src);
  list.replaceChildren();
  const labels = [...new Set(photos.map((p) => p.label))];
  list.dataset.classes = String(labels.length);
  list.dataset.photos = String(photos.length);
  if (labels.length === 0) {
    const empty = document.createElement('p');
    empty.textContent = 'No classes yet.';
    list.append(empty);
  }
  for (const label of labels) {
    const ofClass = photos.filter((p) => p.label === label);
    const section = document.createElement('section');
    section.dataset.label = label;
    section.dataset.count = String(ofClass.length);
    const title = document.createElement('h4');
    const short = ofClass.length < MIN_PER_CLASS ? ` (${MIN_PER_CLASS - ofClass.length} more needed to train)` : '';
    title.append(`${label}: ${ofClass.length} photo${ofClass.length === 1 ? '' : 's'}${short} `);
    title.append(button('Delete class', `Delete class ${label}`, 'delete-class'));
    const thumbs = document.createElement('div');
    thumbs.className = 'wb-gallery';
    for (const p of ofClass) {
      const figure = document.createElement('figure');
      figure.className = 'wb-photo';
      figure.dataset.id = p.id;
      const img = document.createElement('img');
      img.src = URL.createObjectURL(p.blob);
      img.alt = `${label}: ${p.name}`;
      img.width = 72;
      img.height = 72;
      figure.append(img, button('×', `Delete photo ${p.name} from ${label}`, 'delete-photo'));
      thumbs.append(figure);
    }
    section.append(title, thumbs);
    list.append(section);
  }
}

/** The widget: add photos to a class, see the classes, delete. */
export function ownUploader(): HTMLElement {
  const view = workbookElement('div', 'own-classes');
  const name = document.createElement('input');
  name.type = 'text';
  name.dataset.wb = 'own-class-name';
  name.placeholder = 'apples';
  const nameLabel = document.createElement('label');
  nameLabel.append('Class name: ', name);
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'image/*';
  input.multiple = true;
  input.dataset.wb = 'own-input';
  const fileLabel = document.createElement('label');
  fileLabel.append(` Its photos (at least ${MIN_PER_CLASS}, at most ${MAX_FILES_PER_UPLOAD} at a time): `, input);
  const progress = document.createElement('progress');
  progress.hidden = true;
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.textContent = 'Name a class, then choose its photos. They stay in this browser.';
  const list = workbookElement('div', 'own-list');
  const all = button('Delete all my photos', 'Delete all my photos', 'delete-all');
  view.append(nameLabel, fileLabel, progress, status, list, all);

  const redraw = () =>
    drawList(list).catch((e: unknown) =>
      setHtmlStatus(status, `Could not read your photos: ${errorMessage(e)}`, 'error'),
    );
  document.addEventListener(OWN_PHOTOS_CHANGED, () => void redraw());
  void redraw();

  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same files can be chosen again
    if (files.length) void add(files);
  });
  async function add(files: File[]): Promise<void> {
    view.dataset.state = 'working';
    try {
      const label = ownClassName(name.value);
      const plan = planUpload(files);
      progress.hidden = false;
      progress.max = plan.accepted.length || 1;
      progress.value = 0;
      setHtmlStatus(status, `Storing ${plan.accepted.length} photos in “${label}”…`, 'working');
      const { addPhotos } = await store();
      const report = await addPhotos(label, plan.accepted, (done, total) => {
        progress.value = done;
        status.textContent = `Storing photos in “${label}”: ${done} of ${total}…`;
      });
      const skipped = [...plan.skipped, ...report.failed].map((s) => `${s.name} (${s.why})`);
      setHtmlStatus(
        status,
        `Stored ${report.stored.length} photo${report.stored.length === 1 ? '' : 's'} in “${label}”.` +
          (skipped.length ? ` Skipped ${skipped.length}: ${skipped.join('; ')}.` : ''),
        skipped.length ? 'skipped' : 'done',
      );
      view.dataset.state = 'done';
    } catch (e) {
      // A full storage says itself what was stored and what was not; any other error stopped the upload whole.
      const full = e instanceof Error && e.name === 'StorageFullError';
      setHtmlStatus(
        status,
        full ? `Stopped: ${errorMessage(e)}.` : `Nothing more was stored: ${errorMessage(e)}`,
        'error',
      );
      view.dataset.state = 'error';
    } finally {
      progress.hidden = true;
      document.dispatchEvent(new CustomEvent(OWN_PHOTOS_CHANGED));
    }
  }

  view.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest('button');
    const action = target?.dataset.action;
    if (!target || !action) return;
    void (async () => {
      const s = await store();
      if (action === 'delete-all') await s.deleteAllPhotos();
      if (action === 'delete-class') await s.deleteClass(target.closest('section')!.dataset.label!);
      if (action === 'delete-photo') await s.deletePhoto(target.closest('figure')!.dataset.id!);
      setHtmlStatus(status, 'Deleted.', 'done');
      document.dispatchEvent(new CustomEvent(OWN_PHOTOS_CHANGED));
    })().catch((e: unknown) => setHtmlStatus(status, `Could not delete: ${errorMessage(e)}`, 'error'));
  });
  return view;
}
