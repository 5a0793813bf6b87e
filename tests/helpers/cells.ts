/**
 * Helpers for the cell-runtime tests: a kernel with no page around it, and a sink that records what cells print.
 */
import { Kernel, type ConsoleLevel, type RunOutcome, type RunSink } from '../../src/runtime/kernel';
import type { CellError } from '../../src/runtime/errors';

/** Everything one run sent to its outputs. */
export interface Recorded {
  lines: { level: ConsoleLevel; args: unknown[] }[];
  displayed: unknown[];
  progress: { fraction: number; label?: string }[];
  late: CellError[];
}

/** A RunSink that records. */
export function recordingSink(): RunSink & { recorded: Recorded } {
  const recorded: Recorded = { lines: [], displayed: [], progress: [], late: [] };
  return {
    recorded,
    console: (level, args) => recorded.lines.push({ level, args }),
    display: (value) => recorded.displayed.push(value),
    progress: (fraction, label) => recorded.progress.push({ fraction, label }),
    lateError: (error) => recorded.late.push(error),
  };
}

/** A kernel whose globals come from `globals` (no registry, no browser). */
export function testKernel(globals: Record<string, unknown> = {}, loopLimitMs = 400): Kernel {
  return new Kernel({ loadGlobals: async () => globals, loopLimitMs });
}

/** Runs a cell and returns its outcome with what it printed. */
export async function runCell(
  kernel: Kernel,
  id: string,
  source: string,
): Promise<RunOutcome & { recorded: Recorded }> {
  const sink = recordingSink();
  const outcome = await kernel.run(id, source, sink);
  return { ...outcome, recorded: sink.recorded };
}

/** The value of a successful run; fails the test with the cell's error otherwise. */
export async function valueOf(kernel: Kernel, id: string, source: string): Promise<unknown> {
  const outcome = await runCell(kernel, id, source);
  if (!outcome.ok)
    throw new Error(`cell ${id} failed: ${outcome.error.name}: ${outcome.error.message} (line ${outcome.error.line})`);
  return outcome.value;
}
