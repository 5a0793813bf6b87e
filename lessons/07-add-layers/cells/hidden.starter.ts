// A head with a hidden layer: 256 features → Dense(units, relu) → Dropout → Dense(3) → softmax.
// wb.buildTransferModel builds that head from its options (hover it to see them): you choose how wide the hidden
// layer is and what share of its units Dropout switches off in each training step.
const hiddenModel = wb.buildTransferModel(base, {
  // TODO: the hidden layer's width, and the Dropout rate after it
  l2: 0.003, // a small penalty on large weights, as in lesson 5
});
await wb.check.hiddenHead(hiddenModel);
wb.freeze(hiddenModel, hiddenModel.cutAt); // the base stays frozen, as in lesson 5: only the head will learn
wb.layers.show(hiddenModel, { open: ['classifier'] });
