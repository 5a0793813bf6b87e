// Give the head new starting weights: small, random, and each one different.
const head = transfer.model.getLayer('head_logits');
const [kernel] = head.getWeights();
console.log(`head_logits kernel: [${kernel.shape}]`);
const startingKernel = tf.randomNormal(kernel.shape, 0, 0.001, 'float32', 42);
head.setWeights([startingKernel, tf.zeros([3])]);
await wb.check.untrainedHead(transfer.model);
