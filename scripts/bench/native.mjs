/**
 * Section "native": how far our tfjs-wasm MobileNet is from a native framework on the same core. The same network
 * (the workbook's MobileNet v1 0.25, weights read from model.json by tfjs_to_torch.py), the same 224×224 photo
 * batches (written by the tfjs worker, read by the torch worker), the same thread count (1), and rounds that
 * alternate tfjs and torch so that whatever else the machine is doing slows both alike.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonWorker, runCommand } from './lib/proc.mjs';
import { duration, median, ratio, sig } from './lib/stats.mjs';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

/** Makes sure PyTorch imports in Debian's python3; installs python3-torch when missing (root only). */
async function ensureTorch(log) {
  const has = () =>
    runCommand(PYTHON, ['-c', 'import torch']).then(
      () => true,
      () => false,
    );
  if (!existsSync(PYTHON)) return `${PYTHON} is missing (Debian's python3 with python3-torch is the baseline)`;
  if (await has()) return null;
  if (process.getuid?.() !== 0)
    return `PyTorch is missing for ${PYTHON}: run \`apt-get install -y python3-torch\` as root`;
  log('installing python3-torch with apt-get (once) …');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runCommand('apt-get', ['install', '-y', 'python3-torch'], { env, timeoutMs: 30 * 60_000 });
  } catch {
    await runCommand('apt-get', ['update'], { env });
    await runCommand('apt-get', ['install', '-y', 'python3-torch'], { env, timeoutMs: 30 * 60_000 });
  }
  return (await has()) ? null : `apt-get installed python3-torch but ${PYTHON} still cannot import torch`;
}

/**
 * A PyTorch worker fed with `count` real photos (written by a short-lived tfjs worker, so the batches are the
 * lessons' own preprocessing), for sections that compare against torch in rounds of their own (model.mjs).
 * Resolves { torch, close } or { pending } when PyTorch is missing.
 */
