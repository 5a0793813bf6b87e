// Give the head new starting weights: small, random, and each one different.
const head = alpaca.layers.find((layer) => layer.getClassName() === 'Dense')!;
const [kernel] = head.getWeights();
console.log(`${head.name} kernel: [${kernel.shape}]`);
const startingKernel = tf.randomNormal(kernel.shape, 0, 0.001, 'float32', 42);
head.setWeights([startingKernel, tf.zeros([3])]);
await wb.check.untrainedHead(alpaca);
