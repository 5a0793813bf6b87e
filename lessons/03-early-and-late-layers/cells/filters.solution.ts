// The first layer, conv1: each filter looks at 3×3 pixels of the photo, in red, green and blue. A BatchNorm layer
// follows it and multiplies each channel by its own factor, sometimes a negative one; the grid folds that factor
// in, so each tile is what the channel really responds to, and all tiles share one scale.
const filters = wb.pictures.showFilters(model);
display(filters);
// The numbers behind the picture, one line per fact.
const conv1 = filters.firstLayer.filters;
const list = (fs: typeof conv1) => fs.map((f) => f.channel).join(', ') || 'none';
console.log(`dead (the same output on every photo): ${list(conv1.filter((f) => f.dead))}`);
console.log(`flipped by a negative BatchNorm factor: ${list(conv1.filter((f) => f.flipped && !f.dead))}`);
console.log(`respond to brightness patterns (edges, lines): ${list(conv1.filter((f) => f.fires !== 'none'))}`);
console.log(`respond only to colour contrasts: ${list(conv1.filter((f) => !f.dead && f.fires === 'none'))}`);
console.log(`vertical edges or lines: ${list(conv1.filter((f) => f.fires.includes('vertical')))}`);
const strongest = conv1.reduce((a, b) => (b.peak > a.peak ? b : a));
const others = Math.max(...conv1.filter((f) => !f.dead && f !== strongest).map((f) => f.peak));
console.log(
  `strongest: channel ${strongest.channel}, its weights ${(strongest.peak / others).toFixed(0)}× the next strongest's`,
);
