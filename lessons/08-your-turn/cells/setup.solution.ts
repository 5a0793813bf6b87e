// Models do not travel between pages, so we start from the lesson 5 solution: the frozen MobileNet and a trained
// three-way head. (To use your own, paste the training cells of lesson 5 here instead.)
const base = await wb.loadModel();
const model = await wb.checkpoints.restore('head');
