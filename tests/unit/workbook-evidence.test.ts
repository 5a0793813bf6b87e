/**
 * The evidence side of `wb` in Node, on the real model and photos: lesson 3's linear-probe check passes a real
 * probe and fails the starter, a probe fixed to 256 features and one that learns nothing useful; lesson 6's
 * BatchNorm-drift check judges snapshots against the model's real statistics; the paired verdict says "inside the
 * noise" when it is; the test-look ledger survives storage and a damaged entry.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairedComparison } from '../../src/ml/stats';
import { evidenceApi, type Probe } from '../../src/workbook/evidence';
import { linearProbeCheck } from '../../lessons/03-early-and-late-layers/checks';
import { batchNormDrift, driftAgainst } from '../../src/workbook/evidence-drift';
import { accuracyText, noiseVerdict } from '../../src/workbook/intervals';
import { Session } from '../../src/workbook/session';
import { loadLedger, TEST_LEDGER_KEY, testSplitApi } from '../../src/workbook/test-split';
import { SecondLookError } from '../../src/ml/test-look';
import { buildTransferModel } from '../../src/ml/surgery';
import { no } from '../helpers/verdicts';
import { nodePlatform } from '../helpers/workbook-node';

let session: Session;
let api: ReturnType<typeof evidenceApi>;

/** Softmax regression by optimizer.minimize: the reference answer of lesson 3's exercise. */
const solution: Probe = async (train, validationX) => {
  const w = tf.variable(tf.zeros([train.x.shape[1], train.y.shape[1]]));
  const b = tf.variable(tf.zeros([train.y.shape[1]]));
  const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 100; step++)
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(train.y, logits(train.x)) as tf.Scalar);
  const p = tf.tidy(() => tf.softmax(logits(validationX)));
  optimizer.dispose();
  tf.dispose([w, b]);
  return p;
};

beforeAll(async () => {
  session = await Session.create(await nodePlatform());
  api = evidenceApi(session);
}, 240_000);

