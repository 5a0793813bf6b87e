// Save the whole trained network (MobileNet's layers and the new head) as a standard TensorFlow.js model: a download
// of cat-dog-other.json + cat-dog-other.weights.bin, and a copy in this browser's IndexedDB.
const exported = await wb.exportModel(model, 'cat-dog-other');
