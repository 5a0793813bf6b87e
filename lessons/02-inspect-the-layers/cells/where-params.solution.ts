// Where are the parameters? One bar per group.
const blocks = wb.layers.blocks(model);
Plot.plot({
  marginLeft: 80,
  x: { label: 'parameters', grid: true },
  y: { domain: blocks.map((block) => block.name), label: null },
  marks: [Plot.barX(blocks, { y: 'name', x: 'params' }), Plot.ruleX([0])],
});
