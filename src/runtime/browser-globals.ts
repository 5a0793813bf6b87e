/**
 * The globals the workbook gives every cell in the browser, beyond console/display/progress/signal:
 *
 * - `tf`: TensorFlow.js, loaded the first time a cell mentions `tf`. Before the first use, the backend is chosen
 *   from what this browser really offers (src/platform/browser-backend.ts) and the header's #backend-status says
 *   which one and why. `loadTf()` is exported so lesson helpers (the `wb` engine facade) share the same start-up.
 *   Cells see it through tensor-guard.ts, which refuses runaway tensor sizes before they freeze the tab.
 * - `Plot`: Observable Plot, loaded the first time a cell mentions `Plot`.
 *
 * Both are dynamic imports: the page itself never downloads them.
 */
import { BACKEND_LABELS } from '../ml/backend';
import { registerGlobals } from './globals';
import { guardBackendWrites, guardTfNamespace, type WritableBackend } from './tensor-guard';
import { TensorTracker } from './tensors';
import { errorMessage } from '../ml/error-message';

type Tf = typeof import('@tensorflow/tfjs');

const tracker = new TensorTracker();
let tfLoading: Promise<Tf> | null = null;
let tfLoaded: Tf | null = null;

/** Writes the header's backend slot (Base.astro): name, reason, and a state for styling and tests. */
function setBackendStatus(state: 'loading' | 'ready' | 'error', name: string, reason: string): void {
  const slot = document.getElementById('backend-status');
  if (!slot) return;
  slot.dataset.state = state;
  const nameEl = slot.querySelector('[data-backend-name]');
  const reasonEl = slot.querySelector('[data-backend-reason]');
  if (nameEl) nameEl.textContent = name;
  if (reasonEl) reasonEl.textContent = reason;
}

/** TensorFlow.js with the best backend this browser offers; loads and initialises once per page. */
export function loadTf(): Promise<Tf> {
  tfLoading ??= (async () => {
    setBackendStatus('loading', 'starting…', 'choosing the fastest backend this browser offers');
    const [tf, { selectBackend }] = await Promise.all([
      import('@tensorflow/tfjs'),
      import('../platform/browser-backend'),
    ]);
    const choice = await selectBackend();
    tracker.install(tf as unknown as Parameters<TensorTracker['install']>[0]);
    guardBackendWrites(tf.backend() as unknown as WritableBackend);
    setBackendStatus('ready', choice.name === 'cpu' ? 'cpu' : BACKEND_LABELS[choice.name], choice.reason);
    tfLoaded = tf;
    return tf;
  })().catch((e: unknown) => {
    tfLoading = null;
    const message = errorMessage(e);
    setBackendStatus('error', 'could not start', message);
    throw new Error(`TensorFlow.js could not start: ${message}`);
  });
  return tfLoading;
}

/** Frees every tensor and variable the cells made (Restart). Returns how many tensors were disposed. */
export function disposeCellTensors(): number {
  return tfLoaded ? tracker.disposeAll(tfLoaded as unknown as Parameters<TensorTracker['disposeAll']>[0]) : 0;
}

let installed = false;

/** Registers `tf` and `Plot` as lazy globals (idempotent). */
export function installBrowserGlobals(): void {
  if (installed) return;
  installed = true;
  // Cells get a guarded view of tf: same API, but creators refuse runaway sizes (tensor-guard.ts).
  registerGlobals(async () => ({ tf: guardTfNamespace(await loadTf()) }), { names: ['tf'] });
  registerGlobals(async () => ({ Plot: await import('@observablehq/plot') }), { names: ['Plot'] });
}
