// A starting point for your own experiments: change a setting, run, and compare the rows.
const experiment = (await wb.checkpoints.load('head')).model;
await wb.train(experiment, {
  name: 'my experiment',
  epochs: 20,
  learningRate: 0.003,
  augment: true, // mirror a random half of the training photos each epoch: a cat facing left is still a cat
});
wb.runs.show();
