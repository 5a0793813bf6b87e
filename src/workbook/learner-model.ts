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

/** The members this module adds to `wb` (spread into the facade by index.ts). */
export function learnerModelMembers(session: Session) {
  return {
    /**
     * Returns copies of the pre-trained layers from the input up to `cutAt` (default: the 256 pooled features), as
     * one model to compose with: Keras's `include_top=False` plus the pooling. They are copies, so training your
     * model never changes the pre-trained one that later cells compare with.
     * @example const base = wb.base(pretrained); base.trainable = false;
     * @group build
     */
    base: (pretrained: AnyModel, cutAt: string = MOBILENET_LAYERS.pooledFeatures): tf.LayersModel =>
      baseCopy(asLayersModel(pretrained, 'wb.base'), cutAt),
    /**
     * Returns the order (indices 0…count−1) in which `wb.train` visits the training photos in `epoch` with `seed`:
     * a hand-written loop that takes its batches in this order can be compared with `wb.train` step for step.
     * @example const order = wb.batchOrder(data.train.count, 1, epoch);
     * @group train
     */
    /**
     * Returns your composed model (lesson 4's alpaca_model) as the engine reads it: one chain of layers, the nested
     * base unrolled, sharing your layer objects (training it trains yours), with its cut and labels. Every `wb`
     * function that trains or evaluates reads a plain model this same way, once per model.
     * @example const model = await wb.transferModel(alpaca); model.model.layers.length
     * @group build
     */
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
