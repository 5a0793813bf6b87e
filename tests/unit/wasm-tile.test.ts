/**
 * The broadcast Tile on wasm must give exactly what tfjs's reference cpu Tile gives, for the batch-norm gradient's
 * tiling and for awkward shapes, hand other dtypes to wasm's own kernel, and leave nothing behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmFastTile, tileAsBroadcast } from '../../src/ml/kernels/wasm-tile';
import { useWasmBackend } from '../../src/platform/node';

function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (Math.sin(seed * 1000 + i * 12.9898) * 43758.5453) % 1;
  return out;
}

async function tileOn(
  backend: string,
  shape: number[],
  reps: number[],
  dtype: 'float32' | 'int32' | 'bool',
): Promise<ArrayLike<number>> {
  await tf.setBackend(backend);
  const tiled = tf.tidy(() => {
    const size = shape.reduce((a, b) => a * b, 1);
    const raw = values(size, shape.length + reps.length);
    const x =
      dtype === 'float32'
        ? tf.tensor(raw, shape)
        : dtype === 'int32'
          ? tf.tensor(
              Int32Array.from(raw, (v) => Math.round(v * 1000)),
              shape,
              'int32',
            )
          : tf.tensor(
              Uint8Array.from(raw, (v) => (v > 0 ? 1 : 0)),
              shape,
              'bool',
            );
    return tf.tile(x, reps);
  });
  const result = Array.from(tiled.dataSync());
  tiled.dispose();
  return result;
}

describe('fast Tile on wasm', () => {
  let cpuTile: tf.KernelFunc | undefined;
  beforeAll(async () => {
    cpuTile = tf.getKernel('Tile', 'cpu')?.kernelFunc;
    await useWasmBackend(); // installs the wasm training kernels, the fast Tile among them
  });

  it('installs once, for wasm only', () => {
    expect(tf.getKernel('Tile', 'wasm')?.kernelFunc).not.toBe(undefined);
    expect(installWasmFastTile()).toBe(false);
    expect(tf.getKernel('Tile', 'cpu')?.kernelFunc).toBe(cpuTile);
  });

  it("plans the batch norm gradient's tiling as one small broadcast", () => {
    expect(tileAsBroadcast([1, 1, 1, 128], [16, 7, 7, 1])).toEqual({ from: [1, 128], to: [784, 128] });
    expect(tileAsBroadcast([2, 3], [1, 1])).toEqual({ from: [6], to: [6] });
    expect(tileAsBroadcast([2, 3, 4, 5], [2, 2, 2, 2])).toBeNull(); // 8 alternating axes: left to wasm's Tile
  });

  it.each([
    [[1, 1, 1, 8], [4, 6, 6, 1], 'float32'],
    [[3], [4], 'float32'],
    [[2, 3], [3, 2], 'float32'],
    [[2, 1, 3], [1, 5, 2], 'float32'],
    [[2, 3, 4], [2, 2, 2], 'float32'],
    [[2, 3, 4, 5], [2, 2, 2, 2], 'float32'], // too many axes: wasm's own Tile
    [[1, 2, 1, 3, 1], [2, 1, 3, 1, 2], 'float32'],
    [[2, 3], [2, 2], 'int32'],
    [[2, 3], [2, 2], 'bool'],
  ] as const)('tiles %j by %j (%s) exactly as the cpu backend', async (shape, reps, dtype) => {
    const expected = Array.from(await tileOn('cpu', [...shape], [...reps], dtype));
    await tf.setBackend('wasm');
    const wasm = tf.findBackend('wasm')!;
    const tensors = tf.memory().numTensors;
    const buffers = wasm.numDataIds();
    expect(Array.from(await tileOn('wasm', [...shape], [...reps], dtype))).toEqual(expected);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasm.numDataIds()).toBe(buffers);
  });

  it("gives batch norm (training mode) the cpu backend's gradients", async () => {
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(values(4 * 5 * 5 * 6, 1), [4, 5, 5, 6]);
        const gamma = tf.tensor1d(values(6, 2)).add(1);
        const beta = tf.tensor1d(values(6, 3));
        const r = tf.tensor4d(values(4 * 5 * 5 * 6, 4), [4, 5, 5, 6]);
        // What a BatchNormalization layer computes in training: normalise with the batch's own moments.
        const f = (...[xx, g, b]: tf.Tensor[]) => {
          const { mean, variance } = tf.moments(xx!, [0, 1, 2]);
          return tf.batchNorm(xx!, mean, variance, b, g, 1e-3).mul(r).sum();
        };
        return tf
          .grads(f)([x, gamma, beta])
          .map((t) => Array.from(t.dataSync()));
      });
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    cpu.forEach((expected, i) => expected.forEach((v, j) => expect(wasm[i]![j]).toBeCloseTo(v, 4)));
  });
});
