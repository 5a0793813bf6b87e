/**
 * The site's service worker (bundled to dist/sw.js by scripts/service-worker.mjs after `astro build`). It does two
 * things:
 *
 * 1. Offline after the first visit. Workbox's PrecacheController downloads every page, script, wasm binary, the
 *    model, the photos and the checkpoints while the worker installs, each fetched with its SHA-256 as subresource
 *    integrity and stored under its Workbox revision. One build is one precache list: a newer build's worker installs
 *    beside this one and waits; it takes over only when no page of the old build is open (or the learner presses
 *    "Use the new version"), then deletes the entries the old build alone needed. A page never mixes two builds.
 * 2. Cross-origin isolation on hosts that send no headers: every response it serves gets COOP/COEP
 *    (src/platform/offline-headers.ts), so the page may run tfjs's threaded wasm.
 *
 * Messages (src/platform/offline-client.ts sends and reads them): `{type: 'status'}` → the build and bytes held;
 * `{type: 'SKIP_WAITING'}` → take over now. During install the worker posts `{type: 'precache-failed', …}` to every
 * page when the download fails (quota exceeded, a file that changed on the server), so the page says why.
 */
import { PrecacheController, PrecacheRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute, setCatchHandler, setDefaultHandler } from 'workbox-routing';
import { withIsolationHeaders } from './offline-headers';
import { folderIndexFor } from './offline-urls';

// The build step replaces these three identifiers (esbuild `define`): the precache list, its total bytes, an id.
declare const __PRECACHE_MANIFEST__: PrecacheEntry[];
declare const __PRECACHE_BYTES__: number;
declare const __BUILD_ID__: string;

/** The few service-worker globals used here (the project's TypeScript lib is the DOM's, not the worker's). */
interface WorkerEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface WorkerMessageEvent extends WorkerEvent {
  data: unknown;
  ports: readonly MessagePort[];
  source: { postMessage(message: unknown): void } | null;
}
interface WorkerScope {
  registration: { scope: string; active: object | null };
  clients: {
    claim(): Promise<void>;
    matchAll(o?: { includeUncontrolled?: boolean }): Promise<{ postMessage(m: unknown): void }[]>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: never) => void): void;
}
const sw = self as unknown as WorkerScope;

/** The answer to `{type: 'status'}`: `held` of `files` precache entries are in the cache (all of them: ready). */
export interface OfflineWorkerStatus {
  type: 'status';
  build: string;
  bytes: number;
  files: number;
  held: number;
}

const controller = new PrecacheController({
  // Every precached response goes out with the isolation headers, whatever the host sent when it was downloaded.
  plugins: [{ handlerWillRespond: async ({ response }) => withIsolationHeaders(response) }],
});
controller.addToCacheList(__PRECACHE_MANIFEST__);

/** Counts this build's entries really in the cache: the browser may have evicted some, or an install stopped half-way. */
async function countHeld(): Promise<number> {
  const cache = await caches.open(controller.strategy.cacheName);
  const have = new Set((await cache.keys()).map((r) => r.url));
  return [...controller.getURLsToCacheKeys().values()].filter((key) => have.has(key)).length;
}

async function tellPages(message: unknown): Promise<void> {
  for (const page of await sw.clients.matchAll({ includeUncontrolled: true })) page.postMessage(message);
}

/** What a failed install tells the page: a full disk gets its own sentence, anything else its message. */
function describeFailure(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const mb = (__PRECACHE_BYTES__ / 1e6).toFixed(1);
  if (name === 'QuotaExceededError')
    return `the browser gave this site less storage than the ${mb} MB the offline copy needs`;
  return error instanceof Error ? error.message : String(error);
}

sw.addEventListener('install', (event: WorkerEvent) => {
  event.waitUntil(
    controller.install(event as never).catch(async (error: unknown) => {
      // A half-filled precache is useless; on a first install nothing else uses it, so give the space back.
      if (!sw.registration.active) await caches.delete(controller.strategy.cacheName).catch(() => false);
      await tellPages({ type: 'precache-failed', build: __BUILD_ID__, message: describeFailure(error) });
      throw error; // the install fails, the worker becomes redundant, the page stays an ordinary online page
    }),
  );
});

sw.addEventListener('activate', (event: WorkerEvent) => {
  // Drop the entries only an older build needed, then serve the page that registered us (the first visit).
  event.waitUntil(controller.activate(event as never).then(() => sw.clients.claim()));
});

sw.addEventListener('message', (event: WorkerMessageEvent) => {
  const data = event.data as { type?: string } | null;
  if (data?.type === 'SKIP_WAITING') void sw.skipWaiting(); // workbox-window's messageSkipWaiting()
  if (data?.type === 'status') {
    const reply = async (): Promise<void> => {
      const files = controller.getURLsToCacheKeys().size;
      const status: OfflineWorkerStatus = {
        type: 'status',
        build: __BUILD_ID__,
        bytes: __PRECACHE_BYTES__,
        files,
        held: await countHeld(),
      };
      // workbox-window's messageSW answers through a MessageChannel port; a plain postMessage through the source.
      (event.ports[0] ?? event.source)?.postMessage(status);
    };
    event.waitUntil(reply());
  }
});

// "/lessons/x/" finds "/lessons/x/index.html"; query strings (?backend=wasm) do not change which file a page is; and
// "/lessons/x", without its slash, is the same page, as a static host serves it (Workbox alone would try "x.html").
registerRoute(
  new PrecacheRoute(controller, {
    directoryIndex: 'index.html',
    ignoreURLParametersMatching: [/.*/],
    urlManipulation: ({ url }) => folderIndexFor(url),
  }),
);

// Anything not precached (a page added after this build) goes to the network, isolated like the rest; a page that
// cannot be fetched offline gets a short page that says so instead of the browser's error screen.
setDefaultHandler(async ({ request }) => {
  const response = await fetch(request);
  return new URL(request.url).origin === location.origin ? withIsolationHeaders(response) : response;
});
setCatchHandler(async ({ request }) => {
  if (request.mode !== 'navigate') return Response.error();
  const html =
    '<!doctype html><meta charset="utf-8"><title>Offline</title><p>You are offline, and this page was not ' +
    `part of the offline copy. <a href="${sw.registration.scope}">Back to the lessons</a>.</p>`;
  return withIsolationHeaders(
    new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } }),
  );
});
