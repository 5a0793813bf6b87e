/**
 * The training schedule and seeding, the pure parts (src/ml/train-support.ts, seeded.ts): exact values on
 * hand-made inputs. train-loop.test.ts checks that the training loop really uses them.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { coinFlips, deriveSeed, mulberry32, shuffledIndices } from '../../src/ml/seeded';
import { assertTrainableOnBackend, cosineRate, setLearningRate, yieldToEventLoop } from '../../src/ml/train-support';
import { useWasmBackend } from '../../src/platform/node';

describe('cosineRate, exact values', () => {
  it('falls from the base rate to 0 along a half cosine', () => {
    expect(cosineRate(0.1, 0, 4)).toBe(0.1);
    expect(cosineRate(0.1, 1, 4)).toBeCloseTo(0.05 * (1 + Math.SQRT1_2), 15);
    expect(cosineRate(0.1, 2, 4)).toBeCloseTo(0.05, 15);
    expect(cosineRate(0.1, 3, 4)).toBeCloseTo(0.05 * (1 - Math.SQRT1_2), 15);
    expect(cosineRate(0.1, 4, 4)).toBe(0);
    expect(cosineRate(2, 1, 2)).toBeCloseTo(1, 15);
  });

  it('treats a run of 0 steps as 1 step', () => {
    expect(cosineRate(0.1, 0, 0)).toBe(0.1);
    expect(cosineRate(0.1, 1, 0)).toBe(0);
  });
});

describe('setLearningRate', () => {
  it('changes the rate of SGD (setLearningRate) and of Adam (its field)', () => {
    const sgd = tf.train.sgd(0.1);
    setLearningRate(sgd, 0.025);
    expect((sgd as unknown as { learningRate: number }).learningRate).toBe(0.025);
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.003);
    expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.003);
    sgd.dispose();
    adam.dispose();
  });

  it('makes the next SGD step use the new rate (not only the field)', () => {
    const w = tf.variable(tf.scalar(10));
    const sgd = tf.train.sgd(1);
    setLearningRate(sgd, 0.25);
    sgd.minimize(() => w.mul(2) as tf.Scalar, false, [w]); // gradient 2: w moves by 2 · rate
    expect(w.dataSync()[0]).toBe(9.5);
    w.dispose();
    sgd.dispose();
  });
});

describe('seeded choices, exact values', () => {
  it('mulberry32 is the published generator (Tommy Ettinger), value for value', () => {
    // The reference, as published: the photo split and every checkpoint depend on this exact stream.
    function reference(seed: number): () => number {
      let a = seed;
      return () => {
        let t = (a += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    for (const seed of [0, 1, 42, 20240607, 2 ** 31 + 5]) {
      const ours = mulberry32(seed),
        theirs = reference(seed);
      for (let i = 0; i < 100; i++) expect(ours()).toBe(theirs());
    }
  });

  it('shuffles by Fisher–Yates on the mulberry32 stream of the seed', () => {
    const random = mulberry32(42);
    const expected = [0, 1, 2, 3, 4, 5, 6];
    for (let i = 6; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [expected[i], expected[j]] = [expected[j]!, expected[i]!];
    }
    expect(shuffledIndices(7, 42)).toEqual(expected);
    expect([...shuffledIndices(50, 3)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffledIndices(50, 3)).not.toEqual(shuffledIndices(50, 4));
    expect(shuffledIndices(1, 9)).toEqual([0]);
    expect(shuffledIndices(0, 9)).toEqual([]);
  });

  it('flips a coin per photo: below 0.5 on the mulberry32 stream', () => {
    const random = mulberry32(8);
    expect(coinFlips(20, 8)).toEqual(Array.from({ length: 20 }, () => random() < 0.5));
  });

  it('derives distinct seeds from a seed and counters, where adding them would collide', () => {
    expect(deriveSeed(7)).toBe(7);
    expect(deriveSeed(-1)).toBe(2 ** 32 - 1);
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
    expect(deriveSeed(7, 3)).not.toBe(deriveSeed(10, 0));
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 0, 1)).not.toBe(deriveSeed(1, 0));
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(5, i)));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  // Seeds and counters must not trade places: XORing the first counter into the raw seed once made (5, 1) = (4, 0).
  it('keeps seed s epoch e apart from seed s ^ e epoch 0', () => {
    for (const [s, e] of [
      [5, 1],
      [7, 3],
      [3, 7],
      [0, 9],
    ] as const)
      expect(deriveSeed(s, e)).not.toBe(deriveSeed(s ^ e, 0));
  });
});

describe('yieldToEventLoop', () => {
  const g = globalThis as { setImmediate?: unknown; MessageChannel?: unknown };
  const saved = { setImmediate: g.setImmediate, MessageChannel: g.MessageChannel };
  afterEach(() => Object.assign(g, saved));

  /** Whether a macrotask queued before the yield has run when it resolves (a microtask would not let it). */
  async function letsATaskRun(queue: (f: () => void) => void): Promise<boolean> {
    let ran = false;
    queue(() => (ran = true));
    await yieldToEventLoop();
    return ran;
  }

  it('lets the event loop run: with setImmediate (Node), MessageChannel (browsers) or setTimeout', async () => {
    expect(await letsATaskRun((f) => setImmediate(f))).toBe(true);
    g.setImmediate = undefined; // as in a browser
    const channel = new MessageChannel();
    expect(await letsATaskRun((f) => ((channel.port1.onmessage = f), channel.port2.postMessage(null)))).toBe(true);
    channel.port1.close();
    g.MessageChannel = undefined;
    expect(await letsATaskRun((f) => setTimeout(f, 0))).toBe(true);
  });
});

