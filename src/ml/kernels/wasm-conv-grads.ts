/**
 * Makes convolutions trainable on the wasm backend.
 *
 * tfjs-backend-wasm 4.22 runs convolutions forward (XNNPACK) and has Conv2DBackpropInput, but it has no kernel
 * for three of the four conv gradients: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 * DepthwiseConv2dNativeBackpropInput. tfjs's gradient functions (for Conv2D, DepthwiseConv2dNative and the fused
 * conv ops that tfjs-layers uses) call exactly those kernels, so any training that reaches a conv layer throws
 * "Cannot find registered kernel … for backend 'wasm'".
 *
 * We register the missing *kernels* (not new gradient functions): tfjs's own gradients stay in charge, every path
 * that needs these kernels — plain, fused, tfjs-layers — is covered at once, and other backends are untouched
 * because a kernel is registered for one backend name only. Each kernel is built from kernels wasm does have
 * (pad, slice, transpose, matmul, multiply, sum, reverse, forward convs); see kernel-composer.ts.
 *
 * We also take over wasm's Conv2DBackpropInput for channels-last data: wasm's own is a plain loop ~12× slower
 * than expressing the same gradient as an XNNPACK forward conv (conv2d-backprop-input.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';

/** The backend these kernels are installed for. */
const BACKEND = 'wasm';

/** The kernels wasm lacks, each with the factory for our composed replacement. */
const MISSING_KERNELS: ReadonlyArray<readonly [string, (backendName: string) => tf.KernelConfig]> = [
  ['Conv2DBackpropFilter', conv2dBackpropFilterConfig],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterConfig],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputConfig],
];

/** Kernel functions this module registered, so a second install recognises its own work. */
const ours = new WeakSet<tf.KernelFunc>();

/**
 * Registers the composed conv-gradient kernels for the wasm backend and returns the names of the kernels it
 * registered. Idempotent: a second call returns []. A missing kernel that is already registered for wasm — by a
 * future tfjs-backend-wasm, say — is left alone. Call it after `@tensorflow/tfjs-backend-wasm` has been imported
 * (importing registers wasm's kernels; one imported later would re-register its own Conv2DBackpropInput over ours,
 * with a warning); before or after the backend is initialised makes no difference. It does not import the backend.
 */
export function installWasmConvGradients(): string[] {
  const installed: string[] = [];
  for (const [kernelName, makeConfig] of MISSING_KERNELS) {
    if (tf.getKernel(kernelName, BACKEND) != null) continue;
    const config = makeConfig(BACKEND);
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
    installed.push(kernelName);
  }
  const native = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (native == null || !ours.has(native.kernelFunc)) {
    // Replace, keeping the native kernel for channels-first data and its setup (wasm runs each registered
    // kernel's setupFunc when the backend initialises, which may still be to come).
    if (native != null) tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
    const config = conv2dBackpropInputConfig(BACKEND, native);
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
    installed.push('Conv2DBackpropInput');
  }
  return installed;
}
