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
    for (let start = 0; start < order.length; start += settings.batchSize) {
      const picked = tf.tensor1d(order.slice(start, start + settings.batchSize), 'int32');
      const xs = data.train.x.gather(picked);
      const ys = data.train.y.gather(picked);
      // Forward, loss from the logits, gradients, one step: minimize does all of it and returns the loss.
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, head.apply(xs) as tf.Tensor) as tf.Scalar,
        true,
      )!;
      lossSum += (await loss.data())[0] * picked.size;
      tf.dispose([picked, xs, ys, loss]);
    }
    const valAcc = tf.tidy(() => {
      const said = (head.apply(data.validation.x) as tf.Tensor).argMax(-1);
      return tf.equal(said, data.validation.y.argMax(-1)).mean().dataSync()[0];
    });
    history.push({ epoch, loss: lossSum / data.train.count, valAcc });
  }
  optimizer.dispose();
  return history;
};
await wb.check.trainingLoop(trainHead, model);
