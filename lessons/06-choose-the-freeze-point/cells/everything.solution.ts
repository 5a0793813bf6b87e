// Optional, and slow: train every layer. Set `tryEverything` to true and run this cell to measure it yourself
// (one epoch runs all 88 layers forwards and backwards on every photo; the runs table gets the row).
const tryEverything = false;
if (tryEverything) {
  const everything = (await wb.checkpoints.load('head')).model;
  await wb.train(everything, { freezeAt: 'input_1', epochs: 1, learningRate: 0.0001, batchNorm: 'inference' });
}
tryEverything ? wb.runs.show() : 'skipped: set tryEverything = true to train all layers';
