/**
 * The page side of the offline copy (the worker is src/platform/offline-worker.ts): registers the service worker
 * with workbox-window, asks it what it holds, and keeps the header's offline slot (src/components/OfflineStatus.astro)
 * saying so in words: saving, available offline with its size, incomplete, failed and why, an update waiting, off.
 *
 * Choices that matter:
 * - `astro dev` has no worker (there is no built sw.js), and a worker left by an earlier `astro preview` on the same
 *   origin would serve old built pages instead of the dev server's: in dev, any registration is removed.
 * - An update never switches a page to a newer build under a learner's feet: the new worker waits until the old
 *   build's pages are closed, or until the learner presses "Use the new version" (then the page reloads once).
 * - On a host without COOP/COEP headers the page becomes cross-origin isolated (threaded wasm) only once the worker
 *   controls it. The first time it takes control the page reloads itself, but only while no cell has started
 *   TensorFlow.js; otherwise the slot says that a reload would run wasm threaded.
 * - A browser may refuse workers where `navigator.serviceWorker` exists: a private window or a site setting rejects
 *   registration (SecurityError), and a test harness or an extension may replace `register` with one that hands
 *   back nothing (Playwright's default `serviceWorkers: 'block'` does). That is not a failure of the site: the slot
 *   says calmly that there is no offline copy here, and the site works online as always.
 */
import { messageSW, Workbox } from 'workbox-window';
import { deleteActivationDatabase } from './activation-store';
import { BASE_PATH, siteUrl } from './base-url';
import type { OfflineWorkerStatus } from './offline-worker';

/** What the slot shows. */
export type OfflineState = 'dev' | 'unsupported' | 'off' | 'saving' | 'ready' | 'incomplete' | 'failed' | 'update';

/** localStorage key remembering that the learner cleared the offline copy (then nothing is saved until they ask). */
const OPT_OUT_KEY = 'workbook-offline-off';
/** sessionStorage key: the one automatic reload that brings the page under the worker (and its isolation) is done. */
const RELOADED_KEY = 'workbook-offline-isolation-reload';

/** "10.5 MB" */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** The sentence for a worker's status: every entry held → available offline, some missing → incomplete. */
export function describeStatus(status: OfflineWorkerStatus): { state: OfflineState; text: string } {
  if (status.held >= status.files) return { state: 'ready', text: `Available offline · ${formatBytes(status.bytes)}` };
  return {
    state: 'incomplete',
    text:
      `Offline copy incomplete: ${status.held} of ${status.files} files (the browser freed space or the download stopped). ` +
      'Clear it and reload to save it again.',
  };
}

/** The worker's scope as an absolute URL ("http://host/course/"). */
function scopeUrl(): string {
  return new URL(BASE_PATH, location.href).href;
}

/**
 * Removes the offline copy: unregisters this site's worker and deletes its caches (the precache and the model's
 * cache, src/platform/browser-model.ts) and the frozen activations kept in IndexedDB (activation-store.ts), then
 * tells the page (`workbook:offline-cleared` on window) so other stores kept with the offline data can clear
 * themselves too. Returns how many caches it deleted.
 */
export async function clearOfflineCopy(): Promise<number> {
  const scope = scopeUrl();
  for (const registration of await navigator.serviceWorker.getRegistrations()) {
    if (registration.scope === scope) await registration.unregister();
  }
  let deleted = 0;
  for (const name of await caches.keys()) {
    // Workbox names its precache "workbox-precache-v2-<scope>"; the workbook's own caches start with "workbook-".
    if (name.includes(scope) || name.startsWith('workbook-')) deleted += (await caches.delete(name)) ? 1 : 0;
  }
  await deleteActivationDatabase();
  window.dispatchEvent(new CustomEvent('workbook:offline-cleared'));
  return deleted;
}

/** Asks a worker for its status; null when it does not answer in time (an old worker, a busy browser). */
async function askStatus(worker: ServiceWorker): Promise<OfflineWorkerStatus | null> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000));
  const answer = messageSW(worker, { type: 'status' }).then(
    (r) => (r as OfflineWorkerStatus | null) ?? null,
    () => null,
  );
  return Promise.race([answer, timeout]);
}

/** The errors with which a browser refuses to register a worker at all (rather than failing to fetch or run it). */
const REFUSALS = ['SecurityError', 'NotSupportedError', 'InvalidStateError', 'NotAllowedError'];

/**
 * Whether a failed registration means this browser refuses service workers here: it threw a refusal, or asking
 * again hands back no registration (a blocked `register`). A worker script that could not be fetched or run is not
 * a refusal: that is a failure the slot reports.
 */
