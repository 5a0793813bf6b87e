/**
 * Lesson 5's solutions through `wb` in Node, on the real model and photos, in page order: the learner's own
 * alpaca_model (lesson 4's start: σ = 0.001, seed 42) read by wb.transferModel, the hand-written loop checked against
 * wb.train, the freeze flags checked by what wb.train will do, then wb.train with no freezeAt training exactly the
 * head as the flags say (the base's weights byte for byte the pre-trained ones), a contradicting freezeAt refused, and
 * the validation accuracy sane.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson5 from '../../lessons/05-freeze-and-train/checks';
import { createWorkbook, type Workbook } from '../../src/workbook';
import type { ChecksOf } from '../../src/workbook/checks-registry';
import type { TransferModel } from '../../src/ml/surgery';
import { batchOrder } from '../../src/ml/train';
import { handLoop } from '../helpers/hand-loop';
import { weightBytes } from '../helpers/training';
import { nodePlatform } from '../helpers/workbook-node';

let wb: Workbook;
let pretrained: tf.LayersModel;
/** wb.check as a lesson 5 cell sees it (the cell types add the lesson's checks the same way). */
let check: ChecksOf<typeof lesson5>;

beforeAll(async () => {
  wb = await createWorkbook(await nodePlatform(), lesson5);
  pretrained = await wb.loadModel();
  check = wb.check as unknown as ChecksOf<typeof lesson5>;
}, 120_000);

/** The setup cell: lesson 4's alpaca_model with an L2 penalty, its Dense layer at lesson 4's start. */
async function setup(): Promise<{ alpaca: tf.LayersModel; model: TransferModel; cut: number }> {
  const base = wb.base(pretrained);
  const inputs = tf.input({ shape: [224, 224, 3] });
  let x = base.apply(inputs) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.2, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 3, kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }), name: 'head_logits' });
  x = dense.apply(x) as tf.SymbolicTensor;
  const outputs = tf.layers.activation({ activation: 'softmax', name: 'head_softmax' }).apply(x) as tf.SymbolicTensor;
  const alpaca = tf.model({ inputs, outputs, name: 'alpaca_model' });
  dense.setWeights([tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])]);
  const model = await wb.transferModel(alpaca);
  return { alpaca, model, cut: model.model.layers.findIndex((l) => l.name === model.cutAt) };
}

/** The loop cell's solution; it shuffles with the engine's batchOrder, which the cell reaches as wb.batchOrder. */
const trainHead = handLoop();

describe('lesson 5 through wb, in page order', () => {
  it('the loop, the flags, then wb.train trains the learner’s model as the flags say', async () => {
    const { alpaca, model, cut } = await setup();
    expect(model.model.layers.slice(cut + 1).map((l) => l.name)).toEqual([
      'head_dropout',
      'head_logits',
      'head_softmax',
    ]);
    expect(await wb.transferModel(alpaca)).toBe(model); // read once: the same chain every time
    expect(wb.batchOrder(234, 42, 3)).toEqual(batchOrder(234, 42, 3)); // the cell's shuffle is the helper's
    await check.trainingLoop(trainHead, model); // resolves only when the check passes
    await expect(check.frozenBase(model)).rejects.toThrow(/Every layer is still trainable/); // the starter sets no flag
    model.model.layers.forEach((layer, i) => (layer.trainable = i > cut));
    await check.frozenBase(model);
    // A freezeAt that contradicts the learner's flags is refused, and the flags stay as the learner set them.
    await expect(wb.train(model, { epochs: 1, freezeAt: 'conv_pw_12_relu' })).rejects.toThrow(/trainable flags/);
    expect(model.model.layers.filter((l) => l.trainable).length).toBe(model.model.layers.length - cut - 1);
    const before = weightBytes(pretrained.layers.slice(1, cut + 1));
    const run = await wb.train(model, { epochs: 100, learningRate: 0.01, schedule: 'cosine' });
    expect(run.freezeIndex).toBe(cut);
    expect(run.trainableParams).toBe(771);
    expect(run.history[0]!.loss).toBeGreaterThan(0.5); // from near ln 3: lesson 4's neutral start
    expect(run.valAcc).toBeGreaterThanOrEqual(0.8);
    expect(weightBytes(model.model.layers.slice(1, cut + 1))).toEqual(before); // the base never moved
    await check.validationAccuracy(run, 0.8);
  }, 900_000);
});