describe('assertTrainableOnBackend', () => {
  /** input → conv c1 → conv c2 → ReLU → pooling → dense, each conv trainable or frozen as asked. */
  function convModel(c1: boolean, c2: boolean, depthwise = false, reluFirst = false): tf.LayersModel {
    const input = tf.input({ shape: [8, 8, 2] });
    const start = reluFirst ? (tf.layers.reLU({ name: 'r0' }).apply(input) as tf.SymbolicTensor) : input;
    let h = tf.layers
      .conv2d({ filters: 2, kernelSize: 3, name: 'c1', trainable: c1 })
      .apply(start) as tf.SymbolicTensor;
    const second = depthwise
      ? tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'c2', trainable: c2 })
      : tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c2', trainable: c2 });
    h = second.apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: 'r1' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    return tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2, name: 'out' }).apply(h) as tf.SymbolicTensor,
    });
  }

  /** Runs `check` with the named kernels of `backend` unregistered, then puts them back. */
  function without(backend: string, kernels: string[], check: () => void): void {
    const saved = kernels.map((name) => tf.getKernel(name, backend)!);
    saved.forEach((k) => tf.unregisterKernel(k.kernelName, backend));
    try {
      check();
    } finally {
      saved.forEach((k) => tf.registerKernel(k));
    }
  }

  it('names the layer and the missing filter-gradient kernel, with the fix on wasm', async () => {
    await useWasmBackend();
    without('wasm', ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'], () => {
      expect(() => assertTrainableOnBackend(convModel(true, true))).toThrow(
        'layer c1 cannot train on the wasm backend: it has no Conv2DBackpropFilter kernel. ' +
          'Call installWasmConvGradients() (src/ml/kernels) first, or freeze at a later layer.',
      );
      expect(() => assertTrainableOnBackend(convModel(false, true, true))).toThrow(
        'layer c2 cannot train on the wasm backend: it has no DepthwiseConv2dNativeBackpropFilter kernel.',
      );
      // Frozen convs and layers without weights (the ReLU) need no gradient kernel: the dense head trains anywhere.
      expect(() => assertTrainableOnBackend(convModel(false, false))).not.toThrow();
    });
    expect(() => assertTrainableOnBackend(convModel(true, true))).not.toThrow();
    expect(() => assertTrainableOnBackend(convModel(true, true, true))).not.toThrow();
  });

  it('asks for the input gradient only of a layer with a trainable layer before it', async () => {
    await useWasmBackend();
    without('wasm', ['Conv2DBackpropInput'], () => {
      // c1 is the first trainable layer: nothing before it needs the gradient with respect to its input.
      expect(() => assertTrainableOnBackend(convModel(true, false))).not.toThrow();
      expect(() => assertTrainableOnBackend(convModel(false, true))).not.toThrow();
      expect(() => assertTrainableOnBackend(convModel(true, true))).toThrow(
        'layer c2 cannot train on the wasm backend: it has no Conv2DBackpropInput kernel.',
      );
      // A trainable layer without weights (a ReLU) before c1 has nothing to train: c1 is still the first.
      expect(() => assertTrainableOnBackend(convModel(true, false, false, true))).not.toThrow();
    });
    without('wasm', ['DepthwiseConv2dNativeBackpropInput'], () => {
      expect(() => assertTrainableOnBackend(convModel(true, true, true))).toThrow(
        'layer c2 cannot train on the wasm backend: it has no DepthwiseConv2dNativeBackpropInput kernel.',
      );
    });
  });

  it('gives no wasm advice on another backend', async () => {
    await tf.setBackend('cpu');
    expect(() => assertTrainableOnBackend(convModel(true, true))).not.toThrow();
    without('cpu', ['Conv2DBackpropFilter'], () => {
      expect(() => assertTrainableOnBackend(convModel(true, true))).toThrow(
        /^layer c1 cannot train on the cpu backend: it has no Conv2DBackpropFilter kernel\. freeze at a later layer\.$/,
      );
    });
  });
});
