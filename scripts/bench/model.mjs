/**
 * Section "model": the pre-trained MobileNet in headless Chromium. Load time cold (Cache API emptied, so every
 * byte comes over the network from localhost) and warm (from the Cache API); forward throughput at batch 8 on
 * every backend the browser offers, each in a fresh page that picks it with ?backend=.
 */
import { openBenchPage } from './lib/browser.mjs';
import { startTorchWorker } from './native.mjs';
import { duration, median, sig } from './lib/stats.mjs';
import { threadScaling } from './threads.mjs';

const BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'];
const VARIANT_LABELS = {
  predict: ', whole model',
  prefix: ', LayersModel cut at the features (frozen base)',
  folded: ", engine's BN-folded prefix to the features (fold.ts)",
};

/**
 * The in-browser frozen prefix (the engine's folded one) against PyTorch's optimised jit cut at the same layer, one
 * thread each, in alternating rounds so machine noise hits both: the figure behind the "≥ 0.3× torch-jit" goal.
 */
async function versusTorch({ call, root, log, plan, result }) {
  const label = 'in-browser folded prefix ÷ PyTorch jit prefix, batch 8, 1 thread each, interleaved (images/s)';
  const started = await startTorchWorker({ root, log, count: 8 });
  if (started.pending) return { id: 'vs-torch', label, pending: started.pending };
  try {
    const ours = [];
    const theirs = [];
    for (let r = 0; r < plan.rounds; r++) {
      const a = () =>
        call((q) => window.__bench.forward(q), { batch: 8, reps: plan.wasmReps, variant: 'folded' }).then((x) =>
          ours.push(...x.times),
        );
      const b = () =>
        started.torch
          .request({ cmd: 'forward', variant: 'jit-prefix', batch: 8, reps: plan.wasmReps })
          .then((x) => theirs.push(...x.times));
      if (r % 2) await b().then(a);
      else await a().then(b);
    }
    const [o, t] = [median(ours), median(theirs)];
    result.vsTorch = { browserFoldedSeconds: o, torchJitPrefixSeconds: t, ratio: t / o };
    return { id: 'vs-torch', label, value: t / o, text: `${sig(t / o)}× (${duration(o)} vs ${duration(t)} per batch)` };
  } finally {
    await started.close();
  }
}

/** Runs the section against a served site; returns { rows, data }. */
export async function runModel({ quick, root, browser, url, log }) {
  const plan = quick
    ? { loads: 1, wasmReps: 2, slowReps: 1, rounds: 2 }
    : { loads: 3, wasmReps: 5, slowReps: 3, rounds: 5 };
  const rows = [];
  const data = { backends: {} };
  for (const backend of BACKENDS) {
    // One thread, as these rows always were (the site is now cross-origin isolated; threads are measured below).
    const search = `?backend=${backend}&threads=1`;
    const { page, context, errors, call } = await openBenchPage(browser, url, search);
    try {
      const init = await call((s) => window.__bench.init(s), search);
      const before = await call(() => window.__bench.memory());
      if (init.tfBackend !== backend) {
        data.backends[backend] = { available: false, reason: init.reason };
        rows.push({
          id: `forward.${backend}`,
          label: `forward, batch 8, ${backend}`,
          note: `n/a: not available here (${init.reason})`,
        });
        continue;
      }
      if (backend === 'wasm') {
        // Cold: the cache emptied before each load. Warm: the same page loads again, now from the Cache API.
        const cold = [];
        const warm = [];
        for (let i = 0; i < plan.loads; i++) cold.push(await call(() => window.__bench.loadModel({ clear: true })));
        for (let i = 0; i < plan.loads; i++) warm.push(await call(() => window.__bench.loadModel({ clear: false })));
        if (!warm.every((r) => r.fromCache) || cold.some((r) => r.cachedFiles > 0)) {
          throw new Error(
            `the Cache API did not behave: cold loads ${JSON.stringify(cold)}, warm loads ${JSON.stringify(warm)}`,
          );
        }
        data.load = {
          coldSeconds: median(cold.map((r) => r.seconds)),
          warmSeconds: median(warm.map((r) => r.seconds)),
          bytes: cold[0].bytes,
          files: cold[0].files,
        };
        rows.push({
          id: 'load.cold',
          label: `model load, cold (network, ${cold[0].files} files, ${sig(cold[0].bytes / 1e6)} MB), wasm`,
          value: data.load.coldSeconds,
          unit: 's',
          text: duration(data.load.coldSeconds),
        });
        rows.push({
          id: 'load.warm',
          label: 'model load, warm (Cache API), wasm',
          value: data.load.warmSeconds,
          unit: 's',
          text: duration(data.load.warmSeconds),
        });
      } else {
        await call(() => window.__bench.loadModel({ clear: false }));
      }
      await call((n) => window.__bench.loadPhotos(n), 8);
      const reps = backend === 'wasm' ? plan.wasmReps : plan.slowReps;
      const variants = backend === 'wasm' ? ['predict', 'prefix', 'folded'] : ['predict'];
      const result = { available: true, detail: init.reason };
      for (const variant of variants) {
        log(`${backend}: ${variant} × ${reps} (+1 warm-up)`);
        const { times } = await call((a) => window.__bench.forward(a), { batch: 8, reps, variant });
        const t = median(times);
        result[variant] = { medianSeconds: t, imagesPerSecond: 8 / t, times };
        rows.push({
          id: `forward.${backend}.${variant}`,
          label: `forward, batch 8, ${backend}${VARIANT_LABELS[variant]}`,
          value: 8 / t,
          unit: 'img/s',
          text: `${sig(8 / t)} img/s (${duration(t)}/batch)`,
        });
      }
      if (backend === 'wasm') rows.push(await versusTorch({ call, root, log, plan, result }));
      const after = await call(() => window.__bench.dispose());
      result.tensors = { before: before.numTensors, after: after.numTensors };
      data.backends[backend] = result;
      if (errors.length) result.pageErrors = errors;
    } finally {
      await context.close();
    }
  }
  const threads = await threadScaling({ browser, url, quick, log });
  rows.push(...threads.rows);
  data.threads = threads.data;
  const leaks = Object.entries(data.backends).filter(([, r]) => r.tensors && r.tensors.after !== r.tensors.before);
  data.tensorsBalanced = leaks.length === 0;
  rows.push({
    id: 'tensors',
    label: 'numTensors back at baseline after load + forward (every backend)',
    value: leaks.length === 0 ? 1 : 0,
    text:
      leaks.length === 0
        ? 'yes'
        : `no: ${leaks.map(([b, r]) => `${b} ${r.tensors.before}→${r.tensors.after}`).join(', ')}`,
  });
  return { rows, data };
}
