/**
 * The one place that knows where the site is served from. An instructor may host the course under a sub-path
 * (`https://host/course/`, set at build time: `WORKBOOK_BASE=/course/ npm run build`), so no page, script or asset URL
 * is ever written as an absolute "/…": each goes through `siteUrl`.
 *
 *   siteUrl('workbook-assets/model/model.json')   // "/course/workbook-assets/model/model.json"
 *   siteUrl()                                     // "/course/"
 */

/** The base path the site was built for, always with one trailing slash ("/" or "/course/"). */
export const BASE_PATH: string = withTrailingSlash(readBase());

/** A URL on this site: `path` (relative, with or without a leading slash) under the base path. */
export function siteUrl(path = ''): string {
  return BASE_PATH + path.replace(/^\/+/, '');
}

/** "/course" and "/course/" both name the folder "/course/"; an empty base is the root. */
export function withTrailingSlash(base: string): string {
  const trimmed = base.trim();
  return trimmed === '' ? '/' : trimmed.replace(/\/*$/, '/');
}

// Vite (the site, Vitest) replaces import.meta.env.BASE_URL at build time; plain Node scripts have no import.meta.env.
function readBase(): string {
  const env = (import.meta as ImportMeta & { env?: { BASE_URL?: string } }).env;
  return env?.BASE_URL ?? '/';
}
