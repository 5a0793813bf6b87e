// The pre-trained MobileNet and its pooled features (256 per photo), computed once for the whole page.
const pretrained = await wb.loadModel();
const features = await wb.features('global_average_pooling2d_1');
// The baseline: the linear head of lesson 5 (its solution checkpoint), as the first row of the runs table.
const linear = await wb.checkpoints.load('head');
wb.runs.addCheckpoint(linear, 'linear head (lesson 5 solution)');
wb.runs.show();
