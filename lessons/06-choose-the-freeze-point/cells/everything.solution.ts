// Nothing frozen: every step runs all the layers forwards and backwards from the pixels, so nothing can be cached.
// Two seeds of one epoch each (the slowest cell of the course), next to the head alone with the same seeds.
const everything = await wb.freezeSweep([headOnly, 0], { seeds: [1, 2], epochs: 1, learningRate: 0.0001 });
