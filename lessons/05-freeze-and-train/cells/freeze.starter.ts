// Freeze the pre-trained base (the course's base_model.trainable = False) and leave your new head free to learn.
// Two steps, both yours: find in the model itself where MobileNet ends and your head begins (lesson 4 chose it),
// then give every layer of model.model.layers its flag from where it stands relative to that place.
// TODO: your lines here

await wb.check.frozenBase(model);
wb.layers.show(model, { open: ['classifier'] });