export async function startTorchWorker({ root, log, count }) {
  const missing = await ensureTorch(log);
  if (missing) return { pending: missing };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-torch-'));
  const inputs = path.join(tmp, 'inputs.f32');
  const tfjs = new JsonWorker(
    'tfjs',
    process.execPath,
    ['--import', './scripts/register-ts.mjs', 'scripts/bench/tfjs_worker.ts'],
    { cwd: root },
  );
  try {
    await tfjs.request({ cmd: 'init', threads: 1, count, inputs });
  } finally {
    await tfjs.close();
  }
  const torch = new JsonWorker('torch', PYTHON, [path.join(root, 'scripts/bench/torch_worker.py')], { cwd: root });
  await torch.request({
    cmd: 'init',
    threads: 1,
    count,
    inputs,
    modelDir: path.join(root, 'public/workbook-assets/model'),
  });
  return {
    torch,
    close: async () => {
      await torch.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** What each framework runs, in the order a round visits them. */
const FORWARD = [
  { impl: 'tfjs', variant: 'predict', label: 'tfjs wasm: LayersModel.predict (whole model)' },
  { impl: 'tfjs', variant: 'prefix', label: 'tfjs wasm: LayersModel cut at the features (frozen base)' },
  { impl: 'tfjs', variant: 'folded', label: "tfjs wasm: engine's BN-folded prefix (fold.ts)" },
  { impl: 'torch', variant: 'eager', label: 'PyTorch eager (whole model)' },
  { impl: 'torch', variant: 'jit', label: 'PyTorch jit, optimize_for_inference (whole model)' },
  { impl: 'torch', variant: 'jit-prefix', label: 'PyTorch jit, optimize_for_inference, cut at the features' },
];

/** The four training steps, batch 16, from cheapest to dearest. */
export const TRAIN_CASES = [
  { id: 'head-cached', label: 'head on cached 256-d features' },
  { id: 'frozen', label: 'frozen base + head' },
  { id: 'last2', label: 'last two blocks + head' },
  { id: 'all', label: 'everything' },
];

/** Runs the section; returns { rows, data }. */
export async function runNative({ quick, root, log }) {
  const missing = await ensureTorch(log);
  const plan = quick
    ? { rounds: 1, reps: 1, batches: [1, 8, 32], trainRounds: 1, trainReps: 1, check: 8 }
    : { rounds: 5, reps: 3, batches: [1, 8, 32], trainRounds: 3, trainReps: 2, check: 32 };
  const count = Math.max(32, ...plan.batches, plan.check);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-native-'));
  const inputs = path.join(tmp, 'inputs.f32');
  const tfjs = new JsonWorker(
    'tfjs',
    process.execPath,
    ['--import', './scripts/register-ts.mjs', 'scripts/bench/tfjs_worker.ts'],
    { cwd: root },
  );
  let torch = null;
  try {
    const tfInfo = await tfjs.request({ cmd: 'init', threads: 1, count, inputs });
    log(`tfjs ${tfInfo.tfjs} on ${tfInfo.backend}, ${tfInfo.threads} thread; ${count} photos written for both`);
    let torchInfo = null;
    if (!missing) {
      torch = new JsonWorker('torch', PYTHON, [path.join(root, 'scripts/bench/torch_worker.py')], { cwd: root });
      torchInfo = await torch.request({
        cmd: 'init',
        threads: 1,
        count,
        inputs,
        modelDir: path.join(root, 'public/workbook-assets/model'),
      });
      log(`PyTorch ${torchInfo.torch}, ${torchInfo.threads} thread, oneDNN ${torchInfo.mkldnn ? 'on' : 'off'}`);
    }
    const rows = [];
    const data = { threads: 1, tfjs: tfInfo.tfjs, torch: torchInfo?.torch ?? null, photos: tfInfo.photos.length, plan };

    // 1. Same network? Top-1 classes of real photos must agree, and probabilities nearly so.
    if (torch) {
      const [a, b] = await Promise.all([
        tfjs.request({ cmd: 'classify', count: plan.check }),
        torch.request({ cmd: 'classify', count: plan.check }),
      ]);
      for (const variant of ['eager', 'jit']) {
        const agree = a.top1.filter((c, i) => c === b[variant].top1[i]).length;
        const maxDiff = Math.max(...a.p.map((p, i) => Math.abs(p - b[variant].p[i])));
        data[`agreement_${variant}`] = { agree, of: a.top1.length, maxTop1ProbDiff: maxDiff };
        rows.push({
          id: `agreement.${variant}`,
          label: `top-1 agreement tfjs vs torch ${variant} (real photos)`,
          value: agree / a.top1.length,
          text: `${agree}/${a.top1.length}, max |Δp(top-1)| ${sig(maxDiff, 2)}`,
        });
      }
    } else rows.push({ id: 'torch', label: 'PyTorch baseline', pending: missing });

    // 2. Forward throughput, rounds alternating which framework goes first.
    const times = new Map();
    const skip = new Map();
    for (let round = 0; round < plan.rounds; round++) {
      for (const batch of plan.batches) {
        const order = round % 2 ? [...FORWARD].reverse() : FORWARD;
        for (const f of order) {
          const key = `${f.impl}:${f.variant}:${batch}`;
          const worker = f.impl === 'tfjs' ? tfjs : torch;
          if (!worker || skip.has(key)) continue;
          const reply = await worker.request({ cmd: 'forward', variant: f.variant, batch, reps: plan.reps });
          if (reply.pending || reply.na)
            skip.set(key, reply.pending ? `pending: ${reply.pending}` : `n/a: ${reply.na}`);
          else times.set(key, [...(times.get(key) ?? []), ...reply.times]);
        }
      }
    }
    data.forward = {};
    for (const batch of plan.batches) {
      for (const f of FORWARD) {
        const key = `${f.impl}:${f.variant}:${batch}`;
        const t = median(times.get(key) ?? []);
        data.forward[key] = { medianSeconds: t, imagesPerSecond: batch / t, samples: times.get(key)?.length ?? 0 };
        const row = { id: `forward.${f.impl}-${f.variant}.b${batch}`, label: `${f.label}, batch ${batch}` };
        if (skip.has(key)) rows.push({ ...row, note: skip.get(key) });
        else if (Number.isFinite(t))
          rows.push({
            ...row,
            value: batch / t,
            unit: 'img/s',
            text: `${sig(batch / t)} img/s (${duration(t)}/batch)`,
          });
        else if (f.impl === 'torch') rows.push({ ...row, pending: missing });
      }
      const ips = (k) => data.forward[`${k}:${batch}`]?.imagesPerSecond;
      for (const [ours, theirs] of [
        ['tfjs:predict', 'torch:jit'],
        ['tfjs:predict', 'torch:eager'],
        ['tfjs:prefix', 'torch:jit-prefix'],
        ['tfjs:folded', 'torch:jit-prefix'],
      ]) {
        const r = ips(ours) / ips(theirs);
        if (Number.isFinite(r)) {
          rows.push({
            id: `forward.ratio.${ours}/${theirs}.b${batch}`,
            label: `ours ÷ theirs, ${ours} vs ${theirs}, batch ${batch} (images/s)`,
            value: r,
            text: ratio(r),
          });
        }
      }
    }

    // 3. One training step per freeze point, batch 16, interleaved the same way.
    const train = new Map();
    const trainSkip = new Map();
    for (let round = 0; round < plan.trainRounds; round++) {
      for (const c of TRAIN_CASES) {
        for (const [impl, worker] of round % 2
          ? [
              ['torch', torch],
              ['tfjs', tfjs],
            ]
          : [
              ['tfjs', tfjs],
              ['torch', torch],
            ]) {
          const key = `${impl}:${c.id}`;
          if (!worker || trainSkip.has(key)) continue;
          const reply = await worker.request({ cmd: 'train', case: c.id, batch: 16, reps: plan.trainReps });
          if (reply.pending || reply.na)
            trainSkip.set(key, reply.pending ? `pending: ${reply.pending}` : `n/a: ${reply.na}`);
          else train.set(key, [...(train.get(key) ?? []), ...reply.times]);
        }
      }
    }
    data.train = {};
    for (const c of TRAIN_CASES) {
      const [ours, theirs] = ['tfjs', 'torch'].map((impl) => median(train.get(`${impl}:${c.id}`) ?? []));
      data.train[c.id] = { tfjsSeconds: ours, torchSeconds: theirs };
      const text = (impl, t) =>
        trainSkip.get(`${impl}:${c.id}`) ??
        (Number.isFinite(t) ? duration(t) : impl === 'torch' ? `pending: ${missing}` : '–');
      rows.push({
        id: `train.${c.id}`,
        label: `one training step, batch 16, ${c.label}: tfjs | torch | tfjs÷torch time`,
        value: Number.isFinite(ours / theirs) ? ours / theirs : undefined,
        text: `${text('tfjs', ours)} | ${text('torch', theirs)} | ${Number.isFinite(ours / theirs) ? ratio(ours / theirs) : '–'}`,
      });
    }
    const mem = await tfjs.request({ cmd: 'memory' });
    data.tfjsTensorsAtEnd = mem.numTensors;
    return { rows, data };
  } finally {
    await Promise.all([tfjs.close(), torch?.close()]);
    rmSync(tmp, { recursive: true, force: true });
  }
}
