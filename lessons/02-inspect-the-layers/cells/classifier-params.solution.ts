// conv_preds, the last layer with weights, takes the 256 pooled features and gives 1000 class scores.
// Work out its number of parameters from those two numbers alone, without asking the model.
const features = 256;
const classes = 1000;
const classifierParams: number = features * classes + classes;
console.log(`${classifierParams.toLocaleString('en-US')} of ${model.countParams().toLocaleString('en-US')} parameters`);
await wb.check.classifierParams(model, classifierParams);
