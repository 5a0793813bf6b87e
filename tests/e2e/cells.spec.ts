/**
 * Notebook cells in a real browser, on the development page /dev/cells/ (src/pages/dev/cells.astro, fixtures in
 * tests/fixtures/cells/): every control, every kind of bad input, saved edits, the changed-lesson prompt, the
 * keyboard, and a cell computing on the real TensorFlow.js.
 */
import { gzipSync } from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';

const PAGE = '/dev/cells/';
/** Plain-text editing (no Monaco): the editing tests then type into one known <textarea>. */
const PLAIN = '/dev/cells/?editor=plain';

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);
const status = (c: Locator) => c.locator('[data-cell-status-text]');
const output = (c: Locator) => c.locator('[data-cell-output]');

async function open(page: Page, url = PAGE): Promise<void> {
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-cells', 'ready');
}

async function run(page: Page, id: string): Promise<void> {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
}

/** Runs a cell and waits until it is done or failed. */
async function runAndWait(page: Page, id: string, expected: 'done' | 'error' = 'done'): Promise<void> {
  await run(page, id);
  await expect(cell(page, id)).toHaveAttribute('data-status', expected);
}

test.beforeEach(async ({ page }) => {
  // Saved edits from an earlier test must not leak into the next one.
  await page.goto(PAGE);
  await page.evaluate(() => localStorage.clear());
});

test('first paint: highlighted code without the editor, tfjs or the compiler; little JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext(); // an empty cache: every script is downloaded and counted
  const page = await context.newPage();
  const bodies: Promise<{ url: string; body: Buffer }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' && response.status() === 200)
      bodies.push(response.body().then((body) => ({ url: response.url(), body })));
  });
  await open(page);
  await page.waitForLoadState('networkidle');
  const scripts = await Promise.all(bodies);
  const declare = cell(page, 'declare');
  await expect(declare.locator('pre.astro-code')).toContainText('const base: number = 40;');
  await expect(declare.locator('pre.astro-code span[style*="--shiki-dark"]').first()).toBeAttached(); // light + dark
  const gzipped = scripts.reduce((sum, s) => sum + gzipSync(s.body).length, 0);
  console.log(`cell JavaScript before any edit: ${scripts.length} files, ${(gzipped / 1024).toFixed(1)} KB gzip`);
  expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  const names = scripts.map((s) => s.body.toString('utf8'));
  expect(names.some((text) => text.includes('monaco-editor') || text.includes('getTypeScriptWorker'))).toBe(false);
  expect(names.some((text) => text.includes('Error transforming'))).toBe(false); // sucrase is not loaded yet
  expect(names.some((text) => text.includes('tfjs-core'))).toBe(false);
  await context.close();
});

test('code reads with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  await expect(cell(page, 'declare').locator('[data-cell-code] pre')).toContainText('function bump(by: number)');
  await expect(cell(page, 'declare').locator('details summary')).toHaveText('Solution'); // the solution, folded
  await expect(cell(page, 'declare').locator('[data-cell-controls]')).toBeHidden(); // no dead buttons
  await context.close();
});

test('cells follow the OS theme: light and dark surfaces and code colours', async ({ browser }) => {
  const looks: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme });
    await page.goto(PAGE);
    looks.push(
      await cell(page, 'declare').evaluate((el) => {
        const head = getComputedStyle(el.querySelector('.cell-head')!).backgroundColor;
        const constKeyword = [...el.querySelectorAll('pre.astro-code span span')].find(
          (s) => s.textContent === 'const',
        )!;
        const keyword = getComputedStyle(constKeyword).color;
        return `${head} ${keyword}`;
      }),
    );
    await page.close();
  }
  const [light, dark] = looks.map((l) => l.split(' rgb'));
  expect(light![0]).not.toBe(dark![0]);
  expect(light![1]).not.toBe(dark![1]);
});

test('cells share one scope: Run, outputs, inspected value, Run all above and stale', async ({ page }) => {
  await open(page);
  await runAndWait(page, 'declare');
  await expect(output(cell(page, 'declare'))).toContainText('42');
  await expect(status(cell(page, 'declare'))).toHaveText(/^Done in \d/);

  await runAndWait(page, 'use');
  const out = output(cell(page, 'use'));
  await expect(out.locator('.cell-log-log')).toHaveText('counter before: 0');
  await expect(out.locator('.cell-log-warn')).toHaveText('second is b');
  await expect(out.locator('.cell-result summary').first()).toHaveText(
    '{base: 40, counter: 2, norm: 5, nested: Map(1)}',
  );
  await out.locator('.cell-result summary').first().click(); // expand the collapsed object
  await expect(out.locator('.cell-result')).toContainText('nested:');

  // Re-running an earlier cell makes later runs stale.
  await runAndWait(page, 'declare');
  await expect(cell(page, 'use')).toHaveAttribute('data-status', 'stale');
  await expect(status(cell(page, 'use'))).toContainText('re-ran');

  // Run all above (from "tensor") runs declare and use, in order.
  await page.getByRole('button', { name: 'Run all above cell tensor', exact: true }).click();
  await expect(cell(page, 'use')).toHaveAttribute('data-status', 'done');
  await expect(cell(page, 'tensor')).toHaveAttribute('data-status', 'idle');
});

