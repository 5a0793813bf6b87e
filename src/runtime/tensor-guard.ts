/**
 * Runaway tensors. `new Array(2 ** 32)` fails at once with a RangeError, but `tf.ones([30000, 30000])` does not:
 * tfjs fills 900 million values in a JavaScript loop *inside the library*, where no loop guard reaches, then asks
 * the backend for 3.6 GB more — the tab freezes for a minute or crashes, and every cell's state is lost with it.
 *
 * So the tensors a cell asks for are checked *before* anything is allocated, in two places:
 *
 * 1. The `tf` cells see is a thin Proxy over TensorFlow.js whose tensor *creators* (`zeros`, `ones`, `fill`,
 *    `random*`, `buffer`, `range`, `linspace`, `eye`, …) check the requested size first.
 * 2. The backend's `write` — every tensor an op produces is allocated through it, before the op computes — checks
 *    the output size, so `bigA.matMul(bigB)` is refused too.
 *
 * The limit, 2^27 values (537 MB of float32), is ~2× the whole photo set as one tensor (390 × 224 × 224 × 3 ≈ 59 M)
 * and far below what a tab can hold: no workbook exercise comes near it, and a tab survives it.
 */

/** Largest tensor a cell may create, in values. */
export const MAX_TENSOR_VALUES = 2 ** 27;

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 8 };

/** Throws a RangeError, in words, when `values` exceeds the limit. `what` names the call ("tf.ones([…])"). */
export function checkTensorSize(values: number, dtype: string, what: string): void {
  if (!(values > MAX_TENSOR_VALUES)) return; // also lets NaN through: tfjs reports bad shapes itself
  const gigabytes = (values * (BYTES[dtype] ?? 4)) / 1e9;
  throw new RangeError(
    `${what} would hold ${values.toLocaleString('en-US')} values (${gigabytes.toFixed(1)} GB as ${dtype}), more than ` +
      `this page can safely allocate: the workbook stops tensors above ${MAX_TENSOR_VALUES.toLocaleString('en-US')} ` +
      `values (${Math.round((MAX_TENSOR_VALUES * 4) / 1e6)} MB of float32). Use a smaller shape, or work in batches.`,
  );
}

/** The number of values of a shape (1 for a scalar); NaN for something that is not a shape. */
export function shapeSize(shape: unknown): number {
  if (!Array.isArray(shape)) return typeof shape === 'number' ? shape : NaN;
  return shape.reduce((n: number, d: unknown) => n * (typeof d === 'number' ? d : NaN), 1);
}

const describeShape = (shape: unknown) => (Array.isArray(shape) ? `[${shape.join(', ')}]` : String(shape));

/** tfjs creators whose first argument is the shape, and the argument holding the dtype (if any). */
const SHAPE_FIRST: Record<string, number | null> = {
  zeros: 1,
  ones: 1,
  fill: 2,
  buffer: 1,
  randomNormal: 3,
  randomStandardNormal: 1,
  randomUniform: 3,
  randomUniformInt: null,
  randomGamma: 3,
  truncatedNormal: 3,
};

/** Size and dtype a creator call asks for, or null when it does not say (then only the backend check applies). */
function requested(name: string, args: unknown[]): { size: number; dtype: string; what: string } | null {
  if (name in SHAPE_FIRST) {
    const dtypeAt = SHAPE_FIRST[name];
    const dtype = dtypeAt !== null && typeof args[dtypeAt!] === 'string' ? (args[dtypeAt!] as string) : 'float32';
    return { size: shapeSize(args[0]), dtype, what: `tf.${name}(${describeShape(args[0])})` };
  }
  if (name === 'range') {
    const [start, stop, step = 1] = args as number[];
    return {
      size: Math.ceil(Math.abs(((stop ?? 0) - (start ?? 0)) / (step || 1))),
      dtype: 'float32',
      what: `tf.range(${args.join(', ')})`,
    };
  }
  if (name === 'linspace') return { size: Number(args[2]), dtype: 'float32', what: `tf.linspace(${args.join(', ')})` };
  if (name === 'eye') {
    const [rows, columns = rows, batch = []] = args as [number, number?, number[]?];
    return { size: rows * (columns ?? rows) * shapeSize(batch), dtype: 'float32', what: `tf.eye(${args.join(', ')})` };
  }
  return null;
}

/**
 * The `tf` namespace as cells see it: the same object in every respect, except that tensor creators refuse sizes
 * above the limit before allocating. Everything else passes through untouched (classes stay the same, so
 * `instanceof tf.Tensor` still works).
 */
export function guardTfNamespace<T extends object>(tf: T): T {
  const wrapped = new Map<string, unknown>();
  return new Proxy(tf, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (
        typeof key !== 'string' ||
        typeof value !== 'function' ||
        !(key in SHAPE_FIRST || key === 'range' || key === 'linspace' || key === 'eye')
      )
        return value;
      let guard = wrapped.get(key);
      if (!guard) {
        const original = value as (...args: unknown[]) => unknown;
        guard = function (this: unknown, ...args: unknown[]) {
          const ask = requested(key, args);
          if (ask) checkTensorSize(ask.size, ask.dtype, ask.what);
          return original.apply(this, args);
        };
        wrapped.set(key, guard);
      }
      return guard;
    },
  });
}

/** A tfjs backend's allocation entry point. */
export interface WritableBackend {
  write(values: unknown, shape: number[], dtype: string): unknown;
}

const GUARDED = Symbol.for('transfer-learning-workbook.guarded-write');

/** Makes a backend refuse outputs above the limit before allocating them (idempotent). */
export function guardBackendWrites(backend: WritableBackend): void {
  const b = backend as WritableBackend & { [GUARDED]?: true };
  if (b[GUARDED]) return;
  const write = b.write.bind(b);
  b.write = (values, shape, dtype) => {
    checkTensorSize(shapeSize(shape), dtype, `A tensor of shape ${describeShape(shape)}`);
    return write(values, shape, dtype);
  };
  b[GUARDED] = true;
}
