// conv_preds, the last layer with weights, takes the pooled features and gives one score per class. Write the
// number of parameters of such a layer as a function of those two sizes alone (the check tries it on other layers).
function denseParams(features: number, classes: number): number {
  // One weight for every (feature, class) pair, and one bias for every class.
  return features * classes + classes;
}
const classifierParams = denseParams(256, 1000);
console.log(`${classifierParams.toLocaleString('en-US')} of ${model.countParams().toLocaleString('en-US')} parameters`);
await wb.check.classifierParams(model, denseParams);
