/**
 * Which TensorFlow.js backend should run the workbook? This file holds only the *decision*: given what the browser
 * said about each backend (the probes), pick one and explain the pick in a sentence a learner can read. The probing
 * itself needs a browser (src/platform/browser-backend.ts); keeping the decision pure lets Node tests check it.
 *
 * Why not simply "GPU first"? A GPU backend is only fast on a real GPU. Many machines (CI, VMs, locked-down laptops)
 * hand the browser a *software* GPU (SwiftShader, llvmpipe) that emulates the GPU on the CPU, and there a
 * MobileNet forward pass on WebGL takes seconds where wasm with SIMD takes ~0.1 s (see FIELD-NOTES.md).
 */

/** The four backends the workbook knows, fastest-in-principle first. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** All backend names, in the order a learner reads them. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Human names for the sentences below. */
export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'wasm',
  cpu: 'the plain-JavaScript cpu backend',
};

/** What probing one backend found out. */
export interface BackendProbe {
  name: BackendName;
  /** The browser offers it (for wasm/cpu: WebAssembly exists / always). */
  available: boolean;
  /** A GPU backend running on a software renderer (emulated on the CPU), so slow. */
  software?: boolean;
  /** What was seen, e.g. the WebGL renderer string or "SIMD, 1 thread". */
  detail: string;
  /** Why it is not usable: the probe's or the initialisation's error message. */
  error?: string;
}

/** What became of one candidate in the decision. */
export type BackendVerdict = 'chosen' | 'software' | 'unavailable' | 'failed' | 'not needed';

/** One backend as the decision saw it. */
export interface BackendCandidate {
  name: BackendName;
  verdict: BackendVerdict;
  detail: string;
}

/** The decision: the backend to use, why, and every candidate with its verdict. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
  /** True when the `?backend=` override picked it. */
  overridden: boolean;
  candidates: BackendCandidate[];
}

/**
 * The ranking when the probes are in. A real GPU beats everything; then wasm (SIMD); then the software-emulated
 * WebGL, which measured about as fast as cpu for predict and faster for training; software WebGPU last but one
 * before nothing, because its emulation measured ~4× slower than cpu.
 */
const RANKING: readonly { name: BackendName; software: boolean }[] = [
  { name: 'webgpu', software: false },
  { name: 'webgl', software: false },
  { name: 'wasm', software: false },
  { name: 'webgl', software: true },
  { name: 'cpu', software: false },
  { name: 'webgpu', software: true },
];

/** Renderer / adapter strings that mean "a GPU emulated on the CPU". */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render driver|mesa offscreen/i;

/** True when a WebGL renderer string (WEBGL_debug_renderer_info) names a software rasteriser. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/** The fields of a WebGPU GPUAdapterInfo that tell a software adapter apart. */
export interface AdapterInfoLike {
  isFallbackAdapter?: boolean;
  architecture?: string;
  vendor?: string;
  description?: string;
  device?: string;
}

/** True when a WebGPU adapter is a fallback (software) one: Chromium's is SwiftShader. */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.architecture, info.vendor, info.description, info.device].some((s) => !!s && isSoftwareRenderer(s));
}

/**
 * Reads `?backend=` from a query string. Returns null when absent; throws a clear error for an unknown name, so a
 * typo does not silently run on another backend.
 */
export function parseBackendOverride(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '' || value === 'auto') return null;
  const name = value.toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(`?backend=${value} is not a backend: use one of ${BACKEND_NAMES.join(', ')} (or auto)`);
}

const usable = (p: BackendProbe | undefined): p is BackendProbe => !!p && p.available && !p.error;

/** The software renderer's usual name in a long renderer string ("ANGLE (… SwiftShader driver)" → "SwiftShader"). */
export function softwareRendererName(detail: string): string {
  const found = SOFTWARE_RENDERER.exec(detail)?.[0];
  if (!found) return /fallback/i.test(detail) ? 'a fallback adapter' : detail;
  return found.toLowerCase() === 'swiftshader' ? 'SwiftShader' : found;
}

