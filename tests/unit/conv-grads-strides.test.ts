/**
 * The composed wasm conv-gradient kernels (src/ml/kernels) with NON-square strides. MobileNet only uses strides 1
 * and 2 in both axes, so wasm-conv-grads.test.ts cannot tell the height stride from the width stride: a kernel that
 * swapped them would pass there. Here every conv kind runs with strides [1, 2], [2, 1] and [2, 3] on non-square
 * inputs, with square and non-square filters, and its input and filter gradients must match tfjs's reference cpu
 * backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmConvGradients } from '../../src/ml/kernels/wasm-conv-grads';
import { randomValues, relativeError } from '../helpers/numeric';
import { useWasmBackend } from '../../src/platform/node';

type Kind = 'conv3x3' | 'conv1x3' | 'conv3x1' | 'depthwise3x3' | 'depthwise3x3x2' | 'depthwise1x3';
/** tf.conv2d's explicit padding: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
type Explicit = [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  kind: Kind;
  strides: [number, number];
  pad: 'same' | 'valid' | Explicit;
}

/** Filter shapes: square 3×3 ones and non-square 1×3 and 3×1 ones (which must be flipped in one axis only). */
const FILTERS: Record<Kind, [number, number, number, number]> = {
  conv3x3: [3, 3, 2, 3],
  conv1x3: [1, 3, 2, 3],
  conv3x1: [3, 1, 2, 3],
  depthwise3x3: [3, 3, 2, 1],
  depthwise3x3x2: [3, 3, 2, 2],
  depthwise1x3: [1, 3, 2, 2],
};
const filterShape = (kind: Kind) => FILTERS[kind];

/** Gradients of Σ conv(x, w)·r with respect to x and w on `backend` (r random, so every dy value matters). */
async function gradients(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xShape: [number, number, number, number] = [2, 9, 11, 2];
  const wShape = filterShape(c.kind);
  const conv = (x: tf.Tensor4D, w: tf.Tensor4D) =>
    c.kind.startsWith('conv')
      ? tf.conv2d(x, w, c.strides, c.pad)
      : tf.depthwiseConv2d(x, w, c.strides, c.pad as 'same' | 'valid');
  return tf.tidy(() => {
    const x = tf.tensor4d(
      randomValues(
        xShape.reduce((p, d) => p * d),
        1,
      ),
      xShape,
    );
    const w = tf.tensor4d(
      randomValues(
        wShape.reduce((p, d) => p * d),
        2,
      ),
      wShape,
    );
    const outShape = conv(x, w).shape;
    const r = tf.tensor(
      randomValues(
        outShape.reduce((p, d) => p * d),
        3,
      ),
      outShape,
    );
    const [dx, dw] = tf.grads((...[a, b]: tf.Tensor[]) =>
      conv(a as tf.Tensor4D, b as tf.Tensor4D)
        .mul(r)
        .sum(),
    )([x, w]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

const CASES: Case[] = (
  ['conv3x3', 'conv1x3', 'conv3x1', 'depthwise3x3', 'depthwise3x3x2', 'depthwise1x3'] as const
).flatMap((kind) =>
  (
    [
      [1, 2],
      [2, 1],
      [2, 3],
    ] as [number, number][]
  ).flatMap((strides) => (['same', 'valid'] as const).map((pad) => ({ kind, strides, pad }))),
);

beforeAll(async () => {
  await useWasmBackend();
  installWasmConvGradients();
});

/** The wasm input and filter gradients of case `c` equal the reference cpu backend's. */
async function matchesCpu(c: Case): Promise<void> {
  const [cpuDx, cpuDw] = await gradients('cpu', c);
  const [wasmDx, wasmDw] = await gradients('wasm', c);
  expect(relativeError(wasmDx!, cpuDx!), 'dx').toBeLessThan(1e-5);
  expect(relativeError(wasmDw!, cpuDw!), 'dw').toBeLessThan(1e-5);
}

describe('wasm conv gradients with non-square strides', () => {
  it.each(CASES)('$kind strides $strides $pad match the cpu backend', matchesCpu);
});

/**
 * Explicit padding wider than the filter (tf.conv2d's [[0, 0], [top, bottom], [left, right], [0, 0]]; Keras layers
 * only pad 'same' or 'valid', but a cell may call tf.conv2d itself): the transposed conv's frame then starts by
 * cropping rows or columns of the spread dy instead of padding them, at the start of the axis as well as the end.
 */
const EXPLICIT: Case[] = [
  {
    kind: 'conv1x3',
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 1],
      [0, 0],
      [0, 0],
    ],
  },
  {
    kind: 'conv1x3',
    strides: [2, 1],
    pad: [
      [0, 0],
      [3, 0],
      [4, 1],
      [0, 0],
    ],
  },
  {
    kind: 'conv3x3',
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 3],
      [3, 0],
      [0, 0],
    ],
  },
];

describe('wasm conv gradients with explicit padding wider than the filter', () => {
  it.each(EXPLICIT)('$kind strides $strides pad $pad match the cpu backend', matchesCpu);
});
