// For every photo of our set, how strongly does each of conv_pw_13_relu's 256 channels fire, on average over
// its 7×7 positions? (Computed once per page: a few seconds.)
const { photos, means } = await wb.pictures.channelMeans(model, 'conv_pw_13_relu');
console.log(`${photos.length} photos × ${means[0].length} channels`);
console.log(`${photos[0].file}: channel 0 = ${means[0][0].toFixed(2)}, channel 1 = ${means[0][1].toFixed(2)}, …`);
