/**
 * Browser side of the backend choice: ask the browser what it really offers (is the GPU real or emulated? does
 * WebAssembly have SIMD?), let src/ml/backend.ts decide, then initialise the winner, falling back to the next one
 * when initialisation fails. The WebGPU and wasm backends are imported only when chosen (dynamic import), so a
 * page that runs on wasm never downloads WebGPU's shaders and vice versa.
 */
import * as tf from '@tensorflow/tfjs';
import {
  chooseBackend,
  isSoftwareAdapter,
  isSoftwareRenderer,
  markFailed,
  parseBackendOverride,
  type AdapterInfoLike,
  type BackendChoice,
  type BackendName,
  type BackendProbe,
} from '../ml/backend';
import { siteUrl } from './base-url';
import { errorMessage } from '../ml/error-message';

/** Where the site serves tfjs-backend-wasm's .wasm files (scripts/copy-wasm.mjs puts them there). */
export const WASM_URL = siteUrl('tfjs-wasm/');

/** The smallest module using a SIMD instruction (i8x16.splat): `WebAssembly.validate` tells if SIMD exists. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

type GpuLike = { requestAdapter(): Promise<(GpuAdapterLike & object) | null> };
type GpuAdapterLike = {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
};

async function probeWebGpu(): Promise<BackendProbe> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { name: 'webgpu', available: false, detail: 'navigator.gpu is missing' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { name: 'webgpu', available: false, detail: 'no WebGPU adapter' };
    // Chromium ≥ 114 exposes adapter.info; older builds only requestAdapterInfo(); isFallbackAdapter moved into info.
    const info: AdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    // GPUAdapterInfo's fields are prototype getters: `{ ...info }` would copy none of them, so read each one.
    const merged: AdapterInfoLike = {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      device: info.device,
      isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter,
    };
    const name =
      [merged.vendor, merged.architecture, merged.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return {
      name: 'webgpu',
      available: true,
      software: isSoftwareAdapter(merged),
      detail: merged.isFallbackAdapter ? `fallback adapter: ${name}` : name,
    };
  } catch (e) {
    return { name: 'webgpu', available: false, detail: 'requestAdapter failed', error: String(e) };
  }
}

function probeWebGl(): BackendProbe {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return { name: 'webgl', available: false, detail: 'no WebGL context' };
  // The unmasked renderer names the real rasteriser ("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))").
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext(); // free it: browsers cap live WebGL contexts
  return { name: 'webgl', available: true, software: isSoftwareRenderer(renderer), detail: renderer };
}

function probeWasm(): BackendProbe {
  if (typeof WebAssembly !== 'object') return { name: 'wasm', available: false, detail: 'no WebAssembly' };
  const simd = WebAssembly.validate(SIMD_PROBE);
  // Threads need SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP headers).
  const threads = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  return {
    name: 'wasm',
    available: true,
    detail: `${simd ? 'SIMD' : 'no SIMD'}${threads ? ', threads' : ', 1 thread'}`,
  };
}

/** Asks the browser about every backend; never throws (a failing probe becomes an unavailable one). */
export async function probeBackends(): Promise<BackendProbe[]> {
  const safe = (name: BackendName, f: () => BackendProbe): BackendProbe => {
    try {
      return f();
    } catch (e) {
      return { name, available: false, detail: 'probe failed', error: String(e) };
    }
  };
  return [
    await probeWebGpu(),
    safe('webgl', probeWebGl),
    safe('wasm', probeWasm),
    { name: 'cpu', available: true, detail: 'plain JavaScript' },
  ];
}

/**
 * How many threads wasm should run on: one per physical core when the page is cross-origin isolated (threads share
 * memory through SharedArrayBuffer, which only isolated pages have), else one. Logical cores are usually two
 * hyper-threads per physical core, and a thread per logical core was measured slower here (BENCHMARKS.md, "wasm
 * threads": 2 threads on 2 cores ran at 0.43–0.81× of one), so the default is tfjs's own rule, half the logical cores.
 * `?threads=N` asks for N, up to every logical core (the benchmark compares 1 with all).
 */
export function wasmThreadsWanted(search: string = location.search): number {
  if (!globalThis.crossOriginIsolated) return 1;
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const asked = Number(new URLSearchParams(search).get('threads'));
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, cores) : defaultWasmThreads(cores);
}

/** The default thread count for `logicalCores` logical cores: one per physical core (half, at least one). */
export function defaultWasmThreads(logicalCores: number): number {
  return Math.max(1, Math.floor(logicalCores / 2));
}

