// The pre-trained network: loaded once per page, from the browser's cache after the first visit.
const model = await wb.loadModel();
// What it gives for a batch of photos: one row of 1000 numbers per photo (null: any batch size).
model.outputs[0].shape;
