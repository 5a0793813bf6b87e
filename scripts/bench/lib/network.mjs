/**
 * What a page downloads, from Playwright's network log: every response's body, gzipped here (zlib level 6, what
 * a typical static host sends) so the figure does not depend on whether `astro preview` compresses. Entries are
 * grouped by kind (js, css, wasm, other) and can be cut at a moment ("everything loaded before the first edit").
 */
import { gzipSync } from 'node:zlib';

/** js | css | wasm | other, from the URL's extension and the content type. */
export function kindOf(url, contentType = '') {
  const pathname = new URL(url).pathname;
  if (/\.wasm$/.test(pathname) || contentType.includes('wasm')) return 'wasm';
  if (/\.(m?js)$/.test(pathname) || contentType.includes('javascript')) return 'js';
  if (/\.css$/.test(pathname) || contentType.includes('text/css')) return 'css';
  return 'other';
}

/** Records the responses of a browser context; `snapshot()` totals what has arrived so far. */
export function recordNetwork(context) {
  const entries = [];
  const pending = new Set();
  context.on('response', (response) => {
    const at = Date.now(); // when the response arrived, not when its body was read
    const job = (async () => {
      const url = response.url();
      if (!url.startsWith('http')) return;
      const body = await response.body().catch(() => null);
      if (!body) return;
      const kind = kindOf(url, response.headers()['content-type'] ?? '');
      entries.push({ url, kind, bytes: body.length, gzip: gzipSync(body, { level: 6 }).length, at });
    })();
    pending.add(job);
    job.finally(() => pending.delete(job));
  });
  return {
    entries,
    /** Waits for bodies still being read, then totals bytes and gzip bytes per kind (of responses until `until`). */
    async snapshot(until = Infinity) {
      await Promise.all([...pending]);
      const upTo = entries.filter((e) => e.at <= until);
      const totals = { files: upTo.length };
      for (const kind of ['js', 'css', 'wasm', 'other']) {
        const of = upTo.filter((e) => e.kind === kind);
        totals[`${kind}Files`] = of.length;
        totals[`${kind}Bytes`] = of.reduce((s, e) => s + e.bytes, 0);
        totals[`${kind}Gzip`] = of.reduce((s, e) => s + e.gzip, 0);
      }
      return totals;
    },
  };
}
