/**
 * The URL of the editor's type bundle, a JSON file made at build time by scripts/cell-types-bundle.mjs (a Vite
 * plugin in astro.config.mjs) and fetched only when an editor mounts.
 */
declare module 'virtual:workbook/cell-types' {
  const url: string;
  export default url;
}
