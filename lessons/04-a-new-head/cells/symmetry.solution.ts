// Why random? Train a head with a hidden layer of 8 units on the 12 photos' features, twice: once from weights
// that are all equal, once from random ones. Then count how many of the 8 hidden units ended up different.
const targets = wb.photos.oneHot(photos);
async function trainHead(allEqual: boolean): Promise<number> {
  const start = allEqual ? tf.initializers.constant({ value: 0.01 }) : tf.initializers.glorotNormal({ seed: 7 });
  const head = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [256], units: 8, activation: 'relu', kernelInitializer: start }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: start }),
    ],
  });
  head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  await head.fit(features, targets, { epochs: 50, verbose: 0 });
  // One row per hidden unit: its 256 incoming weights, rounded so that equal units print equal.
  const units = (head.layers[0].getWeights()[0].transpose().arraySync() as number[][]).map((w) =>
    w.map((v) => v.toFixed(5)).join(),
  );
  return new Set(units).size;
}
console.log(`all weights 0.01 at the start: ${await trainHead(true)} different hidden units of 8`);
console.log(`random start:                  ${await trainHead(false)} different hidden units of 8`);
