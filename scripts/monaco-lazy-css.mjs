/**
 * Vite plugin: Monaco's stylesheets arrive with Monaco, not with the page.
 *
 * Monaco's modules import their own CSS (`import './suggest.css'`, ~100 files, 175 kB). Vite would split that into
 * a stylesheet loaded alongside the lazy chunk, but Astro collects the CSS of *every* module a page script can
 * reach, dynamic imports included, and links it from the page's <head> (withastro/astro#9495): every page with a
 * cell would download Monaco's CSS on load, editor or not.
 *
 * So each CSS file imported from inside monaco-editor becomes a small JS module that appends a <style> when it is
 * evaluated, which is when the editor chunk loads. Relative `url(./codicon.ttf)` references become asset URLs
 * (`?url` imports), so the icon font is still emitted, hashed, and fetched only when the editor shows an icon.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

const PREFIX = '\0workbook-monaco-css:';
const MONACO = /[\\/]node_modules[\\/]monaco-editor[\\/]/;
/** `url(./x.ttf)`, `url("../y.svg")`: relative references; data: URLs are left alone. */
const RELATIVE_URL = /url\((['"]?)(\.{1,2}\/[^'")]+)\1\)/g;

/**
 * The JS module that stands for one of Monaco's CSS files.
 * @param {string} file absolute path of the .css file
 * @param {string} css its text
 * @returns {string}
 */
export function cssAsModule(file, css) {
  /** @type {string[]} */
  const imports = [];
  /** @type {string[]} */
  const parts = [];
  let last = 0;
  for (const m of css.matchAll(RELATIVE_URL)) {
    const name = `asset${imports.length}`;
    imports.push(
      `import ${name} from ${JSON.stringify(resolve(dirname(file), /** @type {string} */ (m[2])) + '?url')};`,
    );
    parts.push(JSON.stringify(css.slice(last, m.index)), `'url(' + JSON.stringify(${name}) + ')'`);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(JSON.stringify(css.slice(last)));
  return [
    ...imports,
    'const style = document.createElement("style");',
    `style.dataset.monaco = ${JSON.stringify(basename(file))};`,
    `style.textContent = ${parts.join(' + ')};`,
    'document.head.append(style);',
    '',
  ].join('\n');
}

/**
 * The plugin; put it in Vite's `plugins` (astro.config.mjs). Only applies to client code, the only place Monaco is.
 * @returns {import('vite').Plugin}
 */
export function monacoLazyCss() {
  return {
    name: 'workbook-monaco-lazy-css',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !source.endsWith('.css') || !MONACO.test(importer)) return undefined;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      // The id must not end in .css, or Vite's own CSS plugin would take it back.
      return resolved ? `${PREFIX}${resolved.id}.js` : undefined;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return undefined;
      const file = id.slice(PREFIX.length, -'.js'.length);
      return cssAsModule(file, readFileSync(file, 'utf8'));
    },
  };
}
