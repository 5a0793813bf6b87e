// Train the head on the cached features. Watch the curves: loss falling, accuracy rising, per batch and per epoch.
const run = await wb.train(model, {
  freezeAt: model.cutAt, // the layers you froze above stay frozen
  epochs: 100, // each epoch is 20 small steps over cached features: a fraction of a second
  learningRate: 0.01,
  schedule: 'cosine', // the step size shrinks to 0 by the last epoch, so the run settles instead of jittering
});
await wb.check.validationAccuracy(run, 0.85);
`validation accuracy after ${run.history.length} epochs: ${(run.valAcc * 100).toFixed(1)} % (training accuracy ${(run.acc * 100).toFixed(1)} %)`;
