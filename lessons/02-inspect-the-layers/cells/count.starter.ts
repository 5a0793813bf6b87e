// Count the layers and the parameters yourself.
const layerCount: number = /* TODO: how many layers? (model.layers is an array of them) */ 0;
let paramCount = 0;
for (const layer of model.layers) {
  // TODO: add this layer's number of parameters (layer.countParams() gives it)
}
console.log(`${layerCount} layers, ${paramCount.toLocaleString('en-US')} parameters`);
await wb.check.modelSize(model, { layers: layerCount, params: paramCount });
