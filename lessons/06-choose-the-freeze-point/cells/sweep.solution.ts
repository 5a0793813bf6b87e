// Every freeze point with three seeds, two epochs a run, each run starting from lesson 5's trained head (the "head"
// checkpoint) at a fine-tuning step size. Runs of one point differ only in their seed (the order of the batches):
// how far apart they land is what chance alone does to a result.
const sweep = await wb.freezeSweep(freezePoints, { seeds: [1, 2, 3], epochs: 2, learningRate: 0.0003 });
