// Turn each row of logits into probabilities: positive numbers that sum to 1, the largest where the logit is largest.
function softmax(logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    // Shifting every logit by the same amount changes nothing, so shift the largest to 0: no exp overflows.
    const shifted = tf.sub(logits, tf.max(logits, -1, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, -1, true));
  });
}
const mine = softmax(logits);
console.log(`your probabilities sum to ${mine.sum().dataSync()[0].toFixed(4)}`);
await wb.check.softmax(softmax, model, input);
