/**
 * What lessons 4 and 5 hand the learner so that they compose the model and write the loop themselves:
 *
 * ```ts
 * const base = wb.base(pretrained);                     // Keras: MobileNetV2(include_top=False) + pooling
 * base.trainable = false;                               // Keras: base_model.trainable = False
 * const model = await wb.transferModel(alpaca);         // the engine's reading of it: one chain, your layers
 * const order = wb.batchOrder(234, 1, epoch);           // the shuffle wb.train uses in that epoch
 * ```
 *
 * All are thin: the engine decides (src/ml/adopt.ts, src/ml/train.ts batchOrder); these only read the
 * learner's arguments and give clear errors.
 */
import type * as tf from '@tensorflow/tfjs';
import { baseCopy } from '../ml/adopt';
import { MOBILENET_LAYERS } from '../ml/layers';
import { asLayersModel, type AnyModel, type TransferModel } from '../ml/surgery';
import { batchOrder } from '../ml/train';
import type { Session } from './session';

/**
 * The members this module adds to `wb`. Their learner-facing doc comments (what the editor shows, and the wb
 * reference page) are on their lines in index.ts: a member's docs live where the facade lists it.
 */
export function learnerModelMembers(session: Session) {
  return {
    base: (pretrained: AnyModel, cutAt: string = MOBILENET_LAYERS.pooledFeatures): tf.LayersModel =>
      baseCopy(asLayersModel(pretrained, 'wb.base'), cutAt),
    transferModel: (model: AnyModel): Promise<TransferModel> => session.transferModel(model, 'wb.transferModel'),
    batchOrder: (count: number, seed: number, epoch: number): number[] => {
      for (const [name, v] of [
        ['count', count],
        ['seed', seed],
        ['epoch', epoch],
      ] as const) {
        if (!Number.isInteger(v) || v < 0)
          throw new Error(`wb.batchOrder: ${name} must be a whole number ≥ 0, not ${String(v)}`);
      }
      return batchOrder(count, seed, epoch);
    },
  };
}
