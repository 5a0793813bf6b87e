// The new head, untrained, from the start a Dense layer takes by default: Glorot uniform. Your Dense layer drew its
// own, unseeded; here the same recipe is drawn again with a seed, so every learner sees the same start
// (Keras: Dense(3, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=12))).
const glorotHead = alpaca.layers.find((layer) => layer.getClassName() === 'Dense')!;
const [glorotKernel, glorotBias] = glorotHead.getWeights();
glorotHead.setWeights([tf.initializers.glorotUniform({ seed: 12 }).apply(glorotKernel.shape), glorotBias]);
const firstAnswers = await wb.classify(alpaca, wb.photos.mixed(1));
