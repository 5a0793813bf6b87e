/**
 * The workbook's speed goals, printed beside the measures (never asserted: a benchmark reports, tests assert
 * correctness). Each goal reads its figure out of the merged results of all sections and says met, missed (and by
 * how much) or pending (which section has not produced it yet).
 */
import { duration, kib, ratio, sig } from './stats.mjs';

const wasmPrefixIps = (s) => {
  const b = s.model?.data?.backends?.wasm;
  return b?.folded?.imagesPerSecond ?? b?.prefix?.imagesPerSecond;
};

/** The goals, in the order the brief lists them. */
export const GOALS = [
  {
    id: 'js-before-edit',
    text: 'JS loaded before the learner edits ≤ 150 KB gzip',
    limit: 150 * 1024,
    better: 'lower',
    format: kib,
    get: (s) => s.page?.data?.beforeEdit?.jsGzip,
    source: 'page',
  },
  {
    id: 'first-cell',
    text: 'first cell runnable ≤ 1.5 s after navigation (localhost)',
    limit: 1.5,
    better: 'lower',
    format: duration,
    get: (s) => s.page?.data?.firstCellRunnableSeconds,
    source: 'page',
  },
  {
    id: 'cache-speedup',
    text: 'epoch on cached activations ≥ 20× faster than through the whole network',
    limit: 20,
    better: 'higher',
    format: ratio,
    get: (s) => s.training?.data?.browser?.cacheSpeedup ?? s.training?.data?.node?.cacheSpeedup,
    source: 'training',
  },
  {
    id: 'prefix-vs-jit',
    text: 'in-browser frozen-prefix forward ≥ 0.3× PyTorch jit, 1 thread each (images/s, batch 8)',
    limit: 0.3,
    better: 'higher',
    format: ratio,
    // Interleaved with torch in the model section when PyTorch is there; else across sections (noisier).
    get: (s) =>
      s.model?.data?.backends?.wasm?.vsTorch?.ratio ??
      wasmPrefixIps(s) / s.native?.data?.forward?.['torch:jit-prefix:8']?.imagesPerSecond,
    source: 'model (+ native)',
  },
  {
    id: 'head-to-90',
    text: 'head trained to ≥ 90 % validation accuracy in < 60 s in headless Chromium, model load included',
    limit: 60,
    better: 'lower',
    format: duration,
    get: (s) => s.training?.data?.browser?.secondsTo90,
    source: 'training',
    // A run that never reached 90 % is a miss, not a missing figure.
    missed: (s) => s.training?.data?.browser?.to90Summary,
  },
  {
    id: 'finetune-epoch',
    text: 'fine-tuning the last two blocks + head: one epoch on wasm < 30 s',
    limit: 30,
    better: 'lower',
    format: duration,
    get: (s) => s.training?.data?.browser?.last2EpochSeconds ?? s.training?.data?.node?.last2EpochSeconds,
    source: 'training',
  },
  {
    id: 'features-second-visit',
    text: "lesson 5's features on a second visit (read from IndexedDB) ≤ 1 s",
    limit: 1,
    better: 'lower',
    format: duration,
    get: (s) => s.store?.data?.secondSeconds,
    source: 'store',
  },
  {
    id: 'tensors',
    text: 'numTensors back at baseline after every run',
    limit: 1,
    better: 'higher',
    format: (v) => (v === 1 ? 'yes' : 'no'),
    get: (s) => {
      const flags = ['model', 'training'].map((k) => s[k]?.data?.tensorsBalanced).filter((f) => f !== undefined);
      return flags.length ? (flags.every(Boolean) ? 1 : 0) : undefined;
    },
    source: 'model, training',
  },
];

/** Evaluates every goal: { id, text, measured, status: 'met'|'missed'|'pending', by }. */
export function evaluateGoals(sections) {
  return GOALS.map((g) => {
    const v = g.get(sections);
    const never = g.missed?.(sections);
    if (never) return { id: g.id, text: g.text, measured: never, status: 'missed', by: 'never reached' };
    if (v === undefined || v === null || !Number.isFinite(v)) {
      return { id: g.id, text: g.text, measured: '–', status: 'pending', by: `needs the ${g.source} section` };
    }
    const met = g.better === 'lower' ? v <= g.limit : v >= g.limit;
    let by = '';
    if (!met && g.id !== 'tensors') {
      by =
        g.better === 'lower'
          ? `over by ${g.format(v - g.limit)} (${sig(v / g.limit)}× the goal)`
          : `short: ${sig(g.limit / v)}× too slow`;
    }
    return { id: g.id, text: g.text, value: v, measured: g.format(v), status: met ? 'met' : 'missed', by };
  });
}
