/**
 * The backend decision, fed with the probes real browsers give: this machine's headless Chromium (SwiftShader
 * everywhere), a laptop with a real GPU, a browser without WebAssembly, and a backend that fails to start.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseBackend,
  isSoftwareAdapter,
  isSoftwareRenderer,
  markFailed,
  parseBackendOverride,
  softwareRendererName,
  type BackendProbe,
} from '../../src/ml/backend';

const SWIFTSHADER_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)';

/** What headless Chromium with --enable-unsafe-webgpu reports on this machine. */
const HEADLESS_HERE: BackendProbe[] = [
  { name: 'webgpu', available: true, software: true, detail: 'fallback adapter: google swiftshader' },
  { name: 'webgl', available: true, software: true, detail: SWIFTSHADER_GL },
  { name: 'wasm', available: true, detail: 'SIMD, 1 thread' },
  { name: 'cpu', available: true, detail: 'plain JavaScript' },
];
const REAL_GPU: BackendProbe[] = [
  { name: 'webgpu', available: true, software: false, detail: 'nvidia ampere' },
  { name: 'webgl', available: true, software: false, detail: NVIDIA_GL },
  { name: 'wasm', available: true, detail: 'SIMD, 1 thread' },
  { name: 'cpu', available: true, detail: 'plain JavaScript' },
];

describe('software renderer detection', () => {
  it('recognises SwiftShader, llvmpipe and real GPUs', () => {
    expect(isSoftwareRenderer(SWIFTSHADER_GL)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer(NVIDIA_GL)).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });
  it('treats a fallback or swiftshader WebGPU adapter as software', () => {
    expect(isSoftwareAdapter({ isFallbackAdapter: true, vendor: 'google' })).toBe(true);
    expect(isSoftwareAdapter({ architecture: 'swiftshader', vendor: 'google' })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: false, vendor: 'nvidia', architecture: 'ampere' })).toBe(false);
  });
  it('names the software renderer briefly for the learner', () => {
    expect(softwareRendererName(SWIFTSHADER_GL)).toBe('SwiftShader');
    expect(softwareRendererName('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererName('fallback adapter: unnamed adapter')).toBe('a fallback adapter');
  });
});

describe('chooseBackend', () => {
  it('picks wasm when both GPU backends are software-rendered, and says why', () => {
    const choice = chooseBackend(HEADLESS_HERE);
    expect(choice.name).toBe('wasm');
    expect(choice.overridden).toBe(false);
    expect(choice.reason).toBe(
      'WebGPU is software-rendered here (SwiftShader); WebGL is software-rendered here (SwiftShader); ' +
        'wasm with SIMD, 1 thread is faster.',
    );
    expect(choice.candidates.map((c) => [c.name, c.verdict])).toEqual([
      ['webgpu', 'software'],
      ['webgl', 'software'],
      ['wasm', 'chosen'],
      ['cpu', 'not needed'],
    ]);
  });

  it('picks WebGPU on a real GPU, then WebGL when WebGPU is missing', () => {
    expect(chooseBackend(REAL_GPU).name).toBe('webgpu');
    const noWebGpu = REAL_GPU.map((p) =>
      p.name === 'webgpu' ? { ...p, available: false, software: undefined, detail: 'navigator.gpu is missing' } : p,
    );
    const choice = chooseBackend(noWebGpu);
    expect(choice.name).toBe('webgl');
    expect(choice.reason).toContain('real GPU');
    expect(choice.candidates[0]).toEqual({
      name: 'webgpu',
      verdict: 'unavailable',
      detail: 'navigator.gpu is missing',
    });
  });

  it('prefers software WebGL over cpu, and cpu over software WebGPU, when wasm is missing', () => {
    const noWasm = HEADLESS_HERE.map((p) =>
      p.name === 'wasm' ? { ...p, available: false, detail: 'no WebAssembly' } : p,
    );
    expect(chooseBackend(noWasm).name).toBe('webgl');
    const noWasmNoGl = noWasm.map((p) =>
      p.name === 'webgl' ? { name: p.name, available: false, detail: 'no WebGL context' } : p,
    );
    const choice = chooseBackend(noWasmNoGl);
    expect(choice.name).toBe('cpu');
    expect(choice.reason).toBe(
      'WebGPU is software-rendered here (SwiftShader); WebGL is not available here (no WebGL context); ' +
        'wasm is not available here (no WebAssembly); so the plain-JavaScript cpu backend it is (slow, but it always works).',
    );
  });

  it('honours an override, even a software one', () => {
    const choice = chooseBackend(HEADLESS_HERE, 'webgl');
    expect(choice).toMatchObject({ name: 'webgl', overridden: true });
    expect(choice.reason).toMatch(/You asked for WebGL with \?backend=webgl \(software-rendered/);
  });

  it('falls back, and says so, when the requested backend is not there', () => {
    const noGpu = HEADLESS_HERE.map((p) =>
      p.name === 'webgpu' ? { name: p.name, available: false, detail: 'navigator.gpu is missing' } : p,
    );
    const choice = chooseBackend(noGpu, 'webgpu');
    expect(choice).toMatchObject({ name: 'wasm', overridden: false });
    expect(choice.reason).toMatch(
      /^You asked for \?backend=webgpu, but WebGPU is not available here \(navigator.gpu is missing\)\./,
    );
  });

  it('moves on to the next backend when the chosen one fails to initialise', () => {
    const failed = markFailed(HEADLESS_HERE, 'wasm', 'could not fetch tfjs-backend-wasm-simd.wasm');
    const choice = chooseBackend(failed);
    expect(choice.name).toBe('webgl');
    expect(choice.reason).toBe(
      'WebGPU is software-rendered here (SwiftShader); wasm failed (could not fetch ' +
        'tfjs-backend-wasm-simd.wasm); so WebGL it is, emulated on the CPU and slow.',
    );
    expect(choice.candidates.find((c) => c.name === 'wasm')).toEqual({
      name: 'wasm',
      verdict: 'failed',
      detail: 'could not fetch tfjs-backend-wasm-simd.wasm',
    });
  });

  it('throws when nothing at all is usable', () => {
    const none = HEADLESS_HERE.map((p) => ({ ...p, available: false }));
    expect(() => chooseBackend(none)).toThrow(/no usable tfjs backend/);
  });
});

describe('parseBackendOverride', () => {
  it('reads ?backend= and rejects unknown names with a clear error', () => {
    expect(parseBackendOverride('')).toBeNull();
    expect(parseBackendOverride('?backend=auto')).toBeNull();
    expect(parseBackendOverride('?x=1&backend=WebGPU')).toBe('webgpu');
    expect(() => parseBackendOverride('?backend=cuda')).toThrow(
      '?backend=cuda is not a backend: use one of webgpu, webgl, wasm, cpu',
    );
  });
});
