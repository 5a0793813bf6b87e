/**
 * The learner's own model as a transfer model. Lesson 4 has the learner compose the course's `alpaca_model` with the
 * functional API: input → the pre-trained base (one nested model, as Keras's `base_model(x, training=False)`) →
 * Dropout → Dense(3) → softmax; lesson 7 has them add a hidden Dense(relu) layer and Dropout before the Dense(3). Any
 * head after the pooled features is adopted as it is. The engine trains and evaluates straight chains of layers
 * (surgery.ts), so adoption unrolls the nested base into the chain, *sharing* the learner's layer objects: training
 * the adopted model trains the learner's model, and nothing is re-initialised.
 *
 * The base the learner receives is `baseCopy(source)`: copies of the pre-trained layers up to the pooled features.
 * Keras's alpaca_model shares the base's layers with `base_model` itself; here the later cells compare the trained
 * model with the untouched pre-trained one (and cache its activations), so the base is a copy that training can
 * never reach.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASS_LABELS } from './dataset';
import { markLearnerModel } from './freeze-flags';
import { assertChain, layerIndex, MOBILENET_LAYERS } from './layers';
import { applyCopies, paramCounts, type TransferModel } from './surgery';

/** Copies of the pre-trained layers from the input up to `cutAt` (default: the 256 pooled features), as one model. */
export function baseCopy(source: tf.LayersModel, cutAt: string = MOBILENET_LAYERS.pooledFeatures): tf.LayersModel {
  const cut = layerIndex(source, cutAt);
  assertChain(source, cut);
  const input = tf.input({ shape: source.inputs[0]!.shape.slice(1) as number[], name: source.layers[0]!.name });
  return tf.model({
    inputs: input,
    outputs: applyCopies(source.layers.slice(1, cut + 1), input),
    name: 'pretrained_base',
  });
}

/** `model`'s layers with every nested model replaced by its own layers (input layers dropped), in order. */
function unrolled(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((layer, i) => {
    if (layer instanceof tf.LayersModel) {
      // tfjs's base.trainable = false (Keras's base_model.trainable = False) hides the nested layers' weights from
      // training without touching their own flags: make those flags say what tfjs would do.
      if (!layer.trainable) layer.layers.forEach((l) => (l.trainable = false));
      return unrolled(layer).slice(1);
    }
    return i === 0 || layer.getClassName() !== 'InputLayer' ? [layer] : [];
  });
}

/**
 * Wraps the learner's composed model as a transfer model of `source`: one chain from the input, the base's layers
 * up to the cut (found by the pooled layer's name), then the learner's head. The chain shares the learner's layer
 * objects. Throws a clear error for a model that is not one chain from a 224×224×3 input, or has no cut layer.
 * `modifiedFrom` is the first base layer whose weights differ from `source` (the check says which).
 */
export function adoptTransferModel(
  model: tf.LayersModel,
  source: tf.LayersModel,
  labels: readonly string[] = CLASS_LABELS,
): TransferModel {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new Error(
      `the model must have one input and one output, not ${model.inputs.length} and ${model.outputs.length}`,
    );
  const layers = unrolled(model);
  const input = tf.input({ shape: model.inputs[0]!.shape.slice(1) as number[], name: source.layers[0]!.name });
  let h = input;
  for (const layer of layers.slice(1)) h = layer.apply(h) as tf.SymbolicTensor;
  const chain = tf.model({ inputs: input, outputs: h, name: 'transfer_model' });
  // A chain by construction: each layer applied once, in order (shared layers have two inbound nodes, so the
  // node-based assertChain cannot judge it).
  const cutAt = MOBILENET_LAYERS.pooledFeatures;
  const cut = chain.layers.findIndex((l) => l.name === cutAt || l.name.startsWith(`${cutAt}_`));
  if (cut < 0)
    throw new Error(
      `the model has no ${cutAt}: put the head on the base's pooled features (apply the base to the input first)`,
    );
  let modifiedFrom = chain.layers.length;
  for (let i = 1; i <= cut; i++) {
    // getWeights() hands out the variables' own tensors: compare them, never dispose them.
    const mine = chain.layers[i]!.getWeights();
    const theirs = source.layers[i]?.getWeights() ?? [];
    const same =
      mine.length === theirs.length &&
      mine.every(
        (w, j) =>
          w.shape.join() === theirs[j]!.shape.join() &&
          tf.tidy(() => w.sub(theirs[j]!).abs().max().dataSync()[0]!) === 0,
      );
    if (!same) {
      modifiedFrom = i;
      break;
    }
  }
  markLearnerModel(chain);
  return { model: chain, source, cutAt: chain.layers[cut]!.name, labels, head: { seed: 0 }, modifiedFrom };
}

