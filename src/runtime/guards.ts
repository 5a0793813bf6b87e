/**
 * Loop guards: the answer to `while (true) {}`. JavaScript in a page runs on one thread; a loop that never ends
 * never lets the browser paint, handle a click — not even on Stop. Nothing outside the loop can interrupt it, so
 * the check has to be *inside*: the transpiler puts `$$wb.loop(line)` at the top of every loop body, and this file
 * decides, cheaply, when a loop has gone on too long.
 *
 * "Too long" is not "many iterations" (a pixel loop legitimately runs millions) and not "long overall" (a training
 * loop that awaits each epoch may run for minutes while the page stays responsive). It is: **too long without the
 * event loop getting a turn**. To measure that, the guard arms a message-channel callback; it can only run when the
 * page gets a turn. While it is pending and the clock passes the limit, the loop is starving the page, and the
 * guard throws. A loop that awaits real work lets the callback run, which re-arms the clock.
 *
 * Cost: reading the clock on every iteration would slow tight loops, so the guard samples — it adapts how many
 * iterations pass between clock reads so that a read happens every few milliseconds.
 * The guard also ends a loop when the running cell's Stop signal is aborted (a loop that awaits can be stopped).
 */
import { LoopTimeoutError, StopError } from './errors';

/** Options of a guard. `now` and `schedule` are injectable so tests can drive the clock. */
export interface LoopGuardOptions {
  /** Longest time a loop may keep the page busy without a turn, in ms. */
  limitMs?: number;
  /** Clock in ms. */
  now?: () => number;
  /** Runs `callback` when the page next gets a turn (a macrotask). */
  schedule?: (callback: () => void) => void;
  /** The signal of the run in progress, if any: when aborted, loops stop. */
  signal?: () => AbortSignal | undefined;
}

/** Default limit: long enough for honest work, short enough that a frozen page is noticed. */
export const DEFAULT_LOOP_LIMIT_MS = 3000;

/** Aim: a clock read every 1–16 ms of looping. */
const MIN_GAP_MS = 1;
const MAX_GAP_MS = 16;
const MAX_STRIDE = 1 << 16;

/** `schedule` with a MessageChannel: unlike setTimeout it is not clamped or throttled in background tabs. */
function macrotaskScheduler(): (callback: () => void) => void {
  if (typeof MessageChannel === 'undefined') return (callback) => setTimeout(callback, 0);
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  // In Node an open port keeps the process alive; unref lets tests exit.
  (channel.port1 as unknown as { unref?: () => void }).unref?.();
  return (callback) => {
    queue.push(callback);
    channel.port2.postMessage(null);
  };
}

/** The guard every loop of every cell calls. One per kernel. */
export class LoopGuard {
  readonly limitMs: number;
  private readonly now: () => number;
  private readonly schedule: (callback: () => void) => void;
  private readonly signal: () => AbortSignal | undefined;
  private count = 0;
  private stride = 1;
  private lastCheck = 0;
  /** When the current "no turn yet" period started; null when no turn is pending. */
  private busySince: number | null = null;

  constructor(options: LoopGuardOptions = {}) {
    this.limitMs = options.limitMs ?? DEFAULT_LOOP_LIMIT_MS;
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? macrotaskScheduler();
    this.signal = options.signal ?? (() => undefined);
  }

  /**
   * Called at the top of every loop iteration. Throws LoopTimeoutError or StopError to end the loop.
   * `own` is the signal of the run that compiled the loop: a loop that outlived its stopped run (still awaiting in
   * the background) ends at its next check, as does any loop while the running cell's signal is aborted.
   */
  tick(line: number, own?: AbortSignal): void {
    if (++this.count < this.stride) return;
    this.count = 0;
    this.check(line, own);
  }

  private check(line: number, own: AbortSignal | undefined): void {
    if (own?.aborted || this.signal()?.aborted) throw new StopError();
    const t = this.now();
    // Adapt the sampling: too-frequent reads → read less often; too-rare → more often.
    const gap = t - this.lastCheck;
    this.lastCheck = t;
    if (gap < MIN_GAP_MS) this.stride = Math.min(this.stride * 2, MAX_STRIDE);
    else if (gap > MAX_GAP_MS) this.stride = Math.max(1, this.stride >> 1);
    if (this.busySince === null) {
      this.busySince = t;
      this.schedule(() => {
        this.busySince = null; // the page got a turn: whatever loop runs next starts a fresh period
      });
      return;
    }
    if (t - this.busySince > this.limitMs) {
      this.busySince = null;
      this.stride = 1;
      throw new LoopTimeoutError(line, Math.round(this.limitMs / 100) / 10);
    }
  }
}
