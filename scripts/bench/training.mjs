/**
 * Section "training": the engine's train API on the real model and photos, in Node (tfjs wasm, one thread) and in
 * headless Chromium (wasm): seconds per epoch on cached activations versus through the whole network at several
 * freeze points, time to 90 % validation accuracy (model load included), peak tf.memory() bytes, and numTensors
 * around every run. The measures themselves live in training-plan.ts, shared by both environments.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openBenchPage } from './lib/browser.mjs';
import { runCommand } from './lib/proc.mjs';
import { duration, kib, ratio, sig } from './lib/stats.mjs';

const ENGINE = [
  'src/ml/train.ts',
  'src/ml/surgery.ts',
  'src/ml/activation-cache.ts',
  'src/ml/kernels/wasm-conv-grads.ts',
];
const LABELS = { head: 'head only (base frozen)', last2: 'last two blocks + head', last4: 'last four blocks + head' };

/** Rows and headline figures of one environment's TrainingMeasures. */
function summarise(env, m) {
  const rows = [];
  for (const t of m.to90) {
    const first = t === m.to90[0];
    rows.push({
      id: `${env}.to90.${t.id}`,
      label: `${env}: ≥ 90 % validation accuracy, ${t.label}, ${first ? 'from before the model load' : 'on the same activations'}`,
      value: t.secondsTo90 ?? undefined,
      unit: 's',
      text:
        t.secondsTo90 === null
          ? `not reached in ${t.valAcc.length} epochs (best ${sig(Math.max(...t.valAcc) * 100)} %)`
          : `${duration(t.secondsTo90)} (${t.epochsTo90} epochs${first ? `; model ${duration(m.modelSeconds)}, activations ${duration(t.featureSeconds)}` : ''})`,
    });
  }
  for (const e of m.epochs) {
    rows.push({
      id: `${env}.epoch.${e.id}`,
      label: `${env}: epoch, ${LABELS[e.id] ?? e.freezeAt} (${e.trainableParams.toLocaleString('en')} trainable): cached | full | speed-up`,
      value: e.speedup,
      text: `${duration(e.cached.secondsPerEpoch)} | ${duration(e.full.secondsPerEpoch)} | ${ratio(e.speedup)}`,
    });
    rows.push({
      id: `${env}.features.${e.id}`,
      label: `${env}: computing the frozen activations once (390 photos), ${LABELS[e.id] ?? e.freezeAt}: layers | folded prefix`,
      value: e.cached.featureSeconds,
      unit: 's',
      text: `${duration(e.cached.featureSeconds)} | ${e.cachedFolded ? duration(e.cachedFolded.featureSeconds) : '–'}`,
    });
  }
  for (const p of m.memory) {
    rows.push({
      id: `${env}.peak.${p.id}.${p.mode}`,
      label: `${env}: peak tf.memory() bytes over one epoch, ${LABELS[p.id]}, ${p.mode}`,
      value: p.peakBytes,
      unit: 'B',
      text: `${kib(p.peakBytes)} (${kib(p.bytesBefore)} before)`,
    });
  }
  const leaks = m.runs.filter((r) => r.after !== r.before);
  rows.push({
    id: `${env}.tensors`,
    label: `${env}: numTensors before → after, every run (${m.runs.length} runs)`,
    value: leaks.length ? 0 : 1,
    text: leaks.length
      ? `leaks: ${leaks.map((r) => `${r.run} ${r.before}→${r.after}`).join(', ')}`
      : `${m.tensorsAtStart} → ${m.tensorsAtEnd}, unchanged by every run`,
  });
  const head = m.epochs.find((e) => e.id === 'head');
  const last2 = m.epochs.find((e) => e.id === 'last2');
  return {
    rows,
    data: {
      ...m,
      cacheSpeedup: head?.speedup,
      last2EpochSeconds: last2 ? Math.min(last2.cached.secondsPerEpoch, last2.full.secondsPerEpoch) : undefined,
      secondsTo90: m.to90[0]?.secondsTo90 ?? undefined,
      to90Summary:
        m.to90[0] && m.to90[0].secondsTo90 === null
          ? `not reached in ${m.to90[0].valAcc.length} epochs (best ${sig(Math.max(...m.to90[0].valAcc) * 100)} %)`
          : undefined,
      tensorsBalanced: leaks.length === 0,
    },
  };
}

/** Runs the section; returns { rows, data }. */
export async function runTraining({ quick, root, browser, url, log }) {
  const missing = ENGINE.filter((f) => !existsSync(path.join(root, f)));
  if (missing.length) {
    return {
      rows: [
        {
          id: 'training',
          label: 'training measures',
          pending: `the engine's training API is missing (${missing.join(', ')})`,
        },
      ],
      data: {},
    };
  }
  const rows = [];
  const data = {};

  log('Node, tfjs wasm …');
  const out = await runCommand(
    process.execPath,
    ['--import', './scripts/register-ts.mjs', 'scripts/bench/training_node.ts', ...(quick ? ['--quick'] : [])],
    { cwd: root, timeoutMs: 90 * 60_000, onStderr: (line) => log(`Node ${line}`) },
  );
  const node = summarise('Node', JSON.parse(out.trim().split('\n').at(-1)));
  rows.push(...node.rows);
  data.node = node.data;

  log('headless Chromium, wasm …');
  // One thread, like Node (the site is cross-origin isolated now; the model section measures threads).
  const { page, context, errors, call } = await openBenchPage(browser, url, '?backend=wasm&threads=1');
  page.on('console', (msg) => {
    if (msg.text().startsWith('[training]')) log(`browser ${msg.text().slice(11)}`);
  });
  try {
    const init = await call((s) => window.__bench.init(s), '?backend=wasm&threads=1');
    const available = await call(() => window.__bench.training.available());
    if (init.tfBackend !== 'wasm')
      rows.push({
        id: 'Chromium',
        label: 'Chromium: training on wasm',
        note: `n/a: wasm is not available (${init.reason})`,
      });
    else if (available.pending)
      rows.push({ id: 'Chromium', label: 'Chromium: training measures', pending: available.pending });
    else {
      const measures = await call((q) => window.__bench.training.run({ quick: q }), quick);
      const browserPart = summarise('Chromium', measures);
      rows.push(...browserPart.rows);
      data.browser = browserPart.data;
    }
    if (errors.length) data.pageErrors = errors;
  } finally {
    await context.close();
  }
  data.tensorsBalanced = [data.node, data.browser].filter(Boolean).every((d) => d.tensorsBalanced);
  return { rows, data };
}
