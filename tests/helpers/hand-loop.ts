/**
 * The training loop lesson 5 teaches (lessons/05-freeze-and-train/cells/loop.solution.ts), written once for the
 * tests that judge a learner's loop (hand-loop, lesson-05-flow, lessons-04-05-checks), with a switch for each
 * mistake a learner typically makes, so every test feeds the check the same right answer and the same near misses.
 */
import * as tf from '@tensorflow/tfjs';
import type { HandLoop, LoopEpoch, LoopSettings } from '../../src/ml/hand-loop';
import { batchOrder } from '../../src/ml/train';

/**
 * What the loop gets wrong: nothing; no optimiser step (the loss is computed, the weights never move); softmax
 * applied to logits the loss already softmaxes; no validation accuracy recorded.
 */
export type LoopMistake = 'none' | 'no-step' | 'softmax-twice' | 'no-validation';

/**
 * The solution's loop with `mistake` put in: Adam at the settings' rate, each epoch's batches in `batchOrder`'s
 * shuffle (wb.batchOrder is the same function, so the loop follows wb.train batch for batch), the loss from the
 * logits, the validation accuracy after each epoch.
 */
export function handLoop(mistake: LoopMistake = 'none'): HandLoop {
  return async (head, data, settings: LoopSettings) => {
    const optimizer = tf.train.adam(settings.learningRate);
    const history: LoopEpoch[] = [];
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = batchOrder(data.train.count, settings.seed, epoch);
      let lossSum = 0;
      for (let start = 0; start < order.length; start += settings.batchSize) {
        const picked = tf.tensor1d(order.slice(start, start + settings.batchSize), 'int32');
        const xs = data.train.x.gather(picked);
        const ys = data.train.y.gather(picked);
        const lossOf = () => {
          const logits = head.apply(xs) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(
            ys,
            mistake === 'softmax-twice' ? tf.softmax(logits) : logits,
          ) as tf.Scalar;
        };
        // Without a step the loss is still computed (inside tidy, so nothing leaks), but the head never learns.
        const loss = mistake === 'no-step' ? tf.tidy(lossOf) : optimizer.minimize(lossOf, true)!;
        lossSum += (await loss.data())[0]! * picked.size;
        tf.dispose([picked, xs, ys, loss]);
      }
      const valAcc = tf.tidy(() => {
        const said = (head.apply(data.validation.x) as tf.Tensor).argMax(-1);
        return tf.equal(said, data.validation.y.argMax(-1)).mean().dataSync()[0]!;
      });
      history.push({ epoch, loss: lossSum / data.train.count, valAcc: mistake === 'no-validation' ? NaN : valAcc });
    }
    optimizer.dispose();
    return history;
  };
}