function whyNot(p: BackendProbe | undefined, name: BackendName): string {
  if (!p) return `${BACKEND_LABELS[name]} was not probed`;
  if (p.error) return `${BACKEND_LABELS[name]} failed (${p.error})`;
  if (!p.available) return `${BACKEND_LABELS[name]} is not available here${p.detail ? ` (${p.detail})` : ''}`;
  return `${BACKEND_LABELS[name]} is software-rendered here${p.detail ? ` (${softwareRendererName(p.detail)})` : ''}`;
}

function verdictOf(p: BackendProbe | undefined, chosen: BackendName, name: BackendName): BackendVerdict {
  if (name === chosen) return 'chosen';
  if (!p || !p.available) return 'unavailable';
  if (p.error) return 'failed';
  return p.software ? 'software' : 'not needed';
}

/** The sentence explaining an automatic pick: what was passed over and why the winner wins. */
function autoReason(byName: Map<BackendName, BackendProbe>, pick: BackendProbe): string {
  const label = BACKEND_LABELS[pick.name];
  if (!pick.software && (pick.name === 'webgpu' || pick.name === 'webgl')) {
    return `${label} runs on a real GPU here (${pick.detail}), the fastest way to run the model.`;
  }
  const skipped = (['webgpu', 'webgl'] as const).filter((n) => n !== pick.name).map((n) => whyNot(byName.get(n), n));
  if (pick.name === 'wasm') skipped.push(`wasm${pick.detail ? ` with ${pick.detail}` : ''} is faster`);
  else {
    skipped.push(whyNot(byName.get('wasm'), 'wasm'));
    skipped.push(
      pick.name === 'cpu'
        ? 'so the plain-JavaScript cpu backend it is (slow, but it always works)'
        : `so ${label} it is, emulated on the CPU and slow`,
    );
  }
  return `${skipped.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
}

/**
 * Picks the backend from the probes. An override names the backend the learner asked for (`?backend=`): it wins
 * when usable, even software-rendered; when it is not, the automatic pick runs and the reason says so.
 * Throws only when not even cpu is usable, which means the probes are wrong.
 */
export function chooseBackend(probes: readonly BackendProbe[], override: BackendName | null = null): BackendChoice {
  const byName = new Map(probes.map((p) => [p.name, p] as const));
  let pick: BackendProbe | undefined;
  let reason = '';
  if (override) {
    const asked = byName.get(override);
    if (usable(asked)) {
      pick = asked;
      reason = `You asked for ${BACKEND_LABELS[override]} with ?backend=${override}${asked.software ? ' (software-rendered here, so slow)' : ''}.`;
    } else {
      reason = `You asked for ?backend=${override}, but ${whyNot(asked, override)}. `;
    }
  }
  if (!pick) {
    for (const rank of RANKING) {
      const p = byName.get(rank.name);
      if (usable(p) && !!p.software === rank.software) {
        pick = p;
        break;
      }
    }
    if (!pick)
      throw new Error(
        `no usable tfjs backend among the probes: ${BACKEND_NAMES.map((n) => whyNot(byName.get(n), n)).join('; ')}`,
      );
    reason += autoReason(byName, pick);
  }
  const chosen = pick.name;
  return {
    name: chosen,
    reason,
    overridden: !!override && override === chosen,
    candidates: BACKEND_NAMES.map((name) => ({
      name,
      verdict: verdictOf(byName.get(name), chosen, name),
      detail: byName.get(name)?.error ?? byName.get(name)?.detail ?? 'not probed',
    })),
  };
}

/** A copy of the probes with one backend marked as failed: the next `chooseBackend` falls back past it. */
export function markFailed(probes: readonly BackendProbe[], name: BackendName, error: string): BackendProbe[] {
  return probes.map((p) => (p.name === name ? { ...p, error } : p));
}