test('each run state draws its own status mark in its own colour', async ({ page }) => {
  await open(page);
  // cells.css draws every state with one rule from two custom properties; a state whose properties went missing
  // would fall back to the idle mark and colour, so every state is compared with the colour it must have.
  const drawn = await page.evaluate(() => {
    const section = document.querySelector<HTMLElement>('[data-cell-id="declare"]')!;
    const badge = section.querySelector('.cell-status')!;
    const probe = document.createElement('span');
    section.append(probe);
    const colourOf = (variable: string) => {
      probe.style.color = `var(${variable})`;
      return getComputedStyle(probe).color;
    };
    const states = {
      idle: '--muted',
      queued: '--muted',
      running: '--accent',
      done: '--ok',
      error: '--error',
      stale: '--warn',
    };
    const rows = Object.entries(states).map(([state, variable]) => {
      section.dataset.status = state;
      return {
        state,
        mark: getComputedStyle(badge, '::before').content,
        colour: getComputedStyle(badge).color,
        expected: colourOf(variable),
      };
    });
    probe.remove();
    section.dataset.status = 'idle';
    return rows;
  });
  expect(drawn.map((r) => `${r.state} ${r.mark}`)).toEqual([
    'idle "○ "',
    'queued "◌ "',
    'running "● "',
    'done "✓ "',
    'error "✕ "',
    'stale "◐ "',
  ]);
  for (const row of drawn) expect(row.colour, row.state).toBe(row.expected);
  expect(new Set(drawn.map((r) => r.colour)).size).toBe(5); // queued shares idle's muted colour, no other pair
});

test('a cell using tf computes on the real TensorFlow.js and the header names the backend', async ({ page }) => {
  await open(page);
  await expect(page.locator('[data-backend-name]')).toHaveText('not started');
  await runAndWait(page, 'tensor');
  const out = output(cell(page, 'tensor'));
  await expect(out.locator('.cell-result')).toHaveText('10');
  await expect(out).toContainText('Tensor float32 [2, 2] [1, 2, 3, 4]');
  const backend = (await page.locator('[data-backend-name]').textContent()) ?? '';
  expect(['WebGPU', 'WebGL', 'wasm', 'cpu']).toContain(backend);
  await expect(out.locator('.cell-log')).toHaveText(new RegExp(`backend: (webgpu|webgl|wasm|cpu) sum: 10`));
  await expect(page.locator('#backend-status')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('[data-backend-reason]')).not.toBeEmpty();
});

test('progress bar, Plot chart, Run all stopping at the first failing cell', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(cell(page, 'progress')).toHaveAttribute('data-status', 'done');
  await expect(cell(page, 'progress').locator('progress')).toHaveAttribute('aria-label', 'step 5 / 5: 100%');
  await expect(cell(page, 'plot').locator('[data-cell-output] svg')).toBeVisible();
  await expect(cell(page, 'bad-syntax')).toHaveAttribute('data-status', 'error');
  await expect(cell(page, 'throws')).toHaveAttribute('data-status', 'idle');
  await expect(status(cell(page, 'throws'))).toContainText('Not run: cell “bad-syntax” failed');
});

test('bad input: syntax error, thrown error and un-awaited rejection, each at its line, page still usable', async ({
  page,
}) => {
  await open(page);
  await runAndWait(page, 'bad-syntax', 'error');
  const syntax = output(cell(page, 'bad-syntax')).locator('.cell-error');
  await expect(syntax).toContainText('SyntaxError');
  await expect(syntax.locator('.cell-error-where')).toHaveText('(at line 2, column 32)');

  await runAndWait(page, 'throws', 'error');
  const thrown = output(cell(page, 'throws')).locator('.cell-error');
  await expect(thrown).toContainText('boom: on purpose');
  await expect(thrown.locator('.cell-error-where')).toHaveText('(at line 2, column 9)');
  await expect(status(cell(page, 'throws'))).toHaveText('Error at line 2, column 9');

  await runAndWait(page, 'rejects', 'error');
  await expect(output(cell(page, 'rejects')).locator('.cell-error')).toContainText('nobody awaited me');

  await runAndWait(page, 'declare'); // the page and the kernel still work
});

