// conv_preds, the last layer with weights, takes the pooled features and gives one score per class. Read those two
// sizes from the layer itself, then write its number of parameters as a function of them alone (the check also
// tries your function on layers of other sizes).
// A 1×1 convolution's kernel has the shape [1, 1, features, classes].
const [, , features, classes] = model.getLayer('conv_preds').getWeights()[0].shape;
function denseParams(features: number, classes: number): number {
  // One weight for every (feature, class) pair, and one bias for every class.
  return features * classes + classes;
}
const classifierParams = denseParams(features, classes);
console.log(`${classifierParams.toLocaleString('en-US')} of ${model.countParams().toLocaleString('en-US')} parameters`);
await wb.check.classifierParams(model, denseParams, { features, classes });
