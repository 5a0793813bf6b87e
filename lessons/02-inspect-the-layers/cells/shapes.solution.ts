// Each group's output: how many positions (height × width) and how many channels per position.
const groups = wb.layers.blocks(model).filter((block) => block.outputShape.length === 3);
const rows = groups.flatMap((block) => [
  { group: block.name, what: 'positions (height × width)', count: block.outputShape[0] * block.outputShape[1] },
  { group: block.name, what: 'channels', count: block.outputShape[2] },
]);
Plot.plot({
  marginBottom: 60,
  x: { domain: groups.map((block) => block.name), label: null, tickRotate: -40 },
  y: { type: 'log', label: 'count (log scale)', grid: true },
  color: { legend: true },
  marks: [Plot.line(rows, { x: 'group', y: 'count', stroke: 'what', marker: 'circle' })],
});
