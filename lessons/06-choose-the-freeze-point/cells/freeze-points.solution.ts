// Where does block n end? `blocks` (the cell above) lists each group of layers in model order: its name ('stem',
// 'block 1' … 'block 13', 'classifier'), firstLayer and lastLayer (indices into base.layers), and layerNames.
function blockEnd(n: number): string {
  const block = blocks.find((b) => b.name === `block ${n}`);
  if (!block) throw new Error(`there is no block ${n}: MobileNet v1 has blocks 1 to 13`);
  return block.layerNames.at(-1)!;
}

// The freeze points to compare, as layer names: first the whole base frozen (lesson 5's freeze point, where the
// classifier group starts), then block ends further and further down, each letting more of the network train.
const headOnly = blocks.find((b) => b.name === 'classifier')!.layerNames[0]!;
const freezePoints: string[] = [headOnly, blockEnd(12), blockEnd(11), blockEnd(10)];
await wb.check.freezePoints(base, freezePoints, blockEnd);
freezePoints;
