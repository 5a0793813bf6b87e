// Where do we cut? At the layer whose output is one list of 256 numbers per photo: the pooled features.
const cutAt: string =
  /* TODO: that layer's name (wb.layers.show(base) lists them; look at the classifier group) */ 'act_softmax';
console.log(`${cutAt} outputs ${JSON.stringify(base.getLayer(cutAt).outputShape)}`);
await wb.check.cutPoint(base, cutAt);