export async function workersRefused(error: unknown, scriptUrl: string, scope: string): Promise<boolean> {
  if (error instanceof DOMException && REFUSALS.includes(error.name)) return true;
  try {
    const again: unknown = await navigator.serviceWorker.register(scriptUrl, { scope });
    return !(typeof ServiceWorkerRegistration !== 'undefined' && again instanceof ServiceWorkerRegistration);
  } catch (e) {
    return e instanceof DOMException && REFUSALS.includes(e.name);
  }
}

/** The slot's sentence where the browser keeps no worker for this site. */
export const REFUSED_TEXT = 'Offline copy: not available in this browser (it does not allow service workers here)';

/** Callbacks the slot gives the client. */
export interface OfflineView {
  show(state: OfflineState, text: string): void;
}

/** True while no cell has started TensorFlow.js on this page (the header's backend slot is still idle). */
function nothingRunning(): boolean {
  return document.getElementById('backend-status')?.dataset.state === 'idle';
}

/**
 * Starts the offline copy for this page and keeps `view` up to date. Returns the Workbox instance (null where there
 * is no worker: the dev server, a browser without service workers, a learner who turned the copy off).
 */
export async function startOffline(view: OfflineView): Promise<Workbox | null> {
  if (import.meta.env.DEV) {
    const stale = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistrations() : [];
    await Promise.all(stale.map((r) => r.unregister()));
    view.show('dev', 'Offline copy: only in the built site (npm run build && npm run preview)');
    if (stale.length > 0 && navigator.serviceWorker.controller) location.reload(); // leave the old build's pages
    return null;
  }
  // "/course" (no trailing slash) is the home page too, but it lies outside the worker's scope "/course/": the worker
  // never serves it, so a reload or a bookmark of it would fail offline. Name the page by its in-scope address.
  if (BASE_PATH !== '/' && location.pathname === BASE_PATH.slice(0, -1)) {
    history.replaceState(history.state, '', BASE_PATH + location.search + location.hash);
  }
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined') {
    view.show('unsupported', 'Offline copy: not available here (service workers need https or localhost)');
    return null;
  }
  if (localStorage.getItem(OPT_OUT_KEY)) {
    view.show('off', 'Offline copy: off');
    return null;
  }

  const wb = new Workbox(siteUrl('sw.js'), { scope: BASE_PATH });
  const refresh = async (worker: ServiceWorker | null | undefined): Promise<void> => {
    const status = worker ? await askStatus(worker) : null;
    if (!status) return view.show('saving', 'Saving for offline use…');
    const { state, text } = describeStatus(status);
    view.show(state, text);
  };

  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; message?: string } | null;
    if (data?.type === 'precache-failed') {
      view.show('failed', `Could not save for offline use: ${data.message}. The site still works online.`);
    }
  });
  wb.addEventListener('waiting', () => view.show('update', 'A new version of the workbook is ready'));
  wb.addEventListener('activated', (event) => {
    if (!event.isUpdate) void refresh(event.sw);
  });
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) return location.reload(); // the learner pressed "Use the new version"
    // First visit on a host without isolation headers: the worker's headers apply from the next load on.
    if (!crossOriginIsolated && !sessionStorage.getItem(RELOADED_KEY) && nothingRunning()) {
      sessionStorage.setItem(RELOADED_KEY, '1');
      location.reload();
    }
  });

  view.show('saving', 'Saving for offline use…');
  try {
    const registration = await wb.register();
    // A worker that is already active (any visit after the first) answers at once; a first install reports through
    // the 'activated' event above, a failed one through the 'precache-failed' message.
    if (registration?.waiting && registration.active) view.show('update', 'A new version of the workbook is ready');
    else if (registration?.active) await refresh(navigator.serviceWorker.controller ?? registration.active);
  } catch (e) {
    if (await workersRefused(e, siteUrl('sw.js'), BASE_PATH)) {
      view.show('unsupported', REFUSED_TEXT);
      return null;
    }
    view.show(
      'failed',
      `Could not save for offline use: ${e instanceof Error ? e.message : String(e)}. The site still works online.`,
    );
  }
  return wb;
}

/** Turns the offline copy off (clears it and remembers the choice) or back on (forgets the choice). */
export async function setOfflineWanted(wanted: boolean): Promise<void> {
  if (wanted) localStorage.removeItem(OPT_OUT_KEY);
  else {
    localStorage.setItem(OPT_OUT_KEY, '1');
    await clearOfflineCopy();
  }
}
