/**
 * The composed wasm conv-gradient kernels must give the gradients tfjs's reference cpu backend gives: on random
 * convolutions of every shape MobileNet uses (1×1 and 3×3 convs, 3×3 depthwise, strides 1 and 2, 'same' and
 * 'valid', odd and even sizes), and on a real training step of MobileNet's last two blocks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../../src/ml/image';
import { installWasmConvGradients } from '../../src/ml/kernels/wasm-conv-grads';
import { randomValues, relativeError } from '../helpers/numeric';
import { nodeModelIO, readPhoto, useWasmBackend } from '../../src/platform/node';

type ConvKind = 'conv1x1' | 'conv3x3' | 'depthwise3x3' | 'depthwise3x3x2';
interface ConvCase {
  kind: ConvKind;
  stride: 1 | 2;
  pad: 'same' | 'valid';
  height: number;
  width: number;
}

const BATCH = 2;
const IN_CHANNELS = 3;

function filterShape(kind: ConvKind): [number, number, number, number] {
  if (kind === 'conv1x1') return [1, 1, IN_CHANNELS, 4];
  if (kind === 'conv3x3') return [3, 3, IN_CHANNELS, 4];
  return [3, 3, IN_CHANNELS, kind === 'depthwise3x3x2' ? 2 : 1];
}

function forward(kind: ConvKind, x: tf.Tensor4D, w: tf.Tensor4D, c: ConvCase): tf.Tensor4D {
  return kind.startsWith('depthwise') ? tf.depthwiseConv2d(x, w, c.stride, c.pad) : tf.conv2d(x, w, c.stride, c.pad);
}

/**
 * Gradients of Σ conv(x, w)·r with respect to x and w on `backend`, as plain arrays: r is a random "upstream
 * gradient", so dy = r and every dy value matters (a loss like Σ conv would make dy all ones).
 */
