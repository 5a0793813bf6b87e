/**
 * Lessons 4 and 5's checks of what the learner writes, each tried three ways (exercise rule 5): on the starter (it
 * fails, with a ladder of hints), on a plausible wrong answer (it fails with that mistake's own message), and on the
 * solution (it passes). On the real MobileNet and the real photos; the session is the page's, reduced to what these
 * checks read (the loaded model and the photo set). Also: no starter holds its answer.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { composedModel } from '../../lessons/04-a-new-head/check-model';
import { frozenBase } from '../../lessons/05-freeze-and-train/check-freeze';
import { recallFunction, trainingLoop } from '../../lessons/05-freeze-and-train/check-learner';
import { adoptTransferModel, baseCopy } from '../../src/ml/adopt';
import type { PhotoSet } from '../../src/ml/dataset';
import type { HandLoop } from '../../src/ml/hand-loop';
import type { Session } from '../../src/workbook/session';
import { accuracyOf } from '../../src/workbook/intervals';
import { handLoop } from '../helpers/hand-loop';
import { loadRealModel, realPhotoSet } from '../helpers/training';

/** The lesson's alpaca_model: optionally without freezing the base, or with `units` outputs. */
function alpaca(source: tf.LayersModel, options: { freeze?: boolean; units?: number } = {}): tf.LayersModel {
  const base = baseCopy(source);
  if (options.freeze ?? true) base.trainable = false;
  const inputs = tf.input({ shape: [224, 224, 3] });
  let x = base.apply(inputs) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: options.units ?? 3 }).apply(x) as tf.SymbolicTensor;
  const outputs = tf.layers.activation({ activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs });
}

