/**
 * The engine in a real browser, through the developer page /dev/engine/: the automatic backend choice and its
 * reason, the real MobileNet recognising a real cat on every backend, the model cache, the pictures, and clear
 * errors for a bad backend name, a missing photo and a corrupt model file. Timings are printed, not asserted.
 */
import { expect, test, type Page } from '@playwright/test';

interface Candidate {
  name: string;
  verdict: string;
  detail: string;
}
interface EngineReport {
  backend?: { name: string; reason: string; overridden: boolean; candidates: Candidate[] };
  tfBackend?: string;
  load?: {
    files: number;
    bytes: number;
    cachedFiles: number;
    fromCache: boolean;
    seconds: number;
    progressEvents: number;
    lastProgress: { loadedBytes: number; totalBytes: number } | null;
  };
  predictions?: { photo: string; top: { index: number; name: string; probability: number }[] }[];
  forwardMs?: number[];
  pictures?: { filters: [number, number]; featureMaps: [number, number]; tiles: number };
  fineTune?: {
    freezeAt: string;
    trainableParams: number;
    loss: number;
    seconds: number;
    trainedChange: number;
    frozenChange: number;
    leakedTensors: number;
  };
  error?: string;
}

const CAT_CLASSES = [281, 285]; // ImageNet 281 tabby … 285 Egyptian cat
const CAT = 'cat/Egyptian_Mau_10.jpg';

/** Opens the engine page with a query, waits for it to finish, and returns its JSON report. */
async function runEngine(page: Page, query: string, timeout = 150_000): Promise<EngineReport> {
  await page.goto(`/dev/engine/?${query}`);
  await expect(page.locator('#engine')).toHaveAttribute('data-state', /^(done|error)$/, { timeout });
  return JSON.parse((await page.locator('#engine-json').textContent()) ?? '{}') as EngineReport;
}

function note(text: string): void {
  test.info().annotations.push({ type: 'measured', description: text });
  console.log(`  ${test.info().title}: ${text}`);
}