/**
 * Runs `f` while navigator.hardwareConcurrency reports `cores`. tfjs-backend-wasm's threaded binary computes its
 * thread cap as hardwareConcurrency / 2 when it is instantiated ("two threads per core" on hyper-threaded x86) and
 * silently lowers setThreadsCount to it, so a 2-core machine would get 1 thread. Reporting twice the threads we want
 * while it starts lifts the cap to exactly that; the real value comes back right after.
 */
async function withReportedCores<T>(cores: number, f: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await f();
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}

/** The wasm backend's thread count once it runs (1 before, or on the single-threaded binaries). */
let wasmThreads = 1;

/** Starts the wasm backend on as many threads as this page allows; returns false when its binary did not load. */
async function startWasm(search: string): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // One folder holds all three binaries (plain, SIMD, threaded SIMD); tfjs picks the one this page can run.
  wasm.setWasmPaths(WASM_URL);
  const threads = wasmThreadsWanted(search);
  wasm.setThreadsCount(threads);
  // wasm is the fastest backend without a GPU but cannot train conv layers on its own: add the missing kernels.
  (await import('../ml/kernels')).installWasmTrainingKernels();
  const started = await withReportedCores(
    2 * threads,
    async () => (await tf.setBackend('wasm')) && (await tf.ready(), true),
  );
  if (started) wasmThreads = wasm.getThreadsCount();
  return started;
}

/** Registers a lazily-loaded backend with tfjs, then switches to it. Throws when it cannot start. */
async function initialise(name: BackendName, search: string): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  const started = name === 'wasm' ? await startWasm(search) : await tf.setBackend(name);
  // tfjs swallows the cause (it only logs it to the console), so say what usually goes wrong.
  if (!started) {
    throw new Error(
      name === 'wasm'
        ? `its .wasm binary did not load from ${WASM_URL}, where node scripts/copy-wasm.mjs puts it when the site is built`
        : `tf.setBackend('${name}') could not initialise it (the browser console has tfjs's message)`,
    );
  }
  await tf.ready();
}

/** "· 2 threads (cross-origin isolated)": what the header adds after "wasm", and why. */
export function describeWasmThreads(
  threads: number,
  isolated: boolean = globalThis.crossOriginIsolated === true,
): string {
  const count = `${threads} thread${threads === 1 ? '' : 's'}`;
  if (!isolated)
    return `· ${count}: this page is not cross-origin isolated (no COOP/COEP headers yet; the offline worker adds them from the next load)`;
  return `· ${count} (cross-origin isolated, ${navigator.hardwareConcurrency} logical cores)`;
}

/**
 * Probes, decides and initialises: the backend tfjs uses from now on. `search` defaults to the page's query string
 * (`?backend=wasm` overrides the automatic pick). A backend that fails to initialise is marked failed and the
 * decision runs again, so the page always ends on something that works; its reason then says what failed.
 */
export async function selectBackend(search: string = location.search): Promise<BackendChoice> {
  const override = parseBackendOverride(search);
  let probes = await probeBackends();
  for (;;) {
    const choice = chooseBackend(probes, override);
    try {
      await initialise(choice.name, search);
      // The slot reads "wasm · 2 threads (…) — reason": the thread count is part of what runs the learner's cells.
      return choice.name === 'wasm'
        ? { ...choice, reason: `${describeWasmThreads(wasmThreads)}. ${choice.reason}` }
        : choice;
    } catch (e) {
      probes = markFailed(probes, choice.name, errorMessage(e));
    }
  }
}

/**
 * Shows a choice in the site header's backend slot (Base.astro's #backend-status): the name, and the reason as
 * the slot's text and tooltip, so the learner always sees what runs their cells and why.
 */
export function showBackendChoice(choice: BackendChoice, root: ParentNode = document): void {
  const slot = root.querySelector<HTMLElement>('#backend-status');
  if (!slot) return;
  slot.dataset.state = 'ready';
  slot.dataset.backend = choice.name;
  const name = slot.querySelector<HTMLElement>('[data-backend-name]');
  const reason = slot.querySelector<HTMLElement>('[data-backend-reason]');
  if (name)
    name.textContent =
      choice.name === 'wasm' ? `wasm · ${wasmThreads} thread${wasmThreads === 1 ? '' : 's'}` : choice.name;
  if (reason) reason.textContent = choice.reason;
  slot.title = choice.reason;
}
