/**
 * The one-call version for lesson cells: cut the pre-trained network, add a head, freeze, train, and get back the
 * model with its run record. The steps stay available one by one (surgery.ts, train.ts) for lessons that open them up.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoSet } from './dataset';
import type { RunRecord } from './runs';
import { buildTransferModel, type TransferModel, type TransferModelOptions } from './surgery';
import { train, type TrainOptions } from './train';

/** Head and training settings together, e.g. {hidden: 64, freezeAt: 'conv_pw_11_relu', epochs: 10}. */
export type TransferOptions = TransferModelOptions & TrainOptions;

/** Builds a transfer model from `base` (which it never changes) and trains it; the seed seeds both. */
export async function trainTransfer(base: tf.LayersModel, photos: PhotoSet, options: TransferOptions = {}): Promise<{ model: TransferModel; record: RunRecord }> {
  const { cutAt, labels, hidden, dropout, l2, convBlock, ...training } = options;
  const seed = options.seed ?? 1;
  const model = buildTransferModel(base, { cutAt, labels: labels ?? photos.labels, hidden, dropout, l2, convBlock, seed });
  try {
    return { model, record: await train(model, photos, training) };
  } catch (error) {
    model.model.dispose();
    throw error;
  }
}
