// Freeze the pre-trained base: layers 0…cut keep their ImageNet weights, only the new head learns.
model.model.layers.forEach((layer, i) => {
  layer.trainable = i > cut;
});
await wb.check.frozenBase(model);
wb.layers.show(model, { open: ['classifier'] });
