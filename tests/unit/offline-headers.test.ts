/**
 * The pure parts of the offline copy: the worker's isolation headers (what makes a page on a header-less host
 * cross-origin isolated) and the header slot's sentences. The worker and page themselves run in
 * tests/e2e/offline.spec.ts, in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolationHeaders } from '../../src/platform/offline-headers';
import { describeStatus, formatBytes } from '../../src/platform/offline-client';
import { ISOLATION_HEADERS as SERVER_HEADERS } from '../../scripts/service-worker.mjs';

describe('withIsolationHeaders', () => {
  it('adds COOP and COEP and keeps status, body and the other headers', async () => {
    const original = new Response('<p>hi</p>', {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': 'text/html', 'X-Kept': '1' },
    });
    const r = withIsolationHeaders(original);
    expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r.headers.get('Content-Type')).toBe('text/html');
    expect(r.headers.get('X-Kept')).toBe('1');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('<p>hi</p>');
  });

  it('leaves a response that already has both headers as it is, and gives a 204 no body', () => {
    const already = new Response('x', { headers: ISOLATION_HEADERS as Record<string, string> });
    expect(withIsolationHeaders(already)).toBe(already);
    const empty = withIsolationHeaders(new Response(null, { status: 204 }));
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(empty.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });

  it('says the same as the dev and preview servers (astro.config.mjs)', () => {
    expect(SERVER_HEADERS).toEqual(ISOLATION_HEADERS);
  });
});

describe('the offline slot', () => {
  it('reads every file held as available offline, with its size', () => {
    expect(describeStatus({ type: 'status', build: 'b', bytes: 28_512_345, files: 516, held: 516 })).toEqual({
      state: 'ready',
      text: 'Available offline · 28.5 MB',
    });
  });

  it('reads missing files as incomplete, with how many', () => {
    const { state, text } = describeStatus({ type: 'status', build: 'b', bytes: 1e7, files: 516, held: 300 });
    expect(state).toBe('incomplete');
    expect(text).toContain('300 of 516 files');
  });

  it('formats sizes in kB and MB', () => {
    expect(formatBytes(999)).toBe('1 kB');
    expect(formatBytes(45_600)).toBe('46 kB');
    expect(formatBytes(2_000_000)).toBe('2.0 MB');
  });
});
