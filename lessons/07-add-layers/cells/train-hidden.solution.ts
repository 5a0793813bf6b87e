// Train your model on the cached features, as lesson 5 trained your alpaca_model: wb.train reads it as one chain (the
// base unrolled, your layers shared) and, from your trainable flags, trains only the head. 33,283 weights now
// instead of 771 (with a width of 128), so a smaller learning rate and fewer epochs.
const hiddenRun = await wb.train(hiddenModel, {
  name: 'hidden layer (yours)',
  epochs: 20,
  learningRate: 0.001,
  schedule: 'cosine',
});
`validation accuracy ${(hiddenRun.valAcc * 100).toFixed(1)} % (best ${(hiddenRun.bestValAcc * 100).toFixed(1)} %), training accuracy ${(hiddenRun.acc * 100).toFixed(1)} %`;
