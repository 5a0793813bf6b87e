// And the BatchNorm layers that did train (block 13's): how far did their moving statistics move in 3 epochs?
const pretrained = base.layers.filter((l) => l.getClassName() === 'BatchNormalization');
bnModel.model.layers
  .filter((layer) => layer.getClassName() === 'BatchNormalization' && layer.trainable)
  .map((layer) => {
    const [, , mean, variance] = layer.getWeights();
    const [, , mean0, variance0] = pretrained.find((l) => l.name === layer.name)!.getWeights();
    const shift = tf.tidy(() => tf.max(tf.abs(tf.sub(mean!, mean0!))).dataSync()[0]!);
    const ratio = tf.tidy(() => tf.mean(tf.div(variance!, variance0!)).dataSync()[0]!);
    return `${layer.name}: moving mean moved by up to ${shift.toFixed(3)}; moving variance now ${ratio.toFixed(2)}× what ImageNet left on average`;
  })
  .join('\n')
