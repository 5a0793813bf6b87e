/**
 * Everything the wasm backend needs to train MobileNet: the three conv-gradient kernels tfjs-backend-wasm lacks (and
 * a faster channels-last Conv2DBackpropInput), plus a broadcast-based Tile that BatchNorm's gradient leans on.
 *
 * Call once, after `@tensorflow/tfjs-backend-wasm` is imported (importing it later re-registers its own slower
 * Conv2DBackpropInput). Idempotent; other backends are untouched.
 */
import { installWasmConvGradients } from './wasm-conv-grads';
import { installWasmFastTile } from './wasm-tile';

/** Registers the wasm training kernels; returns the names of those newly registered. */
export function installWasmTrainingKernels(): string[] {
  const names = installWasmConvGradients();
  if (installWasmFastTile()) names.push('Tile');
  return names;
}
