/**
 * Cross-origin isolation from a service worker, for static hosts that cannot send headers (the "coi-serviceworker"
 * pattern): the worker re-serves each response with COOP/COEP added. A cross-origin isolated page may use
 * SharedArrayBuffer, which tfjs's threaded wasm binary needs (src/platform/browser-backend.ts). Shared by the
 * service worker (src/platform/offline-worker.ts) and the dev/preview server config (astro.config.mjs sends the
 * same pair from scripts/service-worker.mjs), so both say the same thing.
 */

/** The two headers that make a document cross-origin isolated. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The same response with the isolation headers added. Responses whose headers cannot be rewritten are returned as
 * they are: an opaque one (status 0, a no-cors cross-origin fetch) has no readable body to copy, and a redirect must
 * stay a redirect. Everything on this site is same-origin, so COEP's "require-corp" never blocks our own files.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  if (Object.entries(ISOLATION_HEADERS).every(([k, v]) => response.headers.get(k) === v)) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION_HEADERS)) headers.set(k, v);
  // A null-body status (204, 304) must not be given a body, even an empty one.
  const body = [101, 204, 205, 304].includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
