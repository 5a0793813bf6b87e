// Freeze the pre-trained base: layers 0…cut keep their ImageNet weights, only the new head learns.
model.model.layers.forEach((layer, i) => {
  layer.trainable = true; // TODO: false for the base (i up to and including cut), true for the head after it
});
await wb.check.frozenUpTo(model, model.cutAt);
wb.layers.show(model, { open: ['classifier'] });