test('an infinite loop is stopped by its guard within seconds', async ({ page }) => {
  await open(page);
  const started = Date.now();
  await runAndWait(page, 'infinite', 'error');
  expect(Date.now() - started).toBeLessThan(10_000);
  const error = output(cell(page, 'infinite')).locator('.cell-error');
  await expect(error).toContainText('This loop (line 2) ran for more than 3 s');
  await runAndWait(page, 'declare');
});

test('runaway allocations are errors on their cell: a 2^32 array, a 3.6 GB tensor, a huge op output', async ({
  page,
}) => {
  await open(page);
  await runAndWait(page, 'allocation', 'error');
  await expect(output(cell(page, 'allocation')).locator('.cell-error')).toContainText('RangeError');
  await runAndWait(page, 'huge-tensor', 'error');
  await expect(output(cell(page, 'huge-tensor')).locator('.cell-error')).toContainText(
    'tf.ones([30000, 30000]) would hold 900,000,000 values',
  );
  await expect(output(cell(page, 'huge-tensor')).locator('.cell-error-where')).toContainText('line 2');
  await runAndWait(page, 'huge-product', 'error');
  await expect(output(cell(page, 'huge-product')).locator('.cell-error')).toContainText(
    /shape \[(1, )?20000, 20000\] would hold 400,000,000 values/,
  );
  await expect(output(cell(page, 'huge-product')).locator('.cell-error-where')).toContainText('line 4');
  await runAndWait(page, 'tensor'); // tfjs still computes
  await expect(output(cell(page, 'tensor')).locator('.cell-result')).toHaveText('10');
});

test('Stop ends a running cell, and Restart clears the scope and disposes tensors', async ({ page }) => {
  await open(page);
  await run(page, 'stoppable');
  await expect(cell(page, 'stoppable')).toHaveAttribute('data-status', 'running');
  await expect(cell(page, 'stoppable').locator('[data-cell-elapsed]')).toHaveText(/\d/);
  await page.getByRole('button', { name: 'Stop cell stoppable', exact: true }).click();
  await expect(cell(page, 'stoppable')).toHaveAttribute('data-status', 'error');
  await expect(status(cell(page, 'stoppable'))).toHaveText('Stopped');

  await runAndWait(page, 'declare');
  await runAndWait(page, 'tensor');
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.locator('.notebook-status')).toContainText(
    /Restarted: all variables cleared; [1-9]\d* tensors? disposed/,
  );
  await expect(cell(page, 'declare')).toHaveAttribute('data-status', 'idle');
  await runAndWait(page, 'use', 'error');
  await expect(output(cell(page, 'use')).locator('.cell-error')).toContainText('counter is not defined');
});

test('editing: textarea at once, edits survive a reload, Reset and Undo', async ({ page }) => {
  await open(page, PLAIN);
  const declare = cell(page, 'declare');
  await declare.locator('pre.astro-code').click();
  const textarea = declare.getByRole('textbox', { name: 'Code of cell declare' });
  await expect(textarea).toBeFocused();
  await textarea.fill('const base: number = 1;\nbase * 7');
  await runAndWait(page, 'declare');
  await expect(output(declare).locator('.cell-result')).toHaveText('7');
  await expect(declare).toHaveAttribute('data-edited', 'true');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-cells', 'ready');
  await expect(declare.locator('[data-cell-code]')).toContainText('base * 7');
  await runAndWait(page, 'declare');
  await expect(output(declare).locator('.cell-result')).toHaveText('7');

  await page.getByRole('button', { name: 'Reset cell declare', exact: true }).click();
  await expect(declare.locator('[data-cell-code]')).toContainText('const base: number = 40;');
  await expect(declare).toHaveAttribute('data-edited', 'false');
  await declare.getByRole('button', { name: 'Undo' }).click();
  await expect(declare.locator('[data-cell-code]')).toContainText('base * 7');
});

test('Show solution as a diff beside the learner’s code, then Use solution', async ({ page }) => {
  await open(page);
  const declare = cell(page, 'declare');
  await page.getByRole('button', { name: 'Show solution of cell declare', exact: true }).click();
  const toggle = declare.locator('[data-action="solution"]');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(toggle).toHaveAccessibleName('Hide solution of cell declare');
  const diff = declare.locator('[data-cell-solution] .cell-diff');
  await expect(diff.locator('.diff-del')).toHaveText(['− const base: number = 40;', '− base + 2']);
  await expect(diff.locator('.diff-add')).toHaveText(['+ const base: number = 41;', '+ base + 1']);
  await expect(declare.locator('[data-cell-code]')).toContainText('base + 2'); // the learner's code is kept
  await page.getByRole('button', { name: 'Use solution in cell declare' }).click();
  await runAndWait(page, 'declare');
  await expect(output(declare).locator('.cell-result')).toHaveText('42');
  await expect(diff).toContainText('the same');
});

