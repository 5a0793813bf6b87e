/**
 * The engine's own ways of running MobileNet, as the native baseline times them: the BN-folded prefix
 * (src/ml/kernels/fold.ts) and one training step per freeze point (src/ml/train.ts). Each piece is imported only
 * when asked for, so a piece that has not landed yet gives a "pending" answer instead of breaking the benchmark.
 */
import type * as tf from '@tensorflow/tfjs';

/** A measure that cannot be taken yet (the engine piece is missing) or cannot run here (n/a), and why. */
export interface NotMeasured {
  pending?: string;
  na?: string;
}

/** Forward through the engine's variant `variant` ('folded'): seconds per rep, or why not. */
export async function engineForward(variant: string, _model: tf.LayersModel, _x: tf.Tensor4D, _reps: number): Promise<{ times?: number[] } & NotMeasured> {
  return { pending: `engine variant '${variant}' (src/ml/kernels/fold.ts) has not landed` };
}

/** One training step of case `name` on a batch of `batch`: seconds per rep, or why not. */
export async function engineTrainStep(name: string, _model: tf.LayersModel, _x: tf.Tensor4D, _batch: number, _reps: number): Promise<{ times?: number[] } & NotMeasured> {
  return { pending: `training case '${name}' needs the engine's train API (src/ml/train.ts), not landed yet` };
}
