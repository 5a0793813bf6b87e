// For three channels of conv_pw_3_relu (the end of block 3), the 9 windows of our photos that excite each most.
// The first call runs all 390 photos through blocks 1–3 once; the other channels then come at once.
for (const channel of [24, 1, 4]) {
  display(await wb.pictures.showTopPatches(model, { layer: 'conv_pw_3_relu', channel, count: 9 }));
}
