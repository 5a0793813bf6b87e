// The workbook's freeze with the same head, epochs, batches and step size: frozen layers only ever run in
// inference mode, so their statistics stay ImageNet's. Your movingStats proves it.
const frozen = wb.buildTransferModel(base);
const frozenBefore = movingStats(frozen.model);
await wb.train(frozen, {
  name: 'head, BatchNorm frozen in inference mode',
  epochs: 2,
  batchSize: 4,
  learningRate: 0.01,
});
await wb.check.batchNormUnchanged(frozen, frozenBefore, movingStats(frozen.model));

// What the drift cost: how far each BatchNorm layer moved in the naive fit, and both models on the same
// validation photos (through the whole network), paired.
const bnCost = await wb.evidence.batchNormCost(naive, frozen);
