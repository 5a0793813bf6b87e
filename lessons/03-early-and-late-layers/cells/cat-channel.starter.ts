// Which channel is the most "cat"? Score each channel by how much more it fires on the cat photos than on the
// others (its average over the cat photos minus its average over all the other photos); the best score wins.
const isCat = photos.map((photo) => photo.label === 'cat');
let catChannel = 0;
// TODO: score every channel and keep the best (means[i][c] is photo i's value for channel c)

console.log(`the most cat-like channel: ${catChannel}`);
await wb.check.channelFor(model, 'conv_pw_13_relu', catChannel, 'cat');
