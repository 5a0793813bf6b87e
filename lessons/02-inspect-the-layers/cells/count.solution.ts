// Count the layers and the parameters yourself.
const layerCount: number = model.layers.length;
let paramCount = 0;
for (const layer of model.layers) {
  paramCount += layer.countParams();
}
console.log(`${layerCount} layers, ${paramCount.toLocaleString('en-US')} parameters`);
await wb.check.modelSize(model, { layers: layerCount, params: paramCount });
