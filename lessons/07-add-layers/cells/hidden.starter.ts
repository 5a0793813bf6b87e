// A head with a hidden layer: 256 features → Dense(units, relu) → Dropout → Dense(3) → softmax.
const hiddenModel = wb.buildTransferModel(base, {
  hidden: undefined as number | undefined, // TODO: the hidden layer's number of units, e.g. 128
  dropout: 0.5, // the share of hidden units switched off at random in each training step
  l2: 0.003, // a small penalty on large weights, as in lesson 5
});
await wb.check.hiddenHead(hiddenModel);
wb.freeze(hiddenModel, hiddenModel.cutAt); // the base stays frozen, as in lesson 5: only the head will learn
wb.layers.show(hiddenModel, { open: ['classifier'] });