test('when the lesson code changed since the edit, the cell asks: keep mine, take the new code, see diff', async ({
  page,
}) => {
  await open(page);
  await page.evaluate(() => {
    // An edit saved against an older version of the lesson's code (its hash no longer matches).
    localStorage.setItem(
      'workbook:cell:dev-cells:declare',
      JSON.stringify({ code: 'const base: number = 7;\nbase', baseHash: '00000000000000', savedAt: 1 }),
    );
  });
  await page.reload();
  const declare = cell(page, 'declare');
  const notice = declare.locator('[data-cell-notice]');
  await expect(notice).toContainText('has changed since you edited it');
  await expect(declare.locator('[data-cell-code]')).toContainText('const base: number = 7;'); // nothing dropped
  await notice.getByRole('button', { name: 'See diff' }).click();
  await expect(notice.locator('.diff-add')).toContainText(['+ const base: number = 40;']);
  await notice.getByRole('button', { name: 'Take the new lesson code' }).click();
  await expect(declare.locator('[data-cell-code]')).toContainText('const base: number = 40;');
  expect(await page.evaluate(() => localStorage.getItem('workbook:cell:dev-cells:declare'))).toBeNull();

  // Keep mine: the question is answered for good.
  await page.evaluate(() =>
    localStorage.setItem(
      'workbook:cell:dev-cells:declare',
      JSON.stringify({ code: 'const base = 7;\nbase', baseHash: '00000000000000', savedAt: 1 }),
    ),
  );
  await page.reload();
  await declare.locator('[data-cell-notice]').getByRole('button', { name: 'Keep mine' }).click();
  await page.reload();
  await expect(declare.locator('[data-cell-notice]')).toBeHidden();
  await expect(declare.locator('[data-cell-code]')).toContainText('const base = 7;');
});

test('keyboard: Tab reaches the code, Shift+Enter runs it, Enter starts editing, controls are labelled', async ({
  page,
}) => {
  await open(page, PLAIN);
  const code = cell(page, 'declare').locator('pre.astro-code');
  await code.focus();
  await expect(code).toBeFocused();
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 'declare')).toHaveAttribute('data-status', 'done');
  await page.keyboard.press('Enter');
  const textarea = cell(page, 'declare').getByRole('textbox', { name: 'Code of cell declare' });
  await expect(textarea).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(' + 1000');
  await page.keyboard.press('Shift+Enter'); // runs the edited code from the textarea
  await expect(output(cell(page, 'declare')).locator('.cell-result')).toHaveText('1042');
  // Tab order: from the code, on to the cell's Run button.
  await page.getByRole('button', { name: 'Run cell use', exact: true }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(cell(page, 'use').locator('pre')).toBeFocused();
  for (const name of ['Run cell use', 'Stop cell use', 'Run all above cell use', 'Reset cell use']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeAttached();
  }
  await expect(cell(page, 'use').locator('[data-cell-status-text]')).toHaveAttribute('role', 'status');
});

test('the code editor loads only when editing starts, and takes over the text typed meanwhile', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  // Hold the editor's download until the learner has typed, to see the textarea carry the edit over.
  let release: () => void = () => {};
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_astro/mount.*.js', async (route) => {
    await typed;
    await route.continue();
  });
  await open(page);
  await page.waitForLoadState('networkidle');
  const editorScript = /\/_astro\/(mount|cell-editor)\.[\w-]+\.js$/;
  expect(requested.some((url) => editorScript.test(url))).toBe(false);
  const declare = cell(page, 'declare');
  await declare.locator('pre.astro-code').click();
  const textarea = declare.locator('textarea.cell-textarea');
  await expect(textarea).toBeFocused();
  await textarea.press('ControlOrMeta+End');
  await textarea.pressSequentially('// typed before the editor loaded');
  expect(requested.some((url) => editorScript.test(url))).toBe(true); // requested on the click
  release();
  await textarea.press('Tab'); // leaving the textarea lets the editor take over without moving the caret under you
  await expect(declare.locator('[data-cell-code]')).toHaveAttribute('data-form', 'editor', { timeout: 60_000 });
  await expect(textarea).toHaveCount(0);
  const saved = await page.evaluate(() => localStorage.getItem('workbook:cell:dev-cells:declare'));
  expect(JSON.parse(saved ?? '{}').code).toMatch(/base \+ 2\n\/\/ typed before the editor loaded$/);
  await runAndWait(page, 'declare'); // Run reads the cell's source, whatever shows it
  await expect(output(declare).locator('.cell-result')).toHaveText('42');
});
