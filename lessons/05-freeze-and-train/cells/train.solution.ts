// Train the head on the cached features. No freezeAt: wb.train reads the trainable flags you set above.
// Watch the curves: loss falling, accuracy rising, per batch and per epoch.
const run = await wb.train(model, {
  epochs: 100, // each epoch is 15 small steps over cached features: a fraction of a second
  learningRate: 0.01,
  schedule: 'cosine', // the step size shrinks to 0 by the last epoch, so the run settles instead of jittering
});
await wb.check.validationAccuracy(run, 0.8);
`validation accuracy after ${run.history.length} epochs: ${(run.valAcc * 100).toFixed(1)} % (training accuracy ${(run.acc * 100).toFixed(1)} %)`;
