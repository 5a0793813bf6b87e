// Freeze the pre-trained base: layers 0…cut keep their ImageNet weights, only the new head learns.
model.model.layers.forEach((layer, i) => {
  layer.trainable = true; // TODO: frozen for the base, trainable for the head after it
});
await wb.check.frozenBase(model);
wb.layers.show(model, { open: ['classifier'] });