/** One layer of the head, in order: what lesson 7's check reads to judge where the hidden layer sits. */
export interface HeadLayerFact {
  /** tfjs's class name: Dense, Dropout, Activation, ReLU, … */
  className: string;
  /** Dense: its units; Dropout: its rate; Activation: its function ('linear' for a Dense layer without one). */
  units?: number;
  rate?: number;
  activation?: string;
}

/**
 * What a composed model is, by meaning: lesson 4's and lesson 7's checks read these facts and say what is wrong, if
 * anything.
 */
export interface ComposedModelFacts {
  /** The model's output shape, e.g. [null, 3]. */
  outputShape: (number | null)[];
  /** Why the engine cannot adopt it (no pooled layer, not one chain), or null. */
  adoptError: string | null;
  /** Pre-trained layers found after the pooled features (the base reaches into ImageNet's classifier). */
  pastTheCut: string[];
  /** Dense layers of the head (after the pooled features): name, inputs, units, activation. */
  dense: { name: string; inputs: number; units: number; activation: string }[];
  /** Dropout rates of the head. */
  dropout: number[];
  /** Every layer of the head (after the pooled features), in order. */
  head: HeadLayerFact[];
  /** Whether the last layer is a separate softmax (the Dense before it gives logits). */
  endsInSoftmax: boolean;
  /** Weights training would change, and weights it would keep, by the flags as the engine reads them. */
  trainable: number;
  frozen: number;
  /** Weights of the head's layers (what should be trainable). */
  headWeights: number;
  /** The first base layer whose weights differ from the pre-trained ones, or null when all are the pre-trained ones. */
  notPretrained: string | null;
}

/** Inspects a composed model against the pre-trained `source`; never throws for a model, only reports. */
export function composedModelFacts(model: tf.LayersModel, source: tf.LayersModel): ComposedModelFacts {
  const outputShape = [...(model.outputs[0]?.shape ?? [])];
  const facts: ComposedModelFacts = {
    outputShape,
    adoptError: null,
    pastTheCut: [],
    dense: [],
    dropout: [],
    head: [],
    endsInSoftmax: false,
    trainable: 0,
    frozen: 0,
    headWeights: 0,
    notPretrained: null,
  };
  let tm: TransferModel;
  try {
    tm = adoptTransferModel(model, source);
  } catch (e) {
    facts.adoptError = e instanceof Error ? e.message : String(e);
    return facts;
  }
  const cut = tm.model.layers.findIndex((l) => l.name === tm.cutAt);
  const sourceNames = new Set(source.layers.slice(cut + 1).map((l) => l.name));
  const head = tm.model.layers.slice(cut + 1);
  facts.pastTheCut = head.filter((l) => sourceNames.has(l.name)).map((l) => l.name);
  for (const layer of head) {
    const config = layer.getConfig() as { units?: number; activation?: string; rate?: number };
    if (layer.getClassName() === 'Dense') {
      const inputs = (layer.getWeights()[0]?.shape[0] as number | undefined) ?? 0;
      facts.dense.push({
        name: layer.name,
        inputs,
        units: config.units ?? 0,
        activation: config.activation ?? 'linear',
      });
    }
    if (layer.getClassName() === 'Dropout') facts.dropout.push(config.rate ?? 0);
    facts.head.push({
      className: layer.getClassName(),
      ...(config.units !== undefined && { units: config.units }),
      ...(config.rate !== undefined && { rate: config.rate }),
      ...(config.activation !== undefined && { activation: config.activation }),
    });
  }
  const last = head.at(-1);
  facts.endsInSoftmax =
    last?.getClassName() === 'Activation' && (last.getConfig() as { activation?: string }).activation === 'softmax';
  const counts = paramCounts(tm.model);
  facts.trainable = counts.trainable + counts.movingStats;
  facts.frozen = counts.frozen;
  facts.headWeights = head.reduce((n, l) => n + l.countParams(), 0);
  facts.notPretrained = tm.modifiedFrom <= cut ? tm.model.layers[tm.modifiedFrom]!.name : null;
  return facts;
}
