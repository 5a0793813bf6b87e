// Your probe at the end of every block (stem, 1 … 13), on two networks with the same architecture: MobileNet with
// its ImageNet weights, and the same network with seeded random weights (its BatchNorm statistics measured on our
// training photos, so its features are scaled like the trained one's). Each point is a validation accuracy on
// 78 photos; its bar is the 95 % interval.
const depthPoints = await wb.evidence.depths(probe);
