// Turn each row of logits into probabilities: positive numbers that sum to 1, the largest where the logit is largest.
function softmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    // TODO: compute the probabilities (and mind logits as large as 1000)
    return logits;
  });
}
const mine = softmax(logits);
console.log(`your probabilities sum to ${mine.sum().dataSync()[0].toFixed(4)}`);
await wb.check.softmax(softmax, model, input);
