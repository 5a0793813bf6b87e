// What the new head will receive: the network, up to the cut, run on 4 photos of each label.
const featureModel = tf.model({
  inputs: pretrained.inputs,
  outputs: pretrained.getLayer(cutAt).output as tf.SymbolicTensor,
});
const photos = wb.photos.mixed(4);
const features = featureModel.predict(await wb.photos.batch(photos)) as tf.Tensor2D;
console.log(`features: [${features.shape.join(', ')}]`);
console.log(
  `smallest ${features.min().dataSync()[0].toFixed(2)}, largest ${features.max().dataSync()[0].toFixed(2)}, ` +
    `mean ${features.mean().dataSync()[0].toFixed(2)}`,
);
