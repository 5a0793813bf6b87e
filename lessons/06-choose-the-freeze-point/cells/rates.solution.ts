// One freeze point, blocks 12 and 13 unfrozen, at two step sizes: the head's own (lesson 5's head trained at 0.01)
// and ten times smaller. Keras's fine-tuning step does the same: base_learning_rate / 10.
const deep = blockEnd(11);
const rates = await wb.freezeSweep(
  [
    { freezeAt: deep, learningRate: 0.01, label: 'lr 0.01' },
    { freezeAt: deep, learningRate: 0.001, label: 'lr 0.001' },
  ],
  { seeds: [1, 2, 3], epochs: 2 },
);
