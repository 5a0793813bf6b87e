// The 8 photos of our set that excite your channel most, and two more channels for comparison.
for (const channel of [catChannel, 218, 253]) {
  await wb.pictures.topPhotos(model, { channel });
}
