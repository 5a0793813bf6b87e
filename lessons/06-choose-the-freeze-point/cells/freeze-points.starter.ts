// Where does block n end? `blocks` (the cell above) lists each group of layers in model order: its name ('stem',
// 'block 1' … 'block 13', 'classifier'), firstLayer and lastLayer (indices into base.layers), and layerNames.
function blockEnd(n: number): string {
  // TODO: the name of the layer that ends block n. Freezing there keeps blocks 1…n frozen and lets the rest train.
  throw new Error(`TODO: blockEnd(${n})`);
}

// The freeze points to compare, as layer names: first the whole base frozen (lesson 5's freeze point, where the
// classifier group starts), then block ends further and further down, each letting more of the network train.
const freezePoints: string[] = [
  // TODO: at least three freeze points
];
await wb.check.freezePoints(base, freezePoints, blockEnd);
freezePoints;
