/**
 * Lesson 7's wb.check.hiddenHead, table-driven on the real MobileNet and photos (as lesson 4's composedModel): the
 * solution's hand-built head (input → frozen base → Dense(128, relu) → Dropout → Dense(3) → softmax) passes; the
 * starter (no hidden layer) fails with a 3-rung ladder naming no width or rate; each near miss a learner makes fails
 * with its own message. Then the solution trains through wb.train like lesson 5's alpaca_model: adopted as one chain,
 * only the head learns, the base stays byte for byte the pre-trained one.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson7 from '../../lessons/07-add-layers/checks';
import { hiddenHead } from '../../lessons/07-add-layers/check-hidden';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { Session } from '../../src/workbook/session';
import { weightBytes } from '../helpers/training';
import { nodePlatform } from '../helpers/workbook-node';

/** How a learner's head can differ from the solution's. */
interface Head {
  hidden?: number | null; // units of the hidden layer; null: none (the starter)
  activation?: 'relu' | 'linear' | 'sigmoid';
  reluLayer?: boolean; // a linear Dense followed by a ReLU layer of its own
  rate?: number | null; // Dropout rate; null: no Dropout
  after?: boolean; // the hidden layer (and Dropout) after the classifier
  freeze?: boolean;
  glorotClassifier?: boolean; // the classifier with tfjs's default (Glorot) start instead of lesson 4's small one
  twoHidden?: boolean;
}

/** The hidden cell's model, as the solution builds it unless `head` says otherwise. */
function build(wb: Workbook, pretrained: tf.LayersModel, head: Head = {}): tf.LayersModel {
  const { hidden = 128, activation = 'relu', rate = 0.5, freeze = true } = head;
  const base = wb.base(pretrained);
  if (freeze) base.trainable = false;
  const inputs = tf.input({ shape: [224, 224, 3] });
  let x = base.apply(inputs) as tf.SymbolicTensor;
  const apply = (layer: tf.layers.Layer) => (x = layer.apply(x) as tf.SymbolicTensor);
  const hiddenLayers = () => {
    if (hidden === null) return;
    const act = head.reluLayer ? 'linear' : activation;
    const init = tf.initializers.glorotUniform({ seed: 1 });
    apply(tf.layers.dense({ units: hidden, activation: act, kernelInitializer: init }));
    if (head.reluLayer) apply(tf.layers.reLU());
    if (head.twoHidden) apply(tf.layers.dense({ units: 32, activation: 'relu' }));
    if (rate !== null) apply(tf.layers.dropout({ rate }));
  };
  if (!head.after) hiddenLayers();
  const small = tf.initializers.randomNormal({ mean: 0, stddev: 0.001, seed: 42 });
  apply(tf.layers.dense({ units: 3, ...(head.glorotClassifier ? {} : { kernelInitializer: small }) }));
  if (head.after) hiddenLayers();
  apply(tf.layers.activation({ activation: 'softmax' }));
  return tf.model({ inputs, outputs: x });
}

let wb: Workbook;
let session: Session;
let pretrained: tf.LayersModel;
beforeAll(async () => {
  const platform = await nodePlatform();
  wb = await createWorkbook(platform, lesson7);
  session = await Session.create(platform);
  pretrained = await wb.loadModel();
}, 120_000);

