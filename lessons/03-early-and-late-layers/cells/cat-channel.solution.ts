// Which channel is the most "cat"? Score each channel by how much more it fires on the cat photos than on the
// others (its average over the cat photos minus its average over all the other photos); the best score wins.
const isCat = photos.map((photo) => photo.label === 'cat');
let catChannel = 0;
const average = (channel: number, cats: boolean) => {
  const rows = means.filter((_, i) => isCat[i] === cats);
  return rows.reduce((sum, row) => sum + row[channel], 0) / rows.length;
};
const gap = (channel: number) => average(channel, true) - average(channel, false);
for (let c = 1; c < means[0].length; c++) {
  if (gap(c) > gap(catChannel)) catChannel = c;
}
console.log(`the most cat-like channel: ${catChannel}`);
await wb.check.channelFor(model, 'conv_pw_13_relu', catChannel, 'cat');
