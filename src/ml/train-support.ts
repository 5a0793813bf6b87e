/**
 * Small helpers the training loop needs: giving the page a chance to repaint between steps, and a clear error
 * before a run that the backend cannot do.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Lets the event loop run (clicks, chart repaints) between training steps. setImmediate in Node, a
 * MessageChannel message in browsers (setTimeout(0) would be clamped to 4 ms per step after a few nested calls).
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Gradient kernels that training each kind of layer needs beyond what every backend has. */
const GRADIENT_KERNELS: Record<string, string[]> = {
  Conv2D: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  DepthwiseConv2D: ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
};

/**
 * Fails early, with the fix in the message, when a trainable layer needs a gradient kernel the current backend lacks
 * (tfjs-backend-wasm 4.22 has no conv filter gradients, so fine-tuning conv blocks on wasm needs
 * installWasmConvGradients() from src/ml/kernels first).
 */
export function assertTrainableOnBackend(model: tf.LayersModel): void {
  const backend = tf.getBackend();
  let trainableBefore = false; // the first trainable layer needs no gradient with respect to its input
  for (const layer of model.layers) {
    if (!layer.trainable || layer.countParams() === 0) continue;
    const kernels = GRADIENT_KERNELS[layer.getClassName()] ?? [];
    for (const kernel of trainableBefore ? kernels : kernels.slice(0, 1)) {
      if (!tf.getKernel(kernel, backend)) {
        throw new Error(
          `layer ${layer.name} cannot train on the ${backend} backend: it has no ${kernel} kernel. ` +
            (backend === 'wasm' ? 'Call installWasmConvGradients() (src/ml/kernels) first, or ' : '') +
            'freeze at a later layer.',
        );
      }
    }
    trainableBefore = true;
  }
}

/** The learning rate of step `step` of `steps` under cosine decay: `base` at the start, falling smoothly to 0. */
export function cosineRate(base: number, step: number, steps: number): number {
  return 0.5 * base * (1 + Math.cos((Math.PI * step) / Math.max(1, steps)));
}

/** Changes an optimizer's learning rate between steps (tfjs has setLearningRate on SGD only; Adam reads a field). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}
