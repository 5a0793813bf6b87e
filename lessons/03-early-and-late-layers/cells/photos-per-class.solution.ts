// How many photos do the ImageNet weights save? A linear probe on block 13's features, trained on 5, 10, 25, 50
// and all training photos per class, each size drawn 5 times (seeds 1–5), on both networks' features. A point is
// the mean validation accuracy over the 5 draws; its bar, the 95 % interval of that mean.
const perClass = await wb.evidence.photosPerClass({ sizes: [5, 10, 25, 50, 'all'], seeds: [1, 2, 3, 4, 5] });
