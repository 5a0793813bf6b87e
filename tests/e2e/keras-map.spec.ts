/**
 * The Keras ↔ TensorFlow.js page in a real browser: reached from the site's nav, every Keras idea of the course beside
 * its tfjs twin (in the summary and in code), and the model figures printed at build time equal to what the model
 * tf.loadLayersModel returns in this page reports, along with the two behaviours the page states as measured.
 */
import { expect, test, type Page } from '@playwright/test';

// Each Keras term, its tfjs twin, and a token each side's code must hold (the course's line, the workbook's line).
const MAP = [
  {
    id: 'cut',
    keras: 'include_top=False',
    tfjs: 'global_average_pooling2d_1',
    python: 'include_top=False',
    ts: "getLayer('global_average_pooling2d_1')",
  },
  {
    id: 'preprocess',
    keras: 'preprocess_input',
    tfjs: '127.5',
    python: 'preprocess_input(x)',
    ts: '.div(127.5).sub(1)',
  },
  {
    id: 'decode-predictions',
    keras: 'decode_predictions',
    tfjs: 'tf.topk',
    python: 'decode_predictions(probs, top=3)',
    ts: 'tf.topk(probs, 3)',
  },
  {
    id: 'trainable',
    keras: 'trainable',
    tfjs: 'layer.trainable',
    python: 'base_model.trainable = False',
    ts: 'layer.trainable = false',
  },
  {
    id: 'training-false',
    keras: 'training=False',
    tfjs: 'training: false',
    python: 'training=False',
    ts: '{ training: false }',
  },
  {
    id: 'gap',
    keras: 'GlobalAveragePooling2D',
    tfjs: 'globalAveragePooling2d',
    python: 'GlobalAveragePooling2D()',
    ts: 'tf.layers.globalAveragePooling2d',
  },
  {
    id: 'head',
    keras: 'Dropout(0.2)',
    tfjs: 'tf.layers.dropout',
    python: 'Dense(1)',
    ts: 'tf.model({ inputs: base.inputs, outputs: logits })',
  },
  {
    id: 'initializer',
    keras: 'GlorotUniform(seed=…)',
    tfjs: 'glorotUniform({ seed })',
    python: 'GlorotUniform(seed=12)',
    ts: 'tf.initializers.glorotUniform({ seed: 12 })',
  },
  {
    id: 'hidden',
    keras: "Dense(128, activation='relu')",
    tfjs: "activation: 'relu'",
    python: "Dense(128, activation='relu')",
    ts: "activation: 'relu'",
  },
  {
    id: 'loss',
    keras: 'from_logits=True',
    tfjs: 'softmaxCrossEntropy',
    python: 'from_logits=True',
    ts: 'tf.losses.softmaxCrossEntropy(labels, logits)',
  },
  { id: 'loop', keras: 'model.fit', tfjs: 'optimizer.minimize', python: 'model.fit(', ts: 'optimizer.minimize(' },
  { id: 'tape', keras: 'GradientTape', tfjs: 'tf.variableGrads', python: 'tf.GradientTape()', ts: 'tf.variableGrads(' },
  {
    id: 'fine-tune-at',
    keras: 'fine_tune_at',
    tfjs: 'freezeAt',
    python: 'base_model.layers[:fine_tune_at]',
    ts: 'i >= fineTuneAt',
  },
  {
    id: 'augment',
    keras: 'RandomRotation',
    tfjs: 'rotateWithOffset',
    python: "RandomFlip('horizontal')",
    ts: 'tf.image.flipLeftRight',
  },
  {
    id: 'memory',
    keras: 'Python frees',
    tfjs: 'tf.tidy, dispose, dataSync',
    python: 'model.predict(x)',
    ts: '.dataSync()',
  },
];

async function openFromNav(page: Page) {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: /Keras/ }).click();
  await expect(page).toHaveURL(/\/keras\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Keras ↔ TensorFlow.js');
}

test('the site nav leads to the Keras map, and every Keras idea sits beside its tfjs twin', async ({ page }) => {
  await openFromNav(page);
  const summary = page.getByRole('table', { name: 'Keras and TensorFlow.js' });
  await expect(summary.locator('tbody tr')).toHaveCount(MAP.length);
  for (const m of MAP) {
    const row = summary.locator(`tr[data-map-row="${m.id}"]`);
    await expect(row, m.id).toContainText(m.keras);
    await expect(row, m.id).toContainText(m.tfjs);
    await expect(row.getByRole('link', { name: /^lesson \d$/ }), m.id).toHaveAttribute('href', /\/lessons\/[a-z-]+\/$/);
    const section = page.locator(`section[data-pair="${m.id}"]`);
    await expect(section.locator('h3'), m.id).toContainText(m.keras);
    await expect(section.locator('h3'), m.id).toContainText(m.tfjs);
    const [python, typescript] = await section.locator('figure pre').allTextContents();
    expect(python, `${m.id}: the Keras side`).toContain(m.python);
    expect(typescript, `${m.id}: the tfjs side`).toContain(m.ts);
  }
  // Highlighted at build time: Shiki's spans are in the HTML, before any script runs.
  await expect(page.locator('section[data-pair="cut"] pre.astro-code span[style]').first()).toBeAttached();
  // Every lesson link on the page lands on a lesson.
  const first = page.locator('.kmap-first a').first();
  const href = await first.getAttribute('href');
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
});

test('the model figures built from model.json equal what the loaded model reports in the browser', async ({ page }) => {
  await openFromNav(page);
  const box = page.locator('[data-measure-box]');
  const rows = box.locator('tr[data-figure]');
  const keys = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.figure!));
  expect(keys).toEqual(expect.arrayContaining(['layers', 'params', 'depthwise', 'adds', 'fine-tune-at', 'freeze-at']));
  await expect(box.locator('[data-measured="layers"]')).toHaveText('…'); // nothing measured before the button
  await page.getByRole('button', { name: 'Measure in this browser' }).click();
  await expect(box).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  for (const key of keys) {
    const built = await box.locator(`[data-built="${key}"]`).textContent();
    const measured = await box.locator(`[data-measured="${key}"]`).textContent();
    expect(built, key).toMatch(/^\d[\d,]*$/);
    expect(measured, key).toBe(built);
  }
  // The figures the prose relies on: one chain (no shortcuts), and fine_tune_at one past the freeze point.
  await expect(box.locator('[data-built="adds"]')).toHaveText('0');
  const index = async (key: string) => Number(await box.locator(`[data-built="${key}"]`).textContent());
  expect(await index('fine-tune-at')).toBe((await index('freeze-at')) + 1);

  // tfjs's BatchNorm ignores `trainable`: called with training: true it normalises with the batch (mean 0) and
  // moves its moving mean from 0 towards the batch mean 5 (momentum 0.99: to 0.05).
  await expect(page.locator('[data-measured="bn-output-mean"]').first()).toHaveText(/^-?0\.000$/);
  await expect(page.locator('[data-measured="bn-moving-mean"]').first()).toHaveText('0.050');
  // Scaled to −1…1 the Egyptian Mau is an Egyptian cat; as 0–255 pixels the answer is another.
  const scaled = await page.locator('[data-measured="scaled-top"]').first().textContent();
  const raw = await page.locator('[data-measured="raw-top"]').first().textContent();
  expect(scaled).toMatch(/^Egyptian cat \(class 285, \d+\.\d %\)$/);
  expect(raw).toMatch(/\(class \d+, \d+\.\d %\)$/);
  expect(raw).not.toBe(scaled);
  await expect(page.locator('[data-measured="tensors-left"]').first()).toHaveText('0');
});
