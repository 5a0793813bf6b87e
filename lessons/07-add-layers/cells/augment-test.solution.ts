// The one look at the test photos, for the head chosen above by validation accuracy alone.
const testScore = await wb.scoreTest(
  study.model,
  `head ${study.chosen === 'augmented' ? 'with' : 'without'} augmentation, lesson 7`,
);
