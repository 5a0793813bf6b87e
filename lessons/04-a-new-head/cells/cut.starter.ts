// Where do we cut? At the layer whose output is one list of 256 numbers per photo: the pooled features.
// Find it by what it is, not by its name: each layer knows its class (layer.getClassName()) and its outputShape.
const pooling =
  pretrained.layers.find((layer) => /* TODO: true for the layer that averages each channel */ false) ??
  pretrained.layers.at(-1)!;
const cutAt: string = pooling.name;
console.log(`${cutAt} outputs ${JSON.stringify(pretrained.getLayer(cutAt).outputShape)}`);
await wb.check.cutPoint(pretrained, cutAt);
