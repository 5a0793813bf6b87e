// Give the head new starting weights: small, random, and each one different.
const head = transfer.model.getLayer('head_logits');
const [kernel] = head.getWeights();
console.log(`head_logits kernel: [${kernel.shape}]`);
// TODO: small random numbers instead: tf.randomNormal(shape, mean, standardDeviation, 'float32', seed)
const startingKernel = tf.zeros(kernel.shape);
head.setWeights([startingKernel, tf.zeros([3])]);
await wb.check.untrainedHead(transfer.model);