test('chooses the fastest real backend automatically, says why, and caches the model', async ({ page }) => {
  const cold = await runEngine(page, `photos=${CAT}`);
  expect(cold.error).toBeUndefined();
  const choice = cold.backend!;
  expect(cold.tfBackend).toBe(choice.name);
  expect(choice.overridden).toBe(false);
  expect(choice.candidates.map((c) => c.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  expect(choice.candidates.find((c) => c.name === choice.name)?.verdict).toBe('chosen');
  const webgl = choice.candidates.find((c) => c.name === 'webgl')!;
  const webgpu = choice.candidates.find((c) => c.name === 'webgpu')!;
  note(`chose ${choice.name}: ${choice.reason}`);
  if (/swiftshader|llvmpipe/i.test(webgl.detail) && webgpu.verdict !== 'chosen') {
    // No real GPU (this machine: SwiftShader for both): wasm must win, and the reason must name the software renderer.
    expect(choice.name).toBe('wasm');
    expect(webgl.verdict).toBe('software');
    expect(choice.reason).toMatch(/WebGL is software-rendered here \((SwiftShader|llvmpipe)\)/);
    expect(choice.reason).toMatch(/wasm with SIMD/);
    if (webgpu.verdict === 'software') expect(webgpu.detail).toMatch(/^fallback adapter: \w+/);
  }
  // wasm names its thread count: one per physical core when the page is cross-origin isolated (astro preview sends
  // COOP/COEP), half the logical cores and at least one.
  const threads = await page.evaluate(() => Math.max(1, Math.floor(navigator.hardwareConcurrency / 2)));
  await expect(page.locator('#backend-status [data-backend-name]')).toHaveText(
    choice.name === 'wasm' ? `wasm · ${threads} thread${threads === 1 ? '' : 's'}` : choice.name,
  );
  if (choice.name === 'wasm') expect(choice.reason).toMatch(/^· \d+ threads? \(cross-origin isolated/);

  // Cold: every byte from the network, progress up to the full size.
  expect(cold.load).toMatchObject({ files: 56, cachedFiles: 0, fromCache: false });
  expect(cold.load!.lastProgress).toEqual({
    file: expect.any(String),
    loadedBytes: cold.load!.bytes,
    totalBytes: cold.load!.bytes,
  });
  expect(cold.load!.progressEvents).toBeGreaterThanOrEqual(56);
  // Warm: a reload reads the Cache API and downloads nothing.
  const warm = await runEngine(page, `photos=${CAT}`);
  expect(warm.load).toMatchObject({ files: 56, cachedFiles: 56, fromCache: true, bytes: cold.load!.bytes });
  note(
    `model load ${cold.load!.bytes} bytes: cold ${cold.load!.seconds.toFixed(3)} s, from cache ${warm.load!.seconds.toFixed(3)} s`,
  );
});

for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu'] as const) {
  test(`the real model recognises a cat on ${backend}`, async ({ page }) => {
    const report = await runEngine(page, `backend=${backend}&photos=${CAT}&repeat=2`);
    expect(report.error).toBeUndefined();
    expect(report.backend).toMatchObject({ name: backend, overridden: true });
    expect(report.tfBackend).toBe(backend);
    const top = report.predictions![0]!.top;
    expect(top[0]!.index, `${backend} says ${top[0]!.name}`).toBeGreaterThanOrEqual(CAT_CLASSES[0]!);
    expect(top[0]!.index, `${backend} says ${top[0]!.name}`).toBeLessThanOrEqual(CAT_CLASSES[1]!);
    note(
      `forward of 1 photo: first ${report.forwardMs![0]} ms (GPU backends compile shaders here), then ${report.forwardMs![1]} ms; ` +
        `top-1 ${top[0]!.name} ${(top[0]!.probability * 100).toFixed(1)}%; ${report.backend!.reason}`,
    );
  });
}

for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu'] as const) {
  test(`one fine-tuning step of block 13 + a new head trains on ${backend}, frozen layers untouched`, async ({
    page,
  }) => {
    test.setTimeout(240_000); // software WebGPU runs the whole network forward and back in tens of seconds here
    const report = await runEngine(page, `backend=${backend}&photos=${CAT}&train=1`, 230_000);
    expect(report.error).toBeUndefined();
    expect(report.tfBackend).toBe(backend);
    const step = report.fineTune!;
    expect(step.freezeAt).toBe('conv_pw_12_relu');
    expect(Number.isFinite(step.loss), `loss ${step.loss}`).toBe(true);
    expect(step.trainedChange).toBeGreaterThan(0);
    expect(step.frozenChange).toBe(0);
    expect(step.leakedTensors).toBe(0);
    note(
      `one step (3 photos, whole network) + validation: ${step.seconds.toFixed(1)} s, loss ${step.loss.toFixed(3)}, ` +
        `${step.trainableParams} trainable`,
    );
  });
}

test('falls back to the next backend when the chosen one cannot start', async ({ page }) => {
  // The wasm binaries are unreachable (a site deployed without its asset step): wasm fails, the next one takes over.
  await page.route('**/tfjs-wasm/*.wasm', (route) => route.fulfill({ status: 404, body: 'missing' }));
  const report = await runEngine(page, `photos=${CAT}`);
  expect(report.error).toBeUndefined();
  const wasm = report.backend!.candidates.find((c) => c.name === 'wasm')!;
  expect(wasm.verdict).toBe('failed');
  expect(wasm.detail).toMatch(/^its \.wasm binary did not load from \/tfjs-wasm\//);
  expect(report.backend!.reason).toContain('wasm failed (its .wasm binary did not load');
  expect(report.tfBackend).toBe(report.backend!.name);
  expect(report.predictions![0]!.top[0]!.index).toBeGreaterThanOrEqual(CAT_CLASSES[0]!);
  note(`without wasm: ${report.backend!.name}: ${report.backend!.reason}`);
});

test('draws conv1’s filters and the feature maps of conv_pw_13_relu', async ({ page }) => {
  const report = await runEngine(page, `backend=wasm&photos=${CAT}&pictures=1`);
  expect(report.error).toBeUndefined();
  expect(report.pictures).toEqual({ filters: [398, 48], featureMaps: [463, 463], tiles: 256 });
  const colours = await page.locator('#engine-pictures canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    }),
  );
  expect(colours).toHaveLength(2);
  expect(colours[0]).toBeGreaterThan(40);
  expect(colours[1]).toBeGreaterThan(100);
});

test('names what is wrong: a bad backend name, a missing photo, a truncated shard', async ({ page }) => {
  expect((await runEngine(page, 'backend=cuda')).error).toBe(
    '?backend=cuda is not a backend: use one of webgpu, webgl, wasm, cpu (or auto)',
  );
  expect((await runEngine(page, 'backend=wasm&photos=cat/no-such-cat.jpg&cache=0')).error).toBe(
    '/workbook-assets/photos/cat/no-such-cat.jpg: HTTP 404 Not Found',
  );
  await page.route('**/workbook-assets/model/group3-shard1of1', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.body()).subarray(0, 100) });
  });
  expect((await runEngine(page, 'backend=wasm&cache=0')).error).toMatch(
    /^\/workbook-assets\/model\/group3-shard1of1: (has 100 bytes but the weightsManifest needs \d+|download stopped at 100 of \d+ bytes)/,
  );
});
