// Does it help? Per seed: 2 augmented copies of each training photo through the frozen base, then the linear head
// fitted without and with them, both scored on the same (never augmented) validation photos.
const study = await wb.augment.study(pretrained, augmentations, { copies: 2, seeds: [1, 2, 3] });
