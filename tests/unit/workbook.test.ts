/**
 * The `wb` facade in Node, on the real model and photos: what classify returns, and that every named check of
 * lessons 1–4 passes the reference answer and fails typical wrong answers with the message that helps.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckFailed, report, fail } from '../../src/workbook/checks';
import { mostProbableClass, ourLabels, referenceLabel } from '../../lessons/01-what-the-network-knows/checks';
import { classifierParams, modelSize, softmaxMatches } from '../../lessons/02-inspect-the-layers/checks';
import { earlyAndLate, labelGaps } from '../../lessons/03-early-and-late-layers/checks';
import { cutPoint, headOutputs } from '../../lessons/04-a-new-head/checks';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { channelMeans, rankPhotos } from '../../src/workbook/pictures';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';

let wb: Workbook;
let session: Session;
let model: tf.LayersModel;

beforeAll(async () => {
  const platform = await nodePlatform();
  wb = await createWorkbook(platform);
  session = await Session.create(platform);
  model = await wb.loadModel();
});

describe('wb facade', () => {
  it('loads the model once and classifies real photos with ImageNet names', async () => {
    expect(await wb.loadModel()).toBe(model);
    const [mau, pug] = await wb.classify(model, ['cat/Egyptian_Mau_10.jpg', 'dog/pug_112.jpg'], { top: 3 });
    expect(mau!.top[0]).toMatchObject({ index: 285, name: 'Egyptian cat' });
    expect(mau!.top[0]!.probability).toBeGreaterThan(0.8);
    expect(pug!.top[0]!.name).toMatch(/^pug/);
    expect(mau!.top).toHaveLength(3);
  });

  it('selects photos by file and label, with helpful errors', () => {
    expect(wb.photos.find('cat/Egyptian_Mau_10.jpg').name).toBe('Egyptian Mau');
    expect(() => wb.photos.find('cat/egyptian_mau_10.jpg')).toThrow(/Did you mean "cat\/Egyptian_Mau_10\.jpg"/);
    const dogs = wb.photos.byLabel('dog', 5, 'validation');
    expect(dogs).toHaveLength(5);
    expect(new Set(dogs.map((p) => p.name)).size).toBeGreaterThan(3); // spread over breeds
    expect(dogs.every((p) => p.label === 'dog' && p.split === 'validation')).toBe(true);
    expect(() => wb.photos.byLabel('horse')).toThrow(/labels are cat, dog, other/);
    expect(wb.photos.mixed(2).map((p) => p.label)).toEqual(['cat', 'cat', 'dog', 'dog', 'other', 'other']);
  });

  it('groups the layers into blocks', () => {
    const blocks = wb.layers.blocks(model);
    expect(blocks.map((b) => b.name)).toEqual([
      'stem',
      ...Array.from({ length: 13 }, (_, i) => `block ${i + 1}`),
      'classifier',
    ]);
    expect(blocks.at(-1)!.params).toBe(257_000);
  });

  it('ranks the photos that excite a late channel', async () => {
    const photos = session.photos.select('validation');
    const means = await channelMeans(session, model, 'conv_pw_13_relu', photos);
    expect(means.means).toHaveLength(photos.length);
    expect(means.means[0]).toHaveLength(256);
    // The channel whose mean activation differs most between cat photos and the rest (lesson 3's exercise).
    const mean = (rows: Float32Array[], c: number) => rows.reduce((s, r) => s + r[c]!, 0) / rows.length;
    const cats = means.means.filter((_, i) => photos[i]!.label === 'cat');
    const rest = means.means.filter((_, i) => photos[i]!.label !== 'cat');
    let catChannel = 0;
    for (let c = 1; c < 256; c++)
      if (mean(cats, c) - mean(rest, c) > mean(cats, catChannel) - mean(rest, catChannel)) catChannel = c;
    const top = rankPhotos(means, catChannel, 5, session.photos.labels);
    expect(top.photos[0]!.activation).toBeGreaterThanOrEqual(top.photos[4]!.activation);
    expect(top.labels.cat, `channel ${catChannel}`).toBeGreaterThanOrEqual(2); // 24 of the 78 are cats
    const gaps = labelGaps(means, 'cat');
    expect(gaps.gap.indexOf(Math.max(...gaps.gap))).toBe(catChannel);
    expect(() => rankPhotos(means, 256, 5, session.photos.labels)).toThrow(/channels 0 … 255/);
  });
});

describe('lesson checks', () => {
  it('mostProbableClass: the argmax passes, another class fails naming the right one', () => {
    const probs = tf.tidy(() => model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor);
    const best = probs.argMax(-1).dataSync()[0]!;
    expect(mostProbableClass(session, probs, best).pass).toBe(true);
    const wrong = mostProbableClass(session, probs, best === 0 ? 1 : 0);
    expect(wrong.pass).toBe(false);
    expect(wrong.message).toContain(`class ${best}`);
    expect(mostProbableClass(session, probs, 2.5).message).toMatch(/whole number/);
    probs.dispose();
  });

  it('ourLabels: the reference mapping passes; "always other" and "big cats are cats" fail with the right hint', () => {
    expect(ourLabels(session, referenceLabel).pass).toBe(true);
    const always = ourLabels(session, () => 'other');
    expect(always.message).toMatch(
      /^123 of the 1000 classes get the wrong label; for example class 151 \(“Chihuahua”\)/,
    );
    const bigCats = ourLabels(session, (id) => (id >= 281 && id <= 293 ? 'cat' : referenceLabel(id)));
    expect(bigCats.hints[0]).toMatch(/wild cats/);
  });

  it('modelSize and classifierParams compare with the real counts', () => {
    expect(modelSize(model, { layers: 88, params: 475_544 }).pass).toBe(true);
    expect(modelSize(model, { layers: 0, params: 0 }).message).toMatch(/the model has 88/);
    const denseParams = (features: number, classes: number) => features * classes + classes;
    expect(classifierParams(model, denseParams).message).toMatch(/^257,000 parameters: 54% of the whole model/);
    expect(classifierParams(model, (f, c) => f * c).hints[0]).toMatch(/bias/);
  });

  it('softmax: a stable softmax passes; unnormalised and overflowing ones fail', async () => {
    const stable = (x: tf.Tensor2D) => tf.softmax(x);
    const input = await session.photos.batch(['cat/Egyptian_Mau_10.jpg']);
    expect(softmaxMatches(stable, model, input).message).toMatch(/matches act_softmax/);
    expect(softmaxMatches((x) => tf.exp(x)).message).toMatch(/sums to/);
    const naive = softmaxMatches((x) => tf.div(tf.exp(x), tf.sum(tf.exp(x), -1, true)));
    expect(naive.pass).toBe(false);
    expect(naive.message).toMatch(/Infinity/);
    input.dispose();
  });

  it('earlyAndLate and cutPoint test where a layer is', () => {
    expect(earlyAndLate(model, 'conv1_relu', 'conv_pw_13_relu').pass).toBe(true);
    expect(earlyAndLate(model, 'conv_pw_13_relu', 'conv_pw_13_relu').message).toMatch(/Pick an early layer/);
    expect(cutPoint(model, 'global_average_pooling2d_1').pass).toBe(true);
    expect(cutPoint(model, 'act_softmax').message).toMatch(/keeps the old question/);
    expect(cutPoint(model, 'conv_pw_13_relu').hints[0]).toMatch(/averaged into 256/);
    expect(cutPoint(model, 'reshape_1').hints[1]).toMatch(/GlobalAveragePooling2D/);
  });

  it('headOutputs: the base fails, a fresh Glorot head is too opinionated, zeros are symmetric, small random passes', async () => {
    expect((await headOutputs(session, model)).message).toMatch(/gives 1000 numbers per photo/);
    const transfer = wb.buildTransferModel(model, { seed: 1 });
    expect((await headOutputs(session, transfer.model)).pass).toBe(true);
    // One model type everywhere: a transfer model is read as its network, a promise is refused with what to do.
    expect(wb.layers.describe(transfer)).toEqual(wb.layers.describe(transfer.model));
    expect(() => wb.layers.describe(Promise.resolve(model) as never)).toThrow(
      /wb\.layers\.describe expects a model .*add `await`/,
    );
    expect((await headOutputs(session, transfer.model, { untrained: true })).message).toMatch(/strong opinions/);
    const head = transfer.model.getLayer('head_logits');
    head.setWeights([tf.zeros([256, 3]), tf.zeros([3])]);
    expect((await headOutputs(session, transfer.model, { untrained: true })).message).toMatch(/exact copy/);
    head.setWeights([tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])]);
    const ok = await headOutputs(session, transfer.model, { untrained: true });
    expect(ok.message, ok.message).toMatch(/^3 probabilities per photo/);
  });

  it('report throws CheckFailed with the message and hint when no cell shows the panel', () => {
    expect(() => report(fail('Not 3.', 'Use 3.'))).toThrow(CheckFailed);
    expect(() => report(fail('Not 3.', 'Use 3.'))).toThrow('Not 3. Hint: Use 3.');
  });
});