async function convGradients(backend: string, c: ConvCase): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xShape: [number, number, number, number] = [BATCH, c.height, c.width, IN_CHANNELS];
  const wShape = filterShape(c.kind);
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
    const outShape = forward(c.kind, x, w, c).shape;
    const r = tf.tensor(
      randomValues(
        outShape.reduce((p, d) => p * d),
        3,
      ),
      outShape,
    );
    const [dx, dw] = tf.grads((...[a, b]: tf.Tensor[]) =>
      forward(c.kind, a as tf.Tensor4D, b as tf.Tensor4D, c)
        .mul(r)
        .sum(),
    )([x, w]);
    return [dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

const CASES: ConvCase[] = [];
for (const kind of ['conv1x1', 'conv3x3', 'depthwise3x3', 'depthwise3x3x2'] as const) {
  for (const stride of [1, 2] as const) {
    for (const pad of ['same', 'valid'] as const) {
      for (const [height, width] of [
        [7, 7],
        [8, 8],
        [9, 6],
      ] as const)
        CASES.push({ kind, stride, pad, height, width });
    }
  }
}

let cpuConv2dBackpropFilter: tf.KernelFunc | undefined;
beforeAll(async () => {
  cpuConv2dBackpropFilter = tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc;
  await useWasmBackend();
  installWasmConvGradients();
});

describe('conv gradients on wasm', () => {
  it('are installed once, for wasm only', () => {
    expect(installWasmConvGradients()).toEqual([]);
    for (const name of [
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ]) {
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
    expect(cpuConv2dBackpropFilter).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).toBe(cpuConv2dBackpropFilter);
  });

  it.each(CASES)('$kind stride $stride $pad on $height×$width match the cpu backend', async (c) => {
    const [cpuDx, cpuDw] = await convGradients('cpu', c);
    await tf.setBackend('wasm');
    const wasm = tf.findBackend('wasm')!;
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = wasm.numDataIds();
    const [wasmDx, wasmDw] = await convGradients('wasm', c);
    expect(relativeError(wasmDx!, cpuDx!), 'dx').toBeLessThan(1e-5);
    expect(relativeError(wasmDw!, cpuDw!), 'dw').toBeLessThan(1e-5);
    // Neither engine tensors nor backend buffers (our kernels' intermediates) may be left behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(wasm.numDataIds()).toBe(buffersBefore);
  });

  it('covers the fused conv ops tfjs-layers uses (bias, linear activation)', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(randomValues(2 * 9 * 9 * 4, 5), [2, 9, 9, 4]);
        const w = tf.tensor4d(randomValues(3 * 3 * 4 * 6, 6), [3, 3, 4, 6]);
        const dw = tf.tensor4d(randomValues(3 * 3 * 4, 7), [3, 3, 4, 1]);
        const b = tf.tensor1d(randomValues(6, 8));
        const db = tf.tensor1d(randomValues(4, 9));
        const f = (...[xx, ww, dd, bb, dbb]: tf.Tensor[]) => {
          const depthwise = tf.fused.depthwiseConv2d({
            x: xx as tf.Tensor4D,
            filter: dd as tf.Tensor4D,
            strides: 2,
            pad: 'same',
            bias: dbb,
          });
          return tf.fused
            .conv2d({ x: depthwise, filter: ww as tf.Tensor4D, strides: 1, pad: 'same', bias: bb })
            .square()
            .sum();
        };
        return tf
          .grads(f)([x, w, dw, b, db])
          .map((g) => g.dataSync() as Float32Array);
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    cpu.forEach((expected, i) => expect(relativeError(wasm[i]!, expected), `gradient ${i}`).toBeLessThan(1e-5));
  });

  it("leave channels-first input gradients to wasm's own Conv2DBackpropInput", async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const dy = tf.tensor4d(randomValues(2 * 4 * 4 * 5, 12), [2, 4, 4, 5]); // NCHW: 4 channels, 4×5
        const filter = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 13), [3, 3, 3, 4]);
        return (
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy, filter },
              { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 8, 9] },
            ) as tf.Tensor
        ).dataSync() as Float32Array;
      });
    };
    const cpu = await run('cpu');
    expect(relativeError(await run('wasm'), cpu)).toBeLessThan(1e-5);
  });

  it('refuse dilation and channels-first data with a clear error', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const x = tf.zeros([1, 8, 8, 3]);
      const dy = tf.zeros([1, 8, 8, 3]);
      expect(() =>
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'same', dilations: 2, filterShape: [3, 3, 3, 1] },
          ),
      ).toThrow(/dilation rates other than 1/);
      expect(() =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 3] },
          ),
      ).toThrow(/channels-last/);
    });
  });
});

/** MobileNet's last two blocks, conv_dw_12 … conv_pw_13_relu, on their own input, with a 3-class head. */
function lastTwoBlocksWithHead(base: tf.LayersModel): tf.LayersModel {
  const first = base.layers.findIndex((l) => l.name === 'conv_dw_12');
  const last = base.layers.findIndex((l) => l.name === 'conv_pw_13_relu');
  const input = tf.input({ shape: [14, 14, 128] });
  let y: tf.SymbolicTensor = input;
  for (const layer of base.layers.slice(first, last + 1)) y = layer.apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
  const head = tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' });
  const output = head.apply(y) as tf.SymbolicTensor;
  tf.tidy(() => head.setWeights([tf.tensor2d(randomValues(256 * 3, 11), [256, 3]).mul(0.1), tf.zeros([3])]));
  return tf.model({ inputs: input, outputs: output });
}

const PHOTOS = [
  'cat/Egyptian_Mau_10.jpg',
  'cat/Siamese_108.jpg',
  'dog/beagle_10.jpg',
  'dog/pug_112.jpg',
  'other/other_tfjs_coffee.jpg',
  'cat/Abyssinian_101.jpg',
];
const LABELS = [0, 0, 1, 1, 2, 0];

