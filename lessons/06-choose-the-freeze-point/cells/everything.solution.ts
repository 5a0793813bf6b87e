// Nothing frozen: every step runs all the layers forwards and backwards from the pixels, so nothing can be cached.
// An epoch through every layer costs hundreds of head-only epochs, and a readable answer needs several epochs and
// two seeds: minutes, too long for a page. So by default this cell shows a run recorded in Chromium (wasm) with
// exactly these settings: the whole network next to the head alone with the same seeds and epochs, both from
// lesson 5's trained head. To train it here instead, set TRAIN_LIVE to true: 2 seeds × 4 epochs through every
// layer, several minutes on a laptop's CPU (the text above says how long the recorded run took; Stop ends it early).
const TRAIN_LIVE = false;
const everythingSettings = { seeds: [1, 2], epochs: 4, learningRate: 0.0001 };
const everything = TRAIN_LIVE
  ? await wb.freezeSweep([headOnly, 0], everythingSettings)
  : (await wb.recordedSweep('everything')).points;
