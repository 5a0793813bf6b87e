/**
 * Which precached file a page address names, beyond what Workbox's PrecacheRoute tries by itself (the address as it
 * is, without its query, "folder/" + index.html, and "name" + ".html"). Pure, so Node tests it
 * (tests/unit/offline-urls.test.ts); the worker (offline-worker.ts) uses it.
 */

/**
 * The extra addresses to look up for `url`: a folder whose trailing slash was left off ("/course/lessons/x") is
 * the same page as "/course/lessons/x/", as static hosts serve it, so its index.html is tried too. A file name (its
 * last segment has an extension, "model.json") or an address that already ends in "/" needs nothing extra.
 */
export function folderIndexFor(url: URL): URL[] {
  const { pathname } = url;
  if (pathname.endsWith('/') || /\.[^/]*$/.test(pathname)) return [];
  return [new URL(`${pathname}/index.html`, url.origin)];
}
