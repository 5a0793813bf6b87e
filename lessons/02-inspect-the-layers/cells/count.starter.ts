// Count the layers and the parameters yourself.
const layerCount: number = /* TODO: how many layers does the model have? */ 0;
let paramCount = 0;
for (const layer of model.layers) {
  // TODO: add this layer's parameters to paramCount
}
console.log(`${layerCount} layers, ${paramCount.toLocaleString('en-US')} parameters`);
await wb.check.modelSize(model, { layers: layerCount, params: paramCount });
