// Give the head new starting weights: small, random, and each one different.
const head = alpaca.layers.find((layer) => layer.getClassName() === 'Dense')!;
const [kernel, bias] = head.getWeights();
console.log(`${head.name} kernel: [${kernel.shape}]`);
// TODO: small random numbers instead, the same for every learner (tf.randomNormal takes a seed)
const startingKernel = tf.zeros(kernel.shape);
// The bias starts at zero, one per label (Keras's default bias_initializer='zeros').
head.setWeights([startingKernel, tf.zerosLike(bias)]);
await wb.check.untrainedHead(alpaca);
