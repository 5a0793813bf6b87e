// Now a head that can memorise: 512 hidden units, no Dropout, no L2, a larger learning rate and more epochs.
const bigModel = wb.buildTransferModel(pretrained, { hidden: 512, dropout: 0 });
const bigRun = await wb.train(bigModel, { name: 'hidden 512, no dropout, no L2', epochs: 40, learningRate: 0.003 });
const lowest = bigRun.history.reduce((best, h) => (h.valLoss < best.valLoss ? h : best));
`training accuracy ${(bigRun.acc * 100).toFixed(1)} %, validation accuracy ${(bigRun.valAcc * 100).toFixed(1)} %; ` +
  `validation loss lowest at epoch ${lowest.epoch + 1} (${lowest.valLoss.toFixed(3)}), ${bigRun.valLoss.toFixed(3)} at the end`;
