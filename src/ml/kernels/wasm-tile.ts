/**
 * A fast Tile for the wasm backend — the bottleneck of training BatchNormalization layers there.
 *
 * tfjs's gradient of a batch norm tiles 1/√(variance + ε) from [C] up to the activations' full [N, H, W, C]
 * shape before multiplying. wasm's Tile kernel computes every output element's source index one by one,
 * ~12 ms per 100k floats here: a third of a last-two-blocks training step and ~40% of a whole-MobileNet step.
 *
 * Tiling is broadcasting in disguise. Tiling axis k of size d by r gives r·d values that, viewed as [r, d], repeat
 * the d values r times; so reshape x with a size-1 axis in front of each tiled axis, broadcast that against the
 * [r, d] shape, and read the result back as [r·d]. We let wasm's (XNNPACK) Multiply do the broadcast against ones —
 * 1·x is exactly x, also for −0, ∞ and NaN. Adjacent axes of the same kind are merged, as XNNPACK takes ≤ 6 axes;
 * float32 only. Anything else goes to wasm's own Tile.
 */
import * as tf from '@tensorflow/tfjs';
import { composedKernel, type KernelComposer } from './kernel-composer';

/** Most axes XNNPACK broadcasts over. */
const MAX_AXES = 6;

/**
 * The broadcast that tiles `shape` by `reps`: x viewed as `from`, broadcast to `to` (same length, to[i] = from[i]
 * or from[i] = 1), or null when it needs more than MAX_AXES axes.
 */
export function tileAsBroadcast(
  shape: readonly number[],
  reps: readonly number[],
): { from: number[]; to: number[] } | null {
  const from: number[] = [];
  const to: number[] = [];
  const push = (f: number, t: number) => {
    if (t === 1) return; // a size-1 axis changes nothing
    const last = from.length - 1;
    const sameKind = last >= 0 && (from[last] === 1) === (f === 1) && (from[last] === to[last]) === (f === t);
    if (sameKind) {
      // merge into the previous axis: both repeated, or both copied as they are
      from[last] = from[last]! * f;
      to[last] = to[last]! * t;
    } else {
      from.push(f);
      to.push(t);
    }
  };
  shape.forEach((d, i) => {
    const r = reps[i]!;
    if (r !== 1) push(1, r);
    push(d, d);
  });
  if (from.length === 0) return { from: [1], to: [1] };
  return from.length <= MAX_AXES ? { from, to } : null;
}

function tile(
  k: KernelComposer,
  x: tf.TensorInfo,
  reps: number[],
  plan: { from: number[]; to: number[] },
): tf.TensorInfo {
  const ones = k.run('Fill', {}, { shape: plan.to, value: 1, dtype: 'float32' });
  const product = k.run('Multiply', { a: k.reshape(x, plan.from), b: ones });
  return k.reshape(
    product,
    x.shape.map((d, i) => d * reps[i]!),
  );
}

/** Kernel functions this module registered, so a second install recognises its own work. */
const ours = new WeakSet<tf.KernelFunc>();

/**
 * Replaces wasm's Tile kernel with the broadcast version for float32 tensors (others, and tilings needing more than
 * six axes, still go to wasm's own). Returns true if it installed, false if already installed (idempotent) or if
 * the wasm backend is not registered. Other backends are untouched.
 */
export function installWasmFastTile(): boolean {
  const native = tf.getKernel('Tile', 'wasm');
  if (native == null || ours.has(native.kernelFunc)) return false;
  const composed = composedKernel('Tile', 'wasm', (k, inputs, attrs) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const reps = (attrs as unknown as { reps: number[] }).reps;
    return tile(k, x, reps, tileAsBroadcast(x.shape, reps)!);
  });
  const config: tf.KernelConfig = {
    ...native,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const reps = (args.attrs as unknown as { reps: number[] }).reps;
      const fast = x.dtype === 'float32' && tileAsBroadcast(x.shape, reps) != null;
      return fast ? composed.kernelFunc(args) : native.kernelFunc(args);
    },
  };
  tf.unregisterKernel('Tile', 'wasm');
  tf.registerKernel(config);
  ours.add(config.kernelFunc);
  return true;
}
