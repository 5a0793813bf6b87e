/**
 * Lesson 5's freeze exercise, judged by meaning: the learner finds where MobileNet ends in their own model and sets
 * every layer's `trainable` flag from it. The verdict reads the flags layer by layer against the boundary (the cut:
 * the pooling layer that gives the 256 features), so an answer is right only when the base is frozen up to and
 * including that layer and every layer of the head after it is trainable. Each way of missing it has its own message
 * and its own ladder: nothing frozen (the starter), everything frozen, the boundary one layer early or late (the
 * off-by-one between Keras's `fine_tune_at`, the first trainable index, and the last frozen one), a boundary further
 * off, holes in the base, a frozen layer in the head. The pass then asks the engine (resolveFreezePoint) what
 * wb.train will do with these flags, so what the check approves is what training respects.
 */
import type * as tf from '@tensorflow/tfjs';
import { FreezeFlagsError, resolveFreezePoint } from '../../src/ml/freeze-flags';
import { MOBILENET_LAYERS } from '../../src/ml/layers';
import { isTransferModel, layerIndex, paramCounts, type AnyModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { count, listed, what } from '../../src/workbook/checks-helpers';

/** The ladders of the freeze exercise, one per mistake: the idea, which API, almost the line (fixed text). */
export const FREEZE_LADDERS = {
  notAModel: [
    'The check reads the trainable flags of the model the first cell made.',
    '`model` is what wb.transferModel returned; its layers are model.model.layers.',
    'Pass that model itself to wb.check.frozenBase, as the cell’s last lines do.',
  ],
  nothingFrozen: [
    'Freezing the base means: every layer MobileNet brought, up to and including the pooling layer that gives the 256 features, keeps its weights; every layer after it (your head) learns. First find that boundary in the model itself, then set the flags from it.',
    'model.model.layers is the chain in order; findIndex with layer.getClassName() finds a layer by what it is (lesson 4 looked for this one). layer.trainable is the flag wb.train reads.',
    'Find the index of the GlobalAveragePooling2D layer; then, in a forEach over the layers with their index, set each flag from comparing the index with it: false up to and including it, true after.',
  ],
  allFrozen: [
    'Your head is new: it starts random, and only training changes it. Frozen, it would stay random, and wb.train refuses flags that leave nothing to train.',
    'layer.trainable = true is what lets a layer learn; only the layers up to the boundary get false.',
    'Your comparison gives false for every index: the layers whose index is greater than the pooling layer’s must get true.',
  ],
  oneEarly: [
    'Off by one, early: the boundary layer itself (the pooling layer) is MobileNet’s last layer, so it is frozen with the rest of the base.',
    'Keras’s fine_tune_at is the first TRAINABLE index; here the boundary you found is the last FROZEN one. Look at what your comparison gives for the boundary’s own index.',
    'The boundary’s own index must give trainable = false: trainable means strictly greater than the boundary, not greater or equal.',
  ],
  oneLate: [
    'Off by one, late: the layer right after the boundary is the first layer of your head, new, not MobileNet’s; it must be trainable.',
    'wb.train starts training right after the last frozen layer. Look at what your comparison gives for the boundary’s index + 1.',
    'Only the boundary’s index and those below it get false; the boundary’s index + 1 already gets true.',
  ],
  tooEarly: [
    'The boundary is too early: the last layers of MobileNet would train, and the weights ImageNet taught them would move.',
    'The boundary is the pooling layer MobileNet ends with; find it by its class, layer.getClassName(), rather than by counting.',
    'Compare each index with the index findIndex gives for the GlobalAveragePooling2D layer: false up to and including it.',
  ],
  headFrozen: [
    'A layer of your head is frozen: a new layer starts random, and frozen it would stay random (wb.train refuses it).',
    'Every layer after the pooling layer is your head, and layer.trainable must be true for all of them.',
    'Give true to every index greater than the pooling layer’s index, false only to it and those before it.',
  ],
  inverted: [
    'The flags are the wrong way round: the base is what keeps its weights, the new head is what learns.',
    'layer.trainable = false keeps a layer’s weights; true lets training change them.',
    'Swap your comparison: false up to and including the pooling layer’s index, true after it.',
  ],
  baseHoles: [
    'Some layers inside the base are still trainable: their ImageNet weights would move, and a base with holes cannot be frozen once and cached.',
    'Every layer whose index is at most the boundary’s needs trainable = false: set one flag per layer, in one loop over all of them.',
    'Loop over model.model.layers with forEach((layer, i) => …) and set every flag from the comparison of i with the boundary, none left out.',
  ],
} as const satisfies Record<string, readonly [string, string, string]>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The weights held by some layers of a model. */
const weightsOf = (layers: readonly tf.layers.Layer[]) => layers.reduce((s, l) => s + l.countParams(), 0);

/**
 * Returns whether the flags of `model` freeze exactly the pre-trained base (layers 0…cut, cut = the pooling layer)
 * and leave every later layer trainable; the input layer, which tfjs never trains, is not judged.
 */
export function frozenBase(model: AnyModel): CheckResult {
  const m = isTransferModel(model) ? model.model : model;
  if (!m || !Array.isArray((m as tf.LayersModel).layers))
    return fail(`Pass the model from the first cell; got ${what(model)}.`, [...FREEZE_LADDERS.notAModel]);
  const layers = (m as tf.LayersModel).layers;
  const cut = layerIndex(m, isTransferModel(model) ? model.cutAt : MOBILENET_LAYERS.pooledFeatures);
  const judged = layers.map((layer, i) => ({ layer, i })).filter(({ layer }) => layer.getClassName() !== 'InputLayer');
  const frozen = judged.filter(({ layer }) => !layer.trainable);
  const trainableBase = judged.filter(({ layer, i }) => i <= cut && layer.trainable).map(({ layer }) => layer);
  const frozenHead = judged.filter(({ layer, i }) => i > cut && !layer.trainable).map(({ layer }) => layer);
  const name = (i: number) => `${layers[i]!.name} (layer ${i})`;
  const total = count(m.countParams());

  if (frozen.length === 0)
    return fail(
      `Every layer is still trainable: training would change all ${total} weights, the ones ImageNet taught included.`,
      [...FREEZE_LADDERS.nothingFrozen],
    );
  if (frozen.length === judged.length)
    return fail('Every layer is frozen, your new head too: nothing would learn.', [...FREEZE_LADDERS.allFrozen]);

  const base = judged.filter(({ i }) => i <= cut).length;
  if (trainableBase.length === base && frozenHead.length === judged.length - base)
    return fail(
      `The flags are the wrong way round: the ${plural(base, 'layer')} of the base are trainable and the ${plural(frozenHead.length, 'layer')} of your head frozen.`,
      [...FREEZE_LADDERS.inverted],
    );

  // Flags that freeze a prefix (everything up to k frozen, everything after trainable): where k is off, say by how much.
  const k = frozen.at(-1)!.i;
  const isPrefix = frozen.length === judged.filter(({ i }) => i <= k).length;
  if (isPrefix && k === cut - 1)
    return fail(
      `Off by one: you froze up to ${name(k)}, one layer before the boundary ${name(cut)}, which stays trainable.`,
      [...FREEZE_LADDERS.oneEarly],
    );
  if (isPrefix && k === cut + 1)
    return fail(
      `Off by one: you froze up to ${name(k)}, one layer past the boundary ${name(cut)}: the first layer of your head is frozen.`,
      [...FREEZE_LADDERS.oneLate],
    );
  if (isPrefix && k < cut)
    return fail(
      `You froze up to ${name(k)}, ${plural(cut - k, 'layer')} before the boundary ${name(cut)}: ` +
        `${plural(trainableBase.length, 'layer')} of MobileNet would train (${listed(trainableBase.map((l) => l.name))}), ` +
        `${count(weightsOf(trainableBase))} pre-trained weights.`,
      [...FREEZE_LADDERS.tooEarly],
    );
  if (frozenHead.length && !trainableBase.length)
    return fail(
      `${plural(frozenHead.length, 'layer')} of your head ${frozenHead.length === 1 ? 'is' : 'are'} frozen: ${listed(frozenHead.map((l) => l.name))}. ` +
        `The head starts after ${name(cut)}.`,
      [...FREEZE_LADDERS.headFrozen],
    );
  if (trainableBase.length)
    return fail(
      `${plural(trainableBase.length, 'layer')} of the base ${trainableBase.length === 1 ? 'is' : 'are'} still trainable: ` +
        `${listed(trainableBase.map((l) => l.name))} (${count(weightsOf(trainableBase))} pre-trained weights would move)` +
        (frozenHead.length
          ? `, and ${plural(frozenHead.length, 'layer')} of your head frozen: ${listed(frozenHead.map((l) => l.name))}.`
          : '.'),
      [...FREEZE_LADDERS.baseHoles],
    );

  // The flags are exactly right; the engine reads them the same way (its own rule, not this file's).
  let at: number;
  try {
    at = resolveFreezePoint(m, cut);
  } catch (e) {
    if (!(e instanceof FreezeFlagsError)) throw e;
    return fail(`wb.train would refuse these flags: ${e.message}`, [...FREEZE_LADDERS.baseHoles]);
  }
  const counts = paramCounts(m);
  return pass(
    `wb.train will read these flags as: freeze layers 0–${at} (up to ${layers[at]!.name}), ${count(counts.frozen)} weights kept as ImageNet trained them, ` +
      `and train the ${layers.length - at - 1} layers after it: ${count(counts.trainable)} weights.`,
  );
}
