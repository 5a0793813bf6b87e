/**
 * The editor's type bundle, made at build time by scripts/cell-types-bundle.mjs (a Vite plugin in
 * astro.config.mjs) and imported dynamically, so it is fetched only when an editor mounts.
 */
declare module 'virtual:workbook/cell-types' {
  /** What the TypeScript worker needs to type a cell as `npm run check:cells` does. */
  const bundle: {
    /** file:/// URI → declaration text: tfjs, Plot, the workbook's helpers, and cell-env.d.ts. */
    files: Record<string, string>;
    /** The names cell-env.d.ts declares globally (tf, Plot, display, …). */
    globals: string[];
    /** TypeScript compiler options, as enum numbers, shared with scripts/check-cells.mjs. */
    compilerOptions: Record<string, unknown>;
    /** URI of the declaration file that holds the earlier cells' code. */
    priorUri: string;
  };
  export default bundle;
}
