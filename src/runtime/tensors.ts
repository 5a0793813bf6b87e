/**
 * Keeping track of tensors so that Restart can free them. A tf.Tensor holds memory outside JavaScript's garbage
 * collector (a WebGL texture, a slice of wasm memory): a cell that creates tensors and drops them leaks that memory
 * until someone calls `dispose()`. A notebook makes leaks easy (every re-run makes new tensors), so Restart must be
 * able to free *every* tensor the cells made.
 *
 * tfjs has no public "list all tensors", but every tensor it creates goes through one engine method,
 * `trackTensor`. We wrap it on the engine instance to remember each tensor; Restart then disposes the ones still
 * alive, plus all variables (`tf.disposeVariables()`). We do not use `tf.engine().reset()`: it also tears down
 * the backend, which would have to be chosen and initialised again.
 *
 * Disposed tensors are pruned from the set from time to time, so a long training run (thousands of intermediate
 * tensors, disposed by tf.tidy) does not grow it without bound.
 */

/** The parts of a tensor the tracker needs. */
export interface TrackedTensor {
  readonly isDisposed: boolean;
  dispose(): void;
}

/** The parts of tfjs the tracker needs. */
export interface TfForTracking {
  engine(): { trackTensor(tensor: TrackedTensor, backend: unknown): void };
  disposeVariables(): void;
}

/** Remembers every tensor created after `install`. */
export class TensorTracker {
  private readonly tensors = new Set<TrackedTensor>();
  private pruneAt = 10_000;
  private installed = false;

  /** Wraps the engine's trackTensor. Idempotent. */
  install(tf: TfForTracking): void {
    if (this.installed) return;
    const engine = tf.engine();
    const original = engine.trackTensor;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    engine.trackTensor = function (this: unknown, tensor: TrackedTensor, backend: unknown) {
      original.call(this, tensor, backend);
      tracker.add(tensor);
    };
    this.installed = true;
  }

  /** Remembers one tensor. */
  add(tensor: TrackedTensor): void {
    this.tensors.add(tensor);
    if (this.tensors.size >= this.pruneAt) {
      this.prune();
      this.pruneAt = Math.max(10_000, this.tensors.size * 2);
    }
  }

  /** Forgets disposed tensors; returns how many are alive. */
  prune(): number {
    for (const t of this.tensors) if (t.isDisposed) this.tensors.delete(t);
    return this.tensors.size;
  }

  /** Disposes every variable and every tracked tensor still alive. Returns how many tensors it disposed. */
  disposeAll(tf: TfForTracking): number {
    tf.disposeVariables();
    let disposed = 0;
    for (const t of this.tensors) {
      if (t.isDisposed) continue;
      try {
        t.dispose();
        disposed++;
      } catch {
        // A tensor whose backend is gone cannot be disposed, and holds nothing any more.
      }
    }
    this.tensors.clear();
    return disposed;
  }
}