describe("training MobileNet's last two blocks on wasm", () => {
  it('takes the same SGD step as the cpu backend (trainOnBatch, fused convs, BN in training mode)', async () => {
    await tf.setBackend('wasm');
    const wasm = tf.findBackend('wasm')!;
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = wasm.numDataIds();

    // The blocks' real input: conv_pw_11_relu activations of real photos, computed once, as plain arrays.
    const base = await tf.loadLayersModel(nodeModelIO());
    const cut = tf.model({ inputs: base.inputs, outputs: base.getLayer('conv_pw_11_relu').output });
    const images = await Promise.all(PHOTOS.map(readPhoto));
    const features = tf.tidy(() => (cut.predict(imagesToBatch(images)) as tf.Tensor).dataSync() as Float32Array);
    base.dispose(); // also disposes `cut`, which only re-uses base's layers

    async function step(backend: string): Promise<{ before: Float32Array[]; after: Float32Array[]; names: string[] }> {
      await tf.setBackend(backend);
      const model = await tf.loadLayersModel(nodeModelIO());
      const tail = lastTwoBlocksWithHead(model);
      tail.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
      const names = tail.weights.map((w) => w.originalName);
      const before = tail.weights.map((w) => w.read().dataSync() as Float32Array);
      const x = tf.tensor4d(features, [PHOTOS.length, 14, 14, 128]);
      const y = tf.tidy(() => tf.oneHot(LABELS, 3).toFloat());
      await tail.trainOnBatch(x, y);
      const after = tail.weights.map((w) => w.read().dataSync() as Float32Array);
      tf.dispose([x, y]);
      tail.optimizer.dispose();
      tail.dispose(); // the last two blocks were applied twice (in model and tail): each model releases its use
      model.dispose();
      return { before, after, names };
    }
    const cpu = await step('cpu');
    const onWasm = await step('wasm');

    expect(onWasm.names).toEqual(cpu.names);
    expect(cpu.names).toEqual(
      expect.arrayContaining([
        'conv_dw_12/depthwise_kernel',
        'conv_pw_12/kernel',
        'conv_dw_13/depthwise_kernel',
        'conv_pw_13/kernel',
        'conv_pw_13_bn/gamma',
        'head/kernel',
      ]),
    );
    cpu.names.forEach((name, i) => {
      expect(onWasm.before[i], `${name} starts equal`).toEqual(cpu.before[i]);
      const cpuDelta = cpu.after[i]!.map((v, j) => v - cpu.before[i]![j]!);
      const wasmDelta = onWasm.after[i]!.map((v, j) => v - onWasm.before[i]![j]!);
      // Every weight moved (trainable ones by SGD, BN moving statistics by their running average)…
      expect(Math.max(...cpuDelta.map(Math.abs)), `${name} moved`).toBeGreaterThan(0);
      // …and by the same amount on both backends (float32 summation order differs, hence the tolerance).
      expect(relativeError(wasmDelta, cpuDelta), `${name} update`).toBeLessThan(2e-3);
    });

    await tf.setBackend('wasm');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(wasm.numDataIds()).toBe(buffersBefore);
  });

  it("can train every layer of MobileNet with model.fit (conv1's 3×3 stride-2 filter gradient included)", async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const model = await tf.loadLayersModel(nodeModelIO());
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
    const before = model.trainableWeights.map((w) => w.read().dataSync().slice());
    const x = imagesToBatch(await Promise.all(PHOTOS.slice(0, 4).map(readPhoto)));
    const y = tf.tidy(() => tf.oneHot([285, 284, 162, 254], 1000).toFloat());
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    expect(Number.isFinite(history.history.loss![0] as number)).toBe(true);
    model.trainableWeights.forEach((w, i) => {
      const after = w.read().dataSync();
      const moved = after.some((v, j) => v !== before[i]![j]);
      expect(moved, `${w.originalName} changed`).toBe(true);
    });
    expect(model.trainableWeights.map((w) => w.originalName)).toContain('conv1/kernel');
    tf.dispose([x, y]);
    model.optimizer.dispose(); // the optimizer is not the model's to dispose (it holds its learning rate as a tensor)
    model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
