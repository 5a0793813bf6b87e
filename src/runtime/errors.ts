/**
 * What went wrong in a cell, said so that a learner can act on it: the message, and where in *their* TypeScript
 * (line and column, 1-based like every editor) — never a position inside the workbook's wrapper code.
 *
 * Runtime errors carry a stack trace whose frames name the code that ran. Each cell's code is compiled with a
 * `//# sourceURL=workbook-cell-<id>-r<run>.js` comment, so its frames are recognisable; the first such frame is the
 * learner's line that was executing (even when the error was thrown deep inside tfjs).
 */

/** The kinds of failure a cell reports; the UI words each one differently. */
export type CellErrorKind = 'syntax' | 'runtime' | 'async' | 'loop' | 'stopped' | 'unsupported';

/** A cell's error, ready to show. */
export interface CellError {
  kind: CellErrorKind;
  /** "TypeError", "SyntaxError", "Stopped", … */
  name: string;
  message: string;
  /** 1-based line in the learner's TypeScript, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** The cell the position is in (a function defined in an earlier cell can throw while a later one runs). */
  cellId?: string;
  /** The raw stack, for the curious (shown collapsed). */
  stack?: string;
}

/** The sourceURL a compiled cell run carries; `parseCellFrame` reads it back. */
export function cellSourceUrl(cellId: string, run: number): string {
  return `workbook-cell-${encodeURIComponent(cellId)}-r${run}.js`;
}

/** One stack frame in cell code: which compiled run, and the 1-based line/column in the *function source*. */
export interface CellFrame {
  url: string;
  line: number;
  column: number;
}

const FRAME = /(workbook-(?:cell-[^\s:()]+?-r\d+|probe)\.js):(\d+):(\d+)/;

/** The first frame in a stack that points into cell code (V8 "at … (url:l:c)", Firefox/Safari "@url:l:c"). */
export function parseCellFrame(stack: string | undefined): CellFrame | null {
  if (!stack) return null;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (m) return { url: m[1]!, line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

/** Stops a run on purpose: Stop was pressed. Loop guards and `Kernel.stop` throw it. */
export class StopError extends Error {
  constructor(message = 'Stopped: you pressed Stop.') {
    super(message);
    this.name = 'Stopped';
  }
}

/** A loop guard fired: a loop kept the page busy too long without letting it breathe. */
export class LoopTimeoutError extends Error {
  constructor(
    readonly loopLine: number,
    readonly seconds: number,
  ) {
    super(
      `This loop (line ${loopLine}) ran for more than ${seconds} s without giving the page a turn, so the workbook ` +
        'stopped it. If it is meant to run that long, put `await tf.nextFrame()` inside it so the page stays responsive.',
    );
    this.name = 'LoopTimeout';
  }
}

/** Best-effort name and message of anything thrown (`throw "oops"` is legal JavaScript). */
export function describeThrown(thrown: unknown): { name: string; message: string; stack?: string } {
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown)) {
    const e = thrown as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      name: typeof e.name === 'string' && e.name ? e.name : 'Error',
      message: String(e.message),
      stack: typeof e.stack === 'string' ? e.stack : undefined,
    };
  }
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    text = String(thrown);
  }
  return { name: 'Thrown value', message: text };
}

/** "line 3, column 7" or "" — the position as a learner reads it. */
export function formatPosition(error: Pick<CellError, 'line' | 'column' | 'cellId'>, currentCell?: string): string {
  if (error.line === undefined) return '';
  const where = `line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ''}`;
  return error.cellId && error.cellId !== currentCell ? `${where} of cell “${error.cellId}”` : where;
}
