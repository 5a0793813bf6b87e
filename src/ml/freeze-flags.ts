/**
 * The learner's `trainable` flags are what training respects. Keras has one rule: `layer.trainable = false` means
 * `fit` leaves that layer's weights alone, and nothing else overrides it. The engine keeps that rule with one
 * restriction of its own: what is frozen must be a *prefix* of the chain (layers 0…k frozen, k+1… trainable). That
 * is what makes the frozen part worth caching: a frozen prefix gives the same activations for a photo every epoch,
 * so it runs once per photo and every step starts from its stored output (activation-cache.ts). A frozen layer
 * *after* a trainable one would still need its input recomputed every step, so nothing could be cached; the engine
 * refuses it with that reason instead of silently training a different set of layers.
 *
 * Who set the flags? `buildTransferModel` (all trainable) and `freezeUpTo` (a run's freeze point) set them too. The
 * engine remembers the flags it set last on each model; while they are unchanged they are the engine's own: a run
 * without `freezeAt` freezes the base (the cut), and one with `freezeAt` may replace them. Once the learner changes a
 * flag, the flags are the learner's: a run without `freezeAt` reads the freeze point from them, and a `freezeAt`
 * that disagrees is refused, never overwritten. (Flags set by hand to exactly the engine's last ones cannot be told
 * from them; a model the learner composed is marked as theirs, so there the question never arises.)
 * Only layers with weights count: `trainable` on a ReLU or a pooling layer changes nothing.
 */
import type * as tf from '@tensorflow/tfjs';
import { layerIndex, type LayerRef } from './layers';

/** Flags that training cannot follow (not a frozen prefix, nothing to train, a frozen new layer) or a contradiction. */
export class FreezeFlagsError extends Error {
  override name = 'FreezeFlagsError';
}

/** The flags the engine set last on each model (one character per layer), forgotten with the model. */
const engineFlags = new WeakMap<tf.LayersModel, string>();

function flagsOf(model: tf.LayersModel): string {
  return model.layers.map((l) => (l.trainable ? '1' : '0')).join('');
}

/** Records the model's current flags as the engine's own (called by whatever in src/ml sets them). */
export function recordEngineFlags(model: tf.LayersModel): void {
  engineFlags.set(model, flagsOf(model));
}

/** Models a learner composed (tf.model), adopted by the engine: their flags are the learner's from the start. */
const learnerModels = new WeakSet<tf.LayersModel>();

/** Marks a model as the learner's own: even its default flags (all trainable) are then what training follows. */
export function markLearnerModel(model: tf.LayersModel): void {
  learnerModels.add(model);
  engineFlags.delete(model);
}

/**
 * Whether the flags were set by the learner: they differ from what the engine set last. A model the engine never
 * set flags on counts as the learner's when it is marked as theirs, or when any flag is off; all flags on in a model
 * nobody marked (a checkpoint just loaded) are tfjs's defaults that no one chose.
 */
export function flagsSetByLearner(model: tf.LayersModel): boolean {
  const recorded = engineFlags.get(model);
  if (recorded !== undefined) return recorded !== flagsOf(model);
  // Only layers with weights count: tfjs's InputLayer is never trainable, and nobody chose that.
  return learnerModels.has(model) || model.layers.some((l) => hasWeights(l) && !l.trainable);
}

function hasWeights(layer: tf.layers.Layer): boolean {
  return layer.weights.length > 0;
}

/** Index of the first layer after `k` that has weights (what a freeze point at `k` trains first); -1 if none. */
function firstWeightedAfter(model: tf.LayersModel, k: number): number {
  return model.layers.findIndex((l, i) => i > k && hasWeights(l));
}

/**
 * The freeze point the flags describe: the index k such that every layer with weights up to k is frozen and every
 * one after it trainable, moved back over weightless layers to at most `cut` (the last kept base layer: the head is
 * new, and a frozen new layer would stay random). Throws a FreezeFlagsError naming the layers when the flags are not
 * such a prefix, or when nothing would train.
 */
export function freezeIndexFromFlags(model: tf.LayersModel, cut: number): number {
  const layers = model.layers;
  const first = layers.findIndex((l) => hasWeights(l) && l.trainable);
  if (first < 0) {
    throw new FreezeFlagsError(
      'Every layer with weights is frozen (trainable = false): training would change nothing. Set trainable = true on the layers that should learn, the new head at least.',
    );
  }
  const late = layers.findIndex((l, i) => i > first && hasWeights(l) && !l.trainable);
  if (late >= 0) {
    throw new FreezeFlagsError(
      `${layers[late]!.name} (layer ${late}) is frozen but comes after ${layers[first]!.name} (layer ${first}), which is trainable. ` +
        'The engine freezes a prefix: layers 0…k frozen, everything after trainable. A frozen prefix gives the same activations every epoch, ' +
        'so it runs once per photo and training starts from its cached output; a frozen layer after a trainable one would have to run every step. ' +
        `Make layers 0…k frozen and all after k trainable for one k, or pass freezeAt.`,
    );
  }
  let k = first - 1;
  while (k > cut && !hasWeights(layers[k]!)) k--;
  if (k > cut) {
    throw new FreezeFlagsError(
      `${layers[k]!.name} (layer ${k}) is part of the new head but frozen: a new layer starts random, and frozen it would stay random. Freeze the pre-trained layers only.`,
    );
  }
  return k;
}

/**
 * The freeze point of a run, decided once: from the learner's flags when `freezeAt` is absent (the cut when the
 * flags are the engine's or nobody's); `freezeAt` itself when the flags are the engine's; `freezeAt` when the learner's flags train exactly the same weights; otherwise a FreezeFlagsError
 * that says what the flags and `freezeAt` each mean. Does not change any flag (freezeUpTo then applies the index).
 */
export function resolveFreezePoint(model: tf.LayersModel, cut: number, freezeAt?: LayerRef): number {
  const learners = flagsSetByLearner(model);
  if (freezeAt === undefined) return learners ? freezeIndexFromFlags(model, cut) : cut;
  const k = layerIndex(model, freezeAt);
  if (!learners) return k;
  const fromFlags = freezeIndexFromFlags(model, cut);
  // Same weights trained either way (they differ only by weightless layers such as ReLU or pooling): no conflict.
  if (firstWeightedAfter(model, k) === firstWeightedAfter(model, fromFlags)) return k;
  const name = (i: number) => `${model.layers[i]!.name} (layer ${i})`;
  throw new FreezeFlagsError(
    `freezeAt says to freeze up to ${name(k)}, but your trainable flags freeze up to ${name(fromFlags)}. ` +
      'Training follows the flags you set and will not overwrite them: drop freezeAt to train as the flags say, ' +
      `or set the flags to match (layer.trainable = i > ${k}).`,
  );
}
