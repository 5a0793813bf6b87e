// Give the head new starting weights: small, random, and each one different.
const head = alpaca.layers.find((layer) => layer.getClassName() === 'Dense')!;
const [kernel] = head.getWeights();
console.log(`${head.name} kernel: [${kernel.shape}]`);
// TODO: small random numbers instead, the same for every learner (tf.randomNormal takes a seed)
const startingKernel = tf.zeros(kernel.shape);
head.setWeights([startingKernel, tf.zeros([3])]);
await wb.check.untrainedHead(alpaca);
