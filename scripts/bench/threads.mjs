/**
 * Part of the model section: wasm on one thread against wasm on every core, in one run. The benchmark's site is
 * served with COOP/COEP (astro.config.mjs), so the page is cross-origin isolated and tfjs loads its threaded SIMD
 * binary; `?threads=1` and `?threads=<all>` choose the count (src/platform/browser-backend.ts). Each count gets a
 * fresh page, in alternating rounds so machine noise hits both: the folded prefix forward at batch 8 (the engine's
 * frozen base), and lesson 6's training (activations of the 390 photos, then epochs of blocks 12-13 + head).
 */
import { openBenchPage } from './lib/browser.mjs';
import { duration, median, ratio, sig } from './lib/stats.mjs';

/** Measures one thread count in a fresh page; returns what it saw. */
async function measure(browser, url, threads, plan, log) {
  const search = `?backend=wasm&threads=${threads}`;
  const { context, errors, call } = await openBenchPage(browser, url, search);
  try {
    const init = await call((s) => window.__bench.init(s), search);
    if (init.tfBackend !== 'wasm') throw new Error(`wasm did not start (${init.reason})`);
    const running = await call(() => window.__bench.threads.count());
    const isolated = await call(() => crossOriginIsolated);
    await call(() => window.__bench.loadModel({ clear: false }));
    await call((n) => window.__bench.loadPhotos(n), 8);
    log(`${running} thread(s): folded prefix × ${plan.reps}, then ${plan.epochs} epochs of blocks 12-13 + head`);
    const { times } = await call((a) => window.__bench.forward(a), { batch: 8, reps: plan.reps, variant: 'folded' });
    await call(() => window.__bench.dispose());
    const training = await call((e) => window.__bench.threads.run({ epochs: e }), plan.epochs);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return {
      asked: threads,
      running,
      isolated,
      forward: times,
      featureSeconds: training.featureSeconds,
      epochSeconds: training.epochSeconds,
    };
  } finally {
    await context.close();
  }
}

/** Rows comparing 1 thread with every core; `data.threads` keeps the raw times. */
export async function threadScaling({ browser, url, quick, log }) {
  const plan = quick ? { rounds: 1, reps: 3, epochs: 2 } : { rounds: 2, reps: 5, epochs: 3 };
  const { context, call } = await openBenchPage(browser, url, '');
  const cores = await call(() => navigator.hardwareConcurrency);
  await context.close();
  const runs = { one: [], all: [] };
  for (let r = 0; r < plan.rounds; r++) {
    const order = r % 2 ? ['all', 'one'] : ['one', 'all'];
    for (const which of order) runs[which].push(await measure(browser, url, which === 'one' ? 1 : cores, plan, log));
  }
  const pick = (which, key) => median(runs[which].flatMap((m) => (Array.isArray(m[key]) ? m[key] : [m[key]])));
  const all = runs.all[0];
  const label = `${all.running} threads (of ${cores} logical cores${all.isolated ? ', cross-origin isolated' : ', NOT isolated'})`;
  const rows = [];
  const data = { cores, runs };
  for (const [key, what] of [
    ['forward', 'folded prefix forward, batch 8'],
    ['featureSeconds', 'lesson 6: activations of 390 photos (folded prefix, decoding included)'],
    ['epochSeconds', 'lesson 6: one epoch of blocks 12-13 + head on cached activations'],
  ]) {
    const [t1, tn] = [pick('one', key), pick('all', key)];
    data[key] = { oneThreadSeconds: t1, allThreadsSeconds: tn, speedup: t1 / tn };
    rows.push({
      id: `threads.${key}`,
      label: `wasm, 1 thread ÷ ${label}: ${what}`,
      value: t1 / tn,
      text: `${ratio(t1 / tn)} (${duration(t1)} → ${duration(tn)})`,
    });
  }
  log(`threads: ${rows.map((r) => r.text).join('; ')}`);
  data.summary = `speed-up ${sig(data.forward.speedup)}× forward, ${sig(data.epochSeconds.speedup)}× per epoch`;
  return { rows, data };
}
