// Where do we cut? At the layer whose output is one list of 256 numbers per photo: the pooled features.
// Find it by what it is, not by its name: each layer knows its class and its output shape.
const pooling = pretrained.layers.find((layer) => layer.getClassName() === 'GlobalAveragePooling2D')!;
const cutAt: string = pooling.name;
console.log(`${cutAt} outputs ${JSON.stringify(pretrained.getLayer(cutAt).outputShape)}`);
await wb.check.cutPoint(pretrained, cutAt);
