/**
 * Building a missing kernel out of kernels a backend already has.
 *
 * A tfjs kernel receives TensorInfos (a data id, a shape and a dtype) and returns TensorInfos; it runs below the
 * engine, so it must not call tf ops (those would re-enter the engine, be tracked as tensors and, during training,
 * meet the gradient tape). Instead we call the backend's own registered kernel functions directly, exactly as the
 * backends compose their kernels internally, and free every intermediate result ourselves — the kernel-level
 * equivalent of `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** One composition: runs kernels on a backend and remembers every result so it can free the ones not returned. */
export class KernelComposer {
  private readonly made: TensorInfo[] = [];

  /**
   * @param backend the backend instance the outer kernel was called with (its data lives there)
   * @param backendName the name the inner kernels are registered under, e.g. 'wasm'
   * @param purpose what is being built, for error messages
   */
  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: string,
    private readonly purpose: string,
  ) {}

  /** Runs the backend's kernel `kernelName` and keeps its output for later disposal. */
  run(kernelName: string, inputs: TensorInfo[] | Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (kernel == null) {
      throw new Error(
        `${this.purpose}: the '${this.backendName}' backend has no '${kernelName}' kernel to build it from`,
      );
    }
    const out = kernel.kernelFunc({
      inputs: inputs as unknown as tf.NamedTensorInfoMap,
      attrs: attrs as tf.NamedAttrMap,
      backend: this.backend,
    });
    if (Array.isArray(out)) throw new Error(`${this.purpose}: kernel '${kernelName}' returned several outputs`);
    this.made.push(out);
    return out;
  }

  /** A view of `x` with another shape; shares x's data (the backend counts the extra reference). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /**
   * Frees every intermediate result except `result`, which is handed to the engine as the kernel's output.
   * A result that is a reshape of an intermediate shares its data: the backend's reference count keeps it alive.
   */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.made) if (t !== result) this.backend.disposeData(t.dataId);
    this.made.length = 0;
    return result;
  }

  /** Frees everything made so far (used when the composition throws half-way). */
  abandon(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** The signature of a composed kernel body: build the output from `inputs` with `k`, return it. */
export type ComposedKernelBody = (
  k: KernelComposer,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
) => TensorInfo;

/**
 * Wraps a composed body into a tfjs KernelConfig for `backendName`. The wrapper guarantees that intermediates are
 * freed whether the body returns or throws, so a failing kernel leaks no backend memory either.
 */
export function composedKernel(kernelName: string, backendName: string, body: ComposedKernelBody): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const k = new KernelComposer(backend as tf.KernelBackend, backendName, `${kernelName} on ${backendName}`);
      try {
        return k.finish(body(k, inputs, attrs ?? {}));
      } catch (error) {
        k.abandon();
        throw error;
      }
    },
  };
}
