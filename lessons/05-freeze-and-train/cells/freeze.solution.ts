// Freeze the pre-trained base (the course's base_model.trainable = False) and leave your new head free to learn.
// Two steps, both yours: find in the model itself where MobileNet ends and your head begins (lesson 4 chose it),
// then give every layer of model.model.layers its flag from where it stands relative to that place.
const layers = model.model.layers;
// MobileNet ends at the layer that averages each channel into one of the 256 features: found by what it is.
const lastBase = layers.findIndex((layer) => layer.getClassName() === 'GlobalAveragePooling2D');
layers.forEach((layer, i) => {
  layer.trainable = i > lastBase; // frozen up to and including lastBase, your head after it learns
});
await wb.check.frozenBase(model);
wb.layers.show(model, { open: ['classifier'] });