describe('lesson 7: wb.check.hiddenHead on your hand-built head', () => {
  it('passes the solution, counting its weights and its neutral start', async () => {
    const v = await hiddenHead(session, build(wb, pretrained));
    expect(v.pass, v.message).toBe(true);
    expect(v.message).toMatch(/^Head: Dense\(128, relu\) → Dropout\(0\.5\) → Dense\(3\) → softmax: 128 hidden units/);
    expect(v.message).toContain('33,283 weights to learn (a linear head on the same features has 771)');
    expect(v.message).toMatch(/every probability between 0\.3\d and 0\.3\d/);
    expect((await hiddenHead(session, build(wb, pretrained, { hidden: 48, rate: 0.2, reluLayer: true }))).pass).toBe(
      true,
    );
  });

  it('fails the starter (no hidden layer) with three rungs that name no width and no rate', async () => {
    const v = await hiddenHead(session, build(wb, pretrained, { hidden: null }));
    expect(v.pass).toBe(false);
    expect(v.message).toBe('Your head has one Dense layer, the classifier: no hidden layer yet.');
    expect(v.hints).toHaveLength(3);
    expect(v.hints.join(' ')).not.toMatch(/units: \d|rate: \d|\b128\b|0\.5\b/);
  });

  const MISSES: [string, Head, RegExp][] = [
    [
      'no activation on the hidden layer',
      { activation: 'linear' },
      /no activation: two Dense layers .* one linear map/,
    ],
    ['a sigmoid hidden layer', { activation: 'sigmoid' }, /uses sigmoid; this head, like the course's, uses ReLU/],
    ['the hidden layer after the output', { after: true }, /comes after the 3-way classifier/],
    ['the base left trainable', { freeze: false }, /weights would train: the head’s 33,283 and the base’s too/],
    ['a width of 3', { hidden: 3 }, /A hidden layer of 3 units is a bottleneck/],
    ['a width of 1', { hidden: 1 }, /A hidden layer of 1 unit is a bottleneck/],
    ['a huge hidden layer', { hidden: 2048 }, /2,048 hidden units: .* can memorise/],
    ['no Dropout', { rate: null }, /A hidden layer of 128 units without Dropout/],
    ['Dropout 0', { rate: 0 }, /without Dropout/],
    ['Dropout 0.95', { rate: 0.95 }, /switches off nearly every unit/],
    ['two hidden layers', { twoHidden: true }, /2 hidden Dense layers \(128, 32 units\)/],
    ['a classifier started by Glorot', { glorotClassifier: true }, /already has strong opinions/],
  ];
  it.each(MISSES)('fails %s with its own message and a ladder', async (_, head, message) => {
    const v = await hiddenHead(session, build(wb, pretrained, head));
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(message);
    expect(v.hints).toHaveLength(3);
  });

  it('names a base weight that is not the pre-trained one, and refuses what is not a model', async () => {
    const model = build(wb, pretrained);
    const layer = (model.layers[1] as tf.LayersModel).getLayer('conv_pw_4');
    layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w)));
    expect((await hiddenHead(session, model)).message).toMatch(/conv_pw_4 are not the pre-trained ones/);
    expect((await hiddenHead(session, {} as tf.LayersModel)).message).toMatch(/Pass the model you composed/);
  });

  it('the starter holds no answer: no width, no rate, no hidden Dense or Dropout call', () => {
    const starter = readFileSync('lessons/07-add-layers/cells/hidden.starter.ts', 'utf8');
    for (const answer of [/units:\s*\d/, /rate:/, /'relu'/, /tf\.layers\.dropout\(/, /buildTransferModel/])
      expect(starter).not.toMatch(answer);
  });
});

describe('lesson 7: the hand-built hidden head trains through wb.train', () => {
  it('is read as one chain sharing your layers; only the head learns', async () => {
    const model = build(wb, pretrained);
    const tm = await wb.transferModel(model);
    const cut = tm.model.layers.findIndex((l) => l.name === tm.cutAt);
    expect(tm.model.layers.slice(cut + 1).map((l) => l.getClassName())).toEqual([
      'Dense',
      'Dropout',
      'Dense',
      'Activation',
    ]);
    const hidden = model.layers[2]!;
    expect(tm.model.layers[cut + 1]).toBe(hidden);
    const before = weightBytes([hidden]);
    const run = await wb.train(model, { epochs: 20, learningRate: 0.001, schedule: 'cosine' });
    expect(run.freezeIndex).toBe(cut);
    expect(run.trainableParams).toBe(33_283);
    expect(weightBytes([hidden])).not.toEqual(before);
    expect(weightBytes(pretrained.layers.slice(1, cut + 1))).toEqual(weightBytes(tm.model.layers.slice(1, cut + 1)));
    console.log(`hidden head: valAcc ${run.valAcc} best ${run.bestValAcc} acc ${run.acc}`);
    expect(run.valAcc).toBeGreaterThan(0.8);
  }, 600_000);
});
