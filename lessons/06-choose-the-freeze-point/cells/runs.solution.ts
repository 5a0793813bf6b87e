// One run per freeze point, each starting from the same trained head (the "head" solution of lesson 5), so the
// only difference between the rows is how much of the base may change. Fine-tuning wants small steps: the
// pre-trained weights are already good, and large updates would undo what ImageNet taught them.
display(wb.runs.show());
for (const freezeAt of freezePoints) {
  const start = (await wb.checkpoints.load('head')).model;
  await wb.train(start, { freezeAt, epochs: 3, learningRate: 0.0003, schedule: 'cosine', batchNorm: 'inference' });
}
