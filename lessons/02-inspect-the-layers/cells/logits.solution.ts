// The classifier's raw scores ("logits") for the Egyptian Mau: the output of conv_preds, before the softmax.
const input = await wb.photos.batch(['cat/Egyptian_Mau_10.jpg']);
const logitsModel = tf.model({
  inputs: model.inputs,
  outputs: model.getLayer('conv_preds').output as tf.SymbolicTensor,
});
const logits = (logitsModel.predict(input) as tf.Tensor).reshape([1, 1000]) as tf.Tensor2D;
const best = tf.topk(logits, 3);
const ids = Array.from(best.indices.dataSync());
const scores = Array.from(best.values.dataSync());
ids.forEach((id, i) => console.log(`${wb.imagenetClasses[id]}: logit ${scores[i].toFixed(2)}`));
console.log(
  `smallest logit: ${logits.min().dataSync()[0].toFixed(2)}, largest: ${logits.max().dataSync()[0].toFixed(2)}`,
);
