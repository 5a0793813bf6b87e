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
 * (pad, strided slice, concat, matmul, multiply, sum, reverse, forward depthwise conv); see kernel-composer.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';

/** The backend these kernels are installed for. */
const BACKEND = 'wasm';

/** The kernels wasm lacks, each with the factory for our composed replacement. */
const MISSING_KERNELS: ReadonlyArray<readonly [string, (backendName: string) => tf.KernelConfig]> = [
  ['Conv2DBackpropFilter', conv2dBackpropFilterConfig],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterConfig],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputConfig],
];

/**
 * Registers the composed conv-gradient kernels for the wasm backend, and returns the names of the kernels it
 * registered. Idempotent: a kernel that is already registered for wasm — by an earlier call, or natively by a
 * future tfjs-backend-wasm — is left alone (so a second call returns []). Safe to call before or after the wasm
 * backend is initialised; it does not import or initialise the backend itself.
 */
export function installWasmConvGradients(): string[] {
  const installed: string[] = [];
  for (const [kernelName, makeConfig] of MISSING_KERNELS) {
    if (tf.getKernel(kernelName, BACKEND) != null) continue;
    tf.registerKernel(makeConfig(BACKEND));
    installed.push(kernelName);
  }
  return installed;
}
