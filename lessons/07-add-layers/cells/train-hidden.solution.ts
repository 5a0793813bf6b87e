// Train it on the cached features: 33,283 weights now instead of 771, so a smaller learning rate and fewer epochs.
const hiddenRun = await wb.train(hiddenModel, {
  name: 'hidden 128, dropout 0.5',
  epochs: 20,
  learningRate: 0.001,
  schedule: 'cosine',
});
`validation accuracy ${(hiddenRun.valAcc * 100).toFixed(1)} % (best ${(hiddenRun.bestValAcc * 100).toFixed(1)} %), training accuracy ${(hiddenRun.acc * 100).toFixed(1)} %`;