describe("lessons 4 and 5: the checks of the learner's model, loop, flags and recall", () => {
  let source: tf.LayersModel;
  let photos: PhotoSet;
  let session: Session;
  beforeAll(async () => {
    source = await loadRealModel();
    photos = realPhotoSet();
    session = { loadModel: async () => source, photos } as unknown as Session;
  }, 600_000);

  it('composedModel: the starter (base only) fails with three rungs, an unfrozen base or a 1000-way head with their own', async () => {
    const inputs = tf.input({ shape: [224, 224, 3] });
    const starter = tf.model({ inputs, outputs: baseCopy(source).apply(inputs) as tf.SymbolicTensor });
    const first = await composedModel(session, starter);
    expect(first.pass).toBe(false);
    expect(first.message).toMatch(/ends at the pooled features/);
    expect(first.hints).toHaveLength(3);
    const unfrozen = await composedModel(session, alpaca(source, { freeze: false }));
    expect(unfrozen.pass).toBe(false);
    expect(unfrozen.message).toMatch(/weights would train/);
    expect(unfrozen.hints.join(' ')).toMatch(/trainable/);
    const wide = await composedModel(session, alpaca(source, { units: 1000 }));
    expect(wide.message).toMatch(/1000 classes/);
    const solution = await composedModel(session, alpaca(source));
    expect(solution.pass, solution.message).toBe(true);
    expect(solution.message).toMatch(/771 trainable weights, all in the head/);
  });

  it('composedModel: a base whose weights are not the pre-trained ones is named', async () => {
    const model = alpaca(source);
    const conv = model.layers[1]! as tf.LayersModel;
    const layer = conv.getLayer('conv_pw_3');
    layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w)));
    const verdict = await composedModel(session, model);
    expect(verdict.pass).toBe(false);
    expect(verdict.message).toMatch(/conv_pw_3 are not the pre-trained ones/);
  });

  it('frozenBase: judged by the flags against the boundary, and by what wb.train will do with them', () => {
    const tm = adoptTransferModel(alpaca(source, { freeze: false }), source);
    const cut = tm.model.layers.findIndex((l) => l.name === tm.cutAt);
    const starter = frozenBase(tm); // every layer trainable
    expect(starter.pass).toBe(false);
    expect(starter.message).toMatch(/Every layer is still trainable/);
    expect(starter.hints).toHaveLength(3);
    tm.model.layers.forEach((l, i) => (l.trainable = i > 40 && i !== cut + 2)); // base holes and a frozen head layer
    expect(frozenBase(tm).message).toMatch(/of the base are still trainable.*and 1 layer of your head frozen: \w+\./);
    tm.model.layers.forEach((l, i) => (l.trainable = i > cut));
    const solution = frozenBase(tm);
    expect(solution.pass, solution.message).toBe(true);
    expect(solution.message).toMatch(/train the 3 layers after it: 771 weights/);
  });

  it('recallFunction: the starter, a precision and a recall', () => {
    const ev = {
      confusion: [
        [21, 1, 2],
        [3, 21, 1],
        [2, 1, 26],
      ],
    };
    const starter = recallFunction(() => 0, ev);
    expect(starter.pass).toBe(false);
    expect(starter.hints).toHaveLength(3);
    const precision = recallFunction((m, i) => m[i]![i]! / m.reduce((s, r) => s + r[i]!, 0), ev);
    expect(precision.message).toMatch(/gives the precision/);
    const recall = recallFunction((m, i) => m[i]![i]! / m[i]!.reduce((a, b) => a + b, 0), ev);
    expect(recall.pass, recall.message).toBe(true);
  });

  it('trainingLoop: the starter, a softmax applied twice, and the loop the lesson teaches', async () => {
    const model = adoptTransferModel(alpaca(source), source);
    const dense = model.model.layers.find((l) => l.getClassName() === 'Dense')!;
    dense.setWeights([tf.randomNormal([256, 3], 0, 0.001, 'float32', 42), tf.zeros([3])]);
    const starter: HandLoop = (_head, _data, s) =>
      Array.from({ length: s.epochs }, (_, epoch) => ({ epoch, loss: 0, valAcc: NaN }));
    const first = await trainingLoop(session, starter, model);
    expect(first.message).toMatch(/no optimiser step was taken/);
    expect(first.hints).toHaveLength(3);
    for (const rung of first.hints) expect(rung.length).toBeGreaterThan(20);
    const twice = await trainingLoop(session, handLoop('softmax-twice'), model);
    expect(twice.message).toMatch(
      /^Your loss never goes below \d\.\d{3}, while wb\.train’s reaches \d\.\d{3}\. A floor near 0\.55 is the mark of a softmax applied twice/,
    );
    expect(twice.hints).toHaveLength(3);
    for (const rung of twice.hints) expect(rung.length).toBeGreaterThan(20);
    expect(twice.hints[0]).toMatch(/^tf\.losses\.softmaxCrossEntropy applies the softmax itself/);
    // The pass reports the learner's own last epoch: the history their loop returned.
    let history: readonly { loss: number; valAcc: number }[] = [];
    const watched: HandLoop = async (head, data, s) => (history = await handLoop()(head, data, s));
    const solution = await trainingLoop(session, watched, model);
    expect(solution.pass, solution.message).toBe(true);
    expect(solution.message).toMatch(/^Your loop follows wb.train for all 20 epochs: losses within \d\.\d{4}, /);
    const last = history.at(-1)!;
    expect(solution.message).toContain(
      `Last epoch: loss ${last.loss.toFixed(3)}, validation ${accuracyOf(last.valAcc, 78)} (wb.train: `,
    );
  }, 600_000);

  it('trainingLoop: a loop that returns no history, or too few epochs, is named before any comparison', async () => {
    const model = adoptTransferModel(alpaca(source), source);
    const nothing = await trainingLoop(session, (async () => undefined) as never, model);
    expect(nothing).toMatchObject({
      pass: false,
      message: 'trainHead returned nothing, not a list with one { epoch, loss, valAcc } per epoch.',
    });
    expect(nothing.hints[0]).toBe('The loop keeps a history: after each epoch, push what it measured.');
    const text = await trainingLoop(session, (async () => 'done') as never, model);
    expect(text.message).toBe('trainHead returned string, not a list with one { epoch, loss, valAcc } per epoch.');
    const two: HandLoop = (head, data, s) => handLoop()(head, data, { ...s, epochs: 2 });
    const short = await trainingLoop(session, two, model);
    expect(short).toMatchObject({
      pass: false,
      message: 'trainHead reported 2 epochs; the check asked for settings.epochs = 20.',
    });
    expect(short.hints[0]).toBe('One entry per epoch, as many epochs as the settings ask for.');
    for (const verdict of [nothing, text, short]) {
      expect(verdict.hints).toHaveLength(3);
      for (const rung of verdict.hints) expect(rung.length).toBeGreaterThan(20);
    }
    // A head nested in a model of its own is found too: the check reaches the loop (which returns nothing).
    const inputs = tf.input({ shape: [256] });
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [256], units: 3 })] });
    const nested = tf.model({ inputs, outputs: head.apply(inputs) as tf.SymbolicTensor });
    expect((await trainingLoop(session, (async () => undefined) as never, nested)).message).toMatch(
      /^trainHead returned nothing/,
    );
    // The start the check copied for the loop is freed again.
    const before = tf.memory().numTensors;
    await trainingLoop(session, (async () => undefined) as never, model);
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);

  it('trainingLoop: a loop that steps but reports no loss, or no validation accuracy, names the epoch', async () => {
    const model = adoptTransferModel(alpaca(source), source);
    const noLoss: HandLoop = async (head, data, s) =>
      (await handLoop()(head, data, s)).map((e, i) => (i === 2 ? { ...e, loss: undefined as never } : e));
    const lost = await trainingLoop(session, noLoss, model);
    expect(lost).toMatchObject({ pass: false, message: 'Epoch 3 reports no loss (a number ≥ 0): the curve needs it.' });
    expect(lost.hints[0]).toBe('The epoch’s loss is the mean cross-entropy over its training photos.');
    for (const rung of lost.hints) expect(rung.length).toBeGreaterThan(20);
    const noVal = await trainingLoop(session, handLoop('no-validation'), model);
    expect(noVal).toMatchObject({
      pass: false,
      message: 'Epoch 1 has no validation accuracy (a share between 0 and 1).',
    });
    expect(noVal.hints[0]).toMatch(/^After each epoch, measure the head on the validation photos/);
    for (const rung of noVal.hints) expect(rung.length).toBeGreaterThan(20);
  }, 600_000);

  it('trainingLoop: a loop at another learning rate is apart from wb.train, at the first epoch where it shows', async () => {
    const model = adoptTransferModel(alpaca(source), source);
    const fast: HandLoop = (head, data, s) => handLoop()(head, data, { ...s, learningRate: s.learningRate * 10 });
    const apart = await trainingLoop(session, fast, model);
    expect(apart.pass).toBe(false);
    expect(apart.message).toMatch(
      /^At epoch \d+ your loop gives loss \d+\.\d{3} and validation accuracy [\d.]+ % \[[\d.]+ %, [\d.]+ %\] · \d+\/78; wb\.train from the same start gives \d+\.\d{3} and [\d.]+ % .*\d+\/78\. The check allows [\d.]+ in loss and \d+ validation photos\.$/,
    );
    expect(apart.hints[0]).toBe(
      'Same start, same batches, same optimiser and rate give the same curve: something differs from wb.train.',
    );
    expect(apart.hints).toHaveLength(3);
    for (const rung of apart.hints) expect(rung.length).toBeGreaterThan(20);
  }, 600_000);

  it('no starter of lessons 4 and 5 holds its answer', () => {
    const starter = (path: string) => readFileSync(`lessons/${path}`, 'utf8');
    expect(starter('04-a-new-head/cells/cut.starter.ts')).not.toMatch(/GlobalAveragePooling2D|global_average/);
    const build = starter('04-a-new-head/cells/build.starter.ts');
    for (const answer of [
      /trainable\s*=\s*false/,
      /rate:\s*0\.2/,
      /units:/,
      /tf\.layers\.(dense|dropout|activation)\(/,
    ])
      expect(build).not.toMatch(answer);
    expect(starter('04-a-new-head/cells/reinit.starter.ts')).not.toMatch(/0\.001|randomNormal\(/);
    const loop = starter('05-freeze-and-train/cells/loop.starter.ts');
    for (const answer of [/minimize\(/, /softmaxCrossEntropy/, /gather\(/, /argMax/]) expect(loop).not.toMatch(answer);
    const freeze = starter('05-freeze-and-train/cells/freeze.starter.ts');
    for (const answer of [
      /\bcut\b/,
      /GlobalAveragePooling2D|global_average/,
      /getClassName|findIndex/,
      /layer\.trainable\s*=/,
    ])
      expect(freeze).not.toMatch(answer);
    expect(starter('05-freeze-and-train/cells/recall.starter.ts')).not.toMatch(/reduce|\[i\]\s*\//);
  });
});
