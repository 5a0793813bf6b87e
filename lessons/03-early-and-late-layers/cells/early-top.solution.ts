// The same question for an early layer: the photos that excite two channels of conv1_relu most.
for (const channel of [4, 1]) {
  await wb.pictures.topPhotos(model, { layer: 'conv1_relu', channel });
}
