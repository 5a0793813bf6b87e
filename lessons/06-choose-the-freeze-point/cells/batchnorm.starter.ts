// The moving mean and variance of every FROZEN BatchNormalization layer, as arrays of numbers.
// A BatchNormalization layer's weights are [gamma, beta, moving mean, moving variance].
function frozenBatchNormStats(m: tf.LayersModel): number[][] {
  return m.layers
    .filter((layer) => false) // TODO: keep the BatchNormalization layers (layer.getClassName()) that are frozen
    .flatMap((layer) => [] as number[][]); // TODO: their weights 2 and 3, each as Array.from(w.dataSync())
}

// Block 13 trains, with its BatchNorm layers in training mode; blocks 1–12 stay frozen.
const bnModel = (await wb.checkpoints.load('head')).model;
wb.freeze(bnModel, 'conv_pw_12_relu');
const before = frozenBatchNormStats(bnModel.model);
const bnRun = await wb.train(bnModel, { name: 'block 13, BatchNorm in training mode', freezeAt: 'conv_pw_12_relu', epochs: 3, learningRate: 0.0003, schedule: 'cosine', batchNorm: 'train' });
const after = frozenBatchNormStats(bnModel.model);
await wb.check.batchNormUnchanged(bnModel, before, after);
