// Where do we cut? At the layer whose output is one list of 256 numbers per photo: the pooled features.
const cutAt: string = 'global_average_pooling2d_1';
console.log(`${cutAt} outputs ${JSON.stringify(base.getLayer(cutAt).outputShape)}`);
await wb.check.cutPoint(base, cutAt);
