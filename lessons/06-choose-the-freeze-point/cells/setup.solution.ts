// The pre-trained MobileNet, and its layers grouped as lesson 2 grouped them: the stem, blocks 1–13, the classifier.
const base = await wb.loadModel();
const blocks = wb.layers.blocks(base);
blocks.map((b) => `${b.name}: layers ${b.firstLayer}–${b.lastLayer}, output ${b.outputShape.join(' × ')}`).join('\n');
