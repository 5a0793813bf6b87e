// One training loop, written out: what Keras's model.fit (or a custom tf.GradientTape loop) does for you.
// The check calls trainHead itself: with a copy of your Dense layer as it starts (features → logits), the cached
// features and one-hot labels of the training and validation photos, and the settings.
type Loop = Parameters<typeof wb.check.trainingLoop>[0]; // (head, data, settings) => one entry per epoch
const trainHead: Loop = async (head, data, settings) => {
  const optimizer = tf.train.adam(settings.learningRate);
  const history: { epoch: number; loss: number; valAcc: number }[] = [];
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = wb.batchOrder(data.train.count, settings.seed, epoch); // this epoch's shuffle, as wb.train's
    let lossSum = 0;
    // TODO: for each batch of settings.batchSize indices from `order`: the batch's rows of data.train.x and
    //       data.train.y, the cross-entropy of the head's output on them, and one optimiser step.
    //       Add the batch's loss × its number of photos to lossSum.
    // TODO: after the batches, the share of data.validation the head gets right.
    const valAcc = NaN;
    history.push({ epoch, loss: lossSum / data.train.count, valAcc });
  }
  optimizer.dispose();
  return history;
};
await wb.check.trainingLoop(trainHead, model);
