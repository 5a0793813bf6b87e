// Broke your model? This brings back the solution as `model`, and every cell below this one can carry on with it.
const model = await wb.checkpoints.restore('head');
const restoredEvaluation = await wb.evaluate(model);
`the restored model gets ${restoredEvaluation.predictions.length - restoredEvaluation.misclassified.length} of ${restoredEvaluation.predictions.length} validation photos right`;
