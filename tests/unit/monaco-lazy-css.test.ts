/**
 * scripts/monaco-lazy-css.mjs turns Monaco's CSS files into modules that inject a <style>: the CSS must arrive
 * intact, and a relative font URL must become an asset import (or the icons would 404 in the built site).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cssAsModule } from '../../scripts/monaco-lazy-css.mjs';

const CODICON = resolve('node_modules/monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css');

describe('cssAsModule', () => {
  it('injects the CSS text and imports url(./codicon.ttf) as an asset URL', () => {
    const css = readFileSync(CODICON, 'utf8');
    const code = cssAsModule(CODICON, css);
    expect(code).toContain(`import asset0 from ${JSON.stringify(resolve(CODICON, '../codicon.ttf') + '?url')};`);
    expect(code).not.toContain('url(./codicon.ttf)');
    // Evaluate the style text the module builds, with the asset URL the bundler would give.
    const expression = /style\.textContent = (.*);\n/.exec(code)?.[1];
    const text = new Function('asset0', `return ${expression};`)('/_astro/codicon.abc.ttf') as string;
    expect(text).toBe(css.replace('url(./codicon.ttf)', 'url("/_astro/codicon.abc.ttf")'));
  });

  it('leaves data: URLs and CSS without URLs alone', () => {
    const css = '.a { background: url("data:image/png;base64,AAAA"); }\n.b { color: red; }';
    const code = cssAsModule('/x/y.css', css);
    expect(code).not.toContain('import ');
    expect(code).toContain(`style.textContent = ${JSON.stringify(css)};`);
  });
});
