// Does it help? Per seed: 1 augmented copy of each training photo through the frozen base, then the linear head
// fitted without and with them, both scored on the same (never augmented) validation photos. Each copy is one more
// pass of every training photo through the base: `copies: 2` doubles the time.
const study = await wb.augment.study(pretrained, augmentations, { copies: 1, seeds: [1, 2, 3] });