describe('lesson 3: the linear-probe check', () => {
  it('passes a softmax regression, with its accuracy on block 13 and its interval', async () => {
    const result = await linearProbeCheck(api, solution);
    expect(result.message).toMatch(/right on \d+ of 78 validation photos on block 13/);
    expect(result.pass).toBe(true);
  }, 240_000);

  it('fails the starter (1/3 for every photo), a probe fixed to 256 features, and a probe that fits the wrong labels', async () => {
    const starter: Probe = (train, x) => tf.fill([x.shape[0], train.y.shape[1]], 1 / train.y.shape[1]);
    expect(await linearProbeCheck(api, starter)).toMatchObject({
      pass: false,
      message: expect.stringMatching(/same probabilities/),
    });
    const fixed: Probe = async (train, x) => (x.shape[1] === 256 ? solution(train, x) : tf.zeros([x.shape[0], 2]));
    expect(await linearProbeCheck(api, fixed)).toMatchObject({
      pass: false,
      message: expect.stringMatching(/stem's 8 features/),
    });
    // Labels shifted by one class: it learns, confidently, the wrong answer.
    const shifted: Probe = (train, x) =>
      solution(
        { x: train.x, y: tf.concat([train.y.slice([0, 1]), train.y.slice([0, 0], [-1, 1])], 1) as tf.Tensor2D },
        x,
      );
    expect(await linearProbeCheck(api, shifted)).toMatchObject({
      pass: false,
      message: expect.stringMatching(/right on \d+ of 78/),
    });
  }, 240_000);

  it('gives a probe of the wrong rank the shape message and its ladder, on block 13 or on the stem', async () => {
    const SHAPE = [
      'The probe answers for the *validation* photos: one row per photo of validationX, one column per class.',
      'The number of classes is train.y.shape[1]; apply the learned weights to validationX, not to train.x.',
    ];
    const wrong = (shape: string) =>
      no(
        `Your probe returned ${shape} for 78 validation photos; it should be [78, 3]: one probability per class per photo.`,
        SHAPE,
      );
    // One number per photo (the predicted class, say), a class axis of its own, one number, a flat list.
    const flat: Probe = (_, x) => tf.fill([x.shape[0]], 1 / 3);
    const rank3: Probe = (_, x) => tf.fill([x.shape[0], 3, 1], 1 / 3);
    const scalar: Probe = () => tf.scalar(1);
    const list: Probe = (_, x) => Array.from({ length: x.shape[0] }, () => 0.5) as unknown as number[][];
    expect(await linearProbeCheck(api, flat)).toEqual(wrong('[78]'));
    expect(await linearProbeCheck(api, rank3)).toEqual(wrong('[78, 3, 1]'));
    expect(await linearProbeCheck(api, scalar)).toEqual(wrong('[] (a single number)'));
    expect(await linearProbeCheck(api, list)).toEqual(wrong('[78]'));
    // Right on block 13's 256 features, one number per photo on the stem's 8.
    const stemFlat: Probe = async (train, x) =>
      x.shape[1] === 256 ? solution(train, x) : tf.fill([x.shape[0]], 1 / 3);
    expect(await linearProbeCheck(api, stemFlat)).toEqual(
      no("On the stem's 8 features your probe returned [78]: it must take the number of features from train.x.", [
        'Every depth has its own number of features: size W from train.x.shape[1], not a fixed number.',
      ]),
    );
    // The depth curve runs a probe the same way: a wrong rank scores no photo right, it does not crash.
    const point = (await api.score(flat, 'conv_pw_13_relu', 'imagenet')).point;
    expect([point.correct, point.total]).toEqual([0, 78]);
  }, 240_000);

  it('standardises each layer from the training photos, and refuses a layer that is not a block end', async () => {
    const set = await api.probeSet('conv_pw_3_relu');
    expect(set.train.x.shape).toEqual([234, 32]); // block 3 of MobileNet 0.25: 32 channels
    expect(set.validation.x.shape).toEqual([78, 32]);
    const mean = set.train.x.mean(0).abs().max().dataSync()[0]!;
    expect(mean).toBeLessThan(1e-4);
    tf.dispose([set.train.x, set.train.y, set.validation.x, set.validation.y]);
    await expect(api.probeSet('conv_dw_3_relu')).rejects.toThrow(/not a block end/);
  });
});

describe('lesson 6: the BatchNorm-drift check', () => {
  const stats = (m: tf.LayersModel) =>
    m.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .flatMap((l) =>
        l
          .getWeights()
          .slice(2)
          .map((w) => Array.from(w.dataSync())),
      );

  it('passes snapshots of a model whose statistics moved, and fails empty, gamma/beta and stale snapshots', async () => {
    const pretrained = await session.loadModel();
    const moved = await tf.models.modelFromJSON({
      modelTopology: pretrained.toJSON(null, false),
    } as unknown as tf.io.ModelJSON);
    moved.setWeights(pretrained.getWeights());
    const before = stats(moved);
    const bn = moved.getLayer('conv_pw_5_bn');
    const [g, b, mean, variance] = bn.getWeights();
    bn.setWeights([g!, b!, mean!.add(0.5), variance!]);
    const after = stats(moved);
    expect(batchNormDrift(pretrained, moved, before, after)).toMatchObject({
      pass: true,
      message: expect.stringMatching(/largest mean shift is in conv_pw_5_bn/),
    });
    expect(batchNormDrift(pretrained, moved, [], after).message).toMatch(/empty/);
    const gammaBeta = (m: tf.LayersModel) =>
      m.layers
        .filter((l) => l.getClassName() === 'BatchNormalization')
        .flatMap((l) =>
          l
            .getWeights()
            .slice(0, 2)
            .map((w) => Array.from(w.dataSync())),
        );
    expect(batchNormDrift(pretrained, moved, gammaBeta(moved), gammaBeta(moved)).message).toMatch(/gamma and beta/);
    expect(batchNormDrift(pretrained, moved, before, before).message).toMatch(/not what the model holds now/);
    expect(batchNormDrift(pretrained, pretrained, stats(pretrained), stats(pretrained)).message).toMatch(
      /Not one moving statistic changed/,
    );
    expect(driftAgainst(pretrained, moved).find((d) => d.layer === 'conv_pw_5_bn')!.meanShift).toBeGreaterThan(0);
    moved.dispose();
  });
});

describe('intervals and the test-look ledger', () => {
  it('writes an accuracy with its interval, and says when a paired difference is inside the noise', () => {
    expect(accuracyText(68, 78)).toMatch(/^87\.2 % \[\d+\.\d %, \d+\.\d %\] · 68\/78$/);
    const a = Array.from({ length: 78 }, (_, i) => i < 70);
    const b = Array.from({ length: 78 }, (_, i) => i < 68);
    expect(noiseVerdict(pairedComparison(a, b), 'A', 'B', 78)).toMatch(/inside the noise of 78 photos/);
    const c = Array.from({ length: 78 }, (_, i) => i < 40);
    expect(noiseVerdict(pairedComparison(a, c), 'A', 'C', 78)).toMatch(/more than chance explains/);
  });

  it('scores the test photos once; a second look throws, and when acknowledged is marked as one', async () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    const tm = buildTransferModel(await session.loadModel());
    const first = await testSplitApi(session, storage).scoreTest(tm, 'untrained head');
    expect(first).toMatchObject({ look: 1, secondLook: false, total: 78 });
    expect(first.interval.low).toBeLessThanOrEqual(first.interval.estimate);
    // Another page (a new facade) reads the same browser's ledger: still a second look.
    const again = testSplitApi(session, storage);
    await expect(again.scoreTest(tm, 'untrained head')).rejects.toBeInstanceOf(SecondLookError);
    expect(await again.scoreTest(tm, 'untrained head', { acknowledgeSecondLook: true })).toMatchObject({
      look: 2,
      secondLook: true,
    });
    expect(again.looks()).toHaveLength(2);
  }, 120_000);

  it('keeps the looks in storage and starts afresh from a damaged entry', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(loadLedger(storage).looked).toBe(false);
    store.set(TEST_LEDGER_KEY, JSON.stringify([{ model: 'head', at: 1, correct: 62, total: 78 }]));
    expect(loadLedger(storage).looks).toEqual([{ model: 'head', at: 1, correct: 62, total: 78 }]);
    store.set(TEST_LEDGER_KEY, '{not json');
    expect(loadLedger(storage).looked).toBe(false);
  });
});
