// Pick two layers to compare on the same photo, by what they are: the early one is the first activation of the
// network (the stem's output), the late one the last layer with feature maps before the pooling. Let the code
// find them in model.layers rather than copying a name from a table.
const early: string = model.layers.find((layer) => layer.getClassName() === 'Activation')!.name;
// Feature maps: an output of shape [batch, height, width, channels] with more than one position (after the pooling,
// the classifier's outputs are 1 × 1 grids).
const isMap = (shape: number[]) => shape.length === 4 && shape[1] > 1;
const late: string = model.layers.filter((layer) => isMap(layer.outputShape as number[])).at(-1)!.name;
console.log(`early: ${early}, late: ${late}`);
await wb.check.earlyAndLate(model, early, late);
await wb.pictures.showEarlyAndLate(model, 'cat/Egyptian_Mau_10.jpg', { early, late });
