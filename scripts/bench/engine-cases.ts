/**
 * The engine's own ways of running MobileNet, as the native baseline times them: the BN-folded prefix
 * (src/ml/fold.ts) and one training step per freeze point, built from the same pieces the engine's train loop
 * uses (buildTransferModel, freezeUpTo, runChain inside optimizer.minimize; src/ml/surgery.ts, frozen.ts).
 * Each piece is imported only when asked for, so a piece that has not landed yet gives a "pending" answer
 * instead of breaking the benchmark.
 */
import * as tf from '@tensorflow/tfjs';
import { timed } from './photos';

/** A measure that cannot be taken yet (the engine piece is missing) or cannot run here (n/a), and why. */
export interface NotMeasured {
  pending?: string;
  na?: string;
}

type Measured = { times?: number[]; detail?: string } & NotMeasured;

/** The layer whose output is the 256-d feature vector a frozen base hands to a new head. */
const FEATURES_LAYER = 'global_average_pooling2d_1';

/** Imports an engine module, or says which one is missing. */
async function engine<T>(load: () => Promise<T>, file: string): Promise<T | { pending: string }> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      /Cannot find module|Failed to resolve|does not provide an export/.test(String(error))
    ) {
      return { pending: `${file} has not landed (${String((error as Error).message).split('\n')[0]})` };
    }
    throw error;
  }
}

const folded = new Map<tf.LayersModel, { predict(x: tf.Tensor4D): tf.Tensor; dispose(): void }>();

/** Forward through the engine's variant `variant` ('folded': foldPrefix up to the features): seconds per rep. */
export async function engineForward(
  variant: string,
  model: tf.LayersModel,
  x: tf.Tensor4D,
  reps: number,
): Promise<Measured> {
  if (variant !== 'folded') throw new Error(`unknown forward variant ${variant}`);
  const fold = await engine(() => import('../../src/ml/fold'), 'src/ml/fold.ts');
  if ('pending' in fold) return fold;
  let prefix = folded.get(model);
  if (!prefix) folded.set(model, (prefix = fold.foldPrefix(model, FEATURES_LAYER)));
  const p = prefix;
  return {
    times: await timed(async () => {
      const y = p.predict(x);
      await y.data();
      y.dispose();
    }, reps),
  };
}

/** Where each case freezes: the last frozen layer (index 0, the input layer, means nothing is frozen). */
const CASES: Record<string, { freezeAt: string | number; cached: boolean }> = {
  'head-cached': { freezeAt: FEATURES_LAYER, cached: true },
  frozen: { freezeAt: FEATURES_LAYER, cached: false },
  last2: { freezeAt: 'conv_pw_11_relu', cached: false },
  all: { freezeAt: 0, cached: false },
};

/**
 * One optimiser step (Adam, as the engine's default) of case `name` on the first `batch` photos: the frozen part
 * in inference mode, the rest in training mode, exactly as src/ml/train.ts steps. 'head-cached' steps on stored
 * 256-d features; the others run the photos through the whole network (the engine's 'full' mode).
 */
export async function engineTrainStep(
  name: string,
  model: tf.LayersModel,
  photos: tf.Tensor4D,
  batch: number,
  reps: number,
): Promise<Measured> {
  const spec = CASES[name];
  if (!spec) throw new Error(`unknown training case ${name}`);
  const surgery = await engine(() => import('../../src/ml/surgery'), 'src/ml/surgery.ts');
  if ('pending' in surgery) return surgery;
  const frozen = await engine(() => import('../../src/ml/frozen'), 'src/ml/frozen.ts');
  if ('pending' in frozen) return frozen;
  const grads = await engine(() => import('../../src/ml/kernels/wasm-conv-grads'), 'src/ml/kernels/wasm-conv-grads.ts');
  if ('pending' in grads) return grads;
  grads.installWasmConvGradients(); // wasm lacks conv-gradient kernels; the engine composes them

  const tm = surgery.buildTransferModel(model, { seed: 1 });
  const k = surgery.freezeUpTo(tm, spec.freezeAt);
  const x = photos.slice(0, batch);
  const labels = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: batch }, (_, i) => i % 3),
          'int32',
        ),
        3,
      )
      .toFloat(),
  );
  const input = spec.cached ? tf.tidy(() => frozen.inferencePrefix(model, FEATURES_LAYER).predict(x)) : x;
  const layers = spec.cached ? tm.model.layers.slice(k + 1) : tm.model.layers;
  const firstTrainable = spec.cached ? 0 : k + 1;
  const optimizer = tf.train.adam(0.001);
  const variables = tm.model.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    const times = await timed(async () => {
      const loss = optimizer.minimize(
        () => {
          const p = frozen.runChain(layers, input, {
            training: (i) => i >= firstTrainable,
            batchNorm: 'train',
            dropoutSeed: 1,
          });
          return tf.metrics.categoricalCrossentropy(labels, p).mean() as tf.Scalar;
        },
        true,
        variables,
      )!;
      await loss.data();
      loss.dispose();
    }, reps);
    return { times, detail: `${variables.length} trainable tensors` };
  } finally {
    optimizer.dispose();
    tf.dispose([labels, x, ...(spec.cached ? [input] : [])]);
    tm.model.dispose();
  }
}
