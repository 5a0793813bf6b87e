// Which channel is the most "cat"? For each channel: its average over the cat photos minus its average over
// all the other photos. The channel with the largest difference wins.
const isCat = photos.map((photo) => photo.label === 'cat');
let catChannel = 0;
// TODO: find the channel with the largest difference (means[i][c] is photo i's value for channel c)

console.log(`the most cat-like channel: ${catChannel}`);
await wb.check.channelFor(model, 'conv_pw_13_relu', catChannel, 'cat');
