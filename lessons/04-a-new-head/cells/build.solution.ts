// Cut the base at cutAt and put a new head on top: Dense(3 units) and a softmax. The kept layers are copies,
// so nothing we do to `transfer.model` can change `base`.
const transfer = wb.buildTransferModel(base, { cutAt, seed: 1 });
wb.layers.show(transfer, { open: ['classifier'] });
