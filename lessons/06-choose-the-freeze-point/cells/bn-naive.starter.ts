// The moving mean and moving variance of EVERY BatchNormalization layer, as arrays of numbers.
// A BatchNormalization layer's weights are [gamma, beta, moving mean, moving variance].
function movingStats(m: tf.LayersModel): number[][] {
  return m.layers
    .filter((layer) => false) // TODO: keep only the layers that hold these statistics
    .flatMap((layer) => [] as number[][]); // TODO: for each, its moving mean and its moving variance
}

// What a Keras user would write in TensorFlow.js: a new head, the base frozen (base.trainable = False), fit.
const naive = wb.buildTransferModel(base);
wb.freeze(naive, 'global_average_pooling2d_1');
const trainPhotos = wb.photos.all('train');
const xs = await wb.photos.batch(trainPhotos);
const ys = wb.photos.oneHot(trainPhotos);
naive.model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
const before = movingStats(naive.model);
// fit runs the whole model with training = true: every BatchNorm layer, frozen or not, in training mode.
await naive.model.fit(xs, ys, {
  epochs: 2,
  batchSize: 4,
  shuffle: true,
  verbose: 0,
  callbacks: { onBatchEnd: async () => void (naive.model.stopTraining = signal.aborted) },
});
const after = movingStats(naive.model);
tf.dispose([xs, ys]);
await wb.check.batchNormDrift(naive, before, after);
