/**
 * A cell's output area: one stream, in the order things happened — console lines, `display()`ed values and DOM
 * nodes (Plot charts, canvases, tables), one progress bar, then the cell's value or its error. The kernel talks to it
 * through the RunSink interface; this file draws.
 *
 * Values are drawn from inspect.ts's data: primitives inline, collections as <details> (collapsed, with a one-line
 * summary), tensors as "Tensor float32 [2, 3] [1, 2, …]". A chatty training loop could log thousands of lines:
 * only the last MAX_LINES stay, with a count of the hidden ones.
 */
import { formatPosition, type CellError } from './errors';
import { formatConsoleArgs, inspect, isDomNode, type InspectNode } from './inspect';
import type { ConsoleLevel, RunSink } from './kernel';

/** Console lines kept per run. */
const MAX_LINES = 500;

/** The output area of one cell. */
export class OutputArea {
  private progressBox: HTMLElement | null = null;
  private lines = 0;
  private hiddenNote: HTMLElement | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly cellId: string,
  ) {}

  /** Empties the area (a new run starts). */
  clear(): void {
    this.root.replaceChildren();
    this.progressBox = null;
    this.hiddenNote = null;
    this.lines = 0;
  }

  /** A RunSink writing here; `onLateError` is told about errors that arrive after the run ended. */
  sink(onLateError: (error: CellError) => void): RunSink {
    return {
      console: (level, args) => this.consoleLine(level, args),
      display: (value) => this.value(value),
      progress: (fraction, label) => this.progress(fraction, label),
      lateError: (error) => {
        this.error(error);
        onLateError(error);
      },
    };
  }

  /** One console line. */
  consoleLine(level: ConsoleLevel, args: readonly unknown[]): void {
    const line = document.createElement('pre');
    line.className = `cell-log cell-log-${level}`;
    line.dataset.level = level;
    if (level === 'warn' || level === 'error')
      line.setAttribute('aria-label', `${level === 'warn' ? 'Warning' : 'Error'}: ${formatConsoleArgs(args)}`);
    line.textContent = formatConsoleArgs(args);
    this.root.append(line);
    if (++this.lines > MAX_LINES) this.dropOldestLine();
  }

  private dropOldestLine(): void {
    const oldest = this.root.querySelector('.cell-log');
    oldest?.remove();
    this.lines--;
    if (!this.hiddenNote) {
      this.hiddenNote = document.createElement('p');
      this.hiddenNote.className = 'cell-log-hidden';
      this.hiddenNote.dataset.count = '0';
      this.root.prepend(this.hiddenNote);
    }
    const count = Number(this.hiddenNote.dataset.count) + 1;
    this.hiddenNote.dataset.count = String(count);
    this.hiddenNote.textContent = `… ${count} earlier console line${count === 1 ? '' : 's'} not shown`;
  }

  /** A displayed value or the cell's result: DOM nodes as themselves, anything else inspected. */
  value(value: unknown, isResult = false): void {
    const box = document.createElement('div');
    box.className = isResult ? 'cell-value cell-result' : 'cell-value';
    if (isDomNode(value)) box.append(value as Node);
    else box.append(renderNode(inspect(value), true));
    this.root.append(box);
  }

  /** Creates or updates the progress bar. */
  progress(fraction: number, label?: string): void {
    if (!this.progressBox) {
      this.progressBox = document.createElement('div');
      this.progressBox.className = 'cell-progress';
      const bar = document.createElement('progress');
      bar.max = 1;
      const text = document.createElement('span');
      this.progressBox.append(bar, text);
      this.root.append(this.progressBox);
    }
    const bar = this.progressBox.querySelector('progress')!;
    const text = this.progressBox.querySelector('span')!;
    bar.value = fraction;
    const percent = `${Math.round(fraction * 100)}%`;
    bar.setAttribute('aria-label', label ? `${label}: ${percent}` : `Progress: ${percent}`);
    text.textContent = label ? `${label} · ${percent}` : percent;
  }

  /** The cell's error: message, where in the learner's code, and the raw stack collapsed. */
  error(error: CellError): void {
    const box = document.createElement('div');
    box.className = `cell-error cell-error-${error.kind}`;
    box.setAttribute('role', 'alert');
    const title = document.createElement('strong');
    title.textContent = error.kind === 'stopped' ? 'Stopped' : error.name;
    const message = document.createElement('span');
    message.className = 'cell-error-message';
    message.textContent =
      error.kind === 'stopped' ? ` ${error.message.replace(/^Stopped:?\s*/, '')}` : `: ${error.message}`;
    box.append(title, message);
    const where = formatPosition(error, this.cellId);
    if (where) {
      const at = document.createElement('span');
      at.className = 'cell-error-where';
      at.dataset.line = String(error.line);
      if (error.column !== undefined) at.dataset.column = String(error.column);
      at.textContent = ` (at ${where})`;
      box.append(at);
    }
    if (error.stack && error.kind !== 'stopped') {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'Stack trace';
      const pre = document.createElement('pre');
      pre.textContent = error.stack;
      details.append(summary, pre);
      box.append(details);
    }
    this.root.append(box);
  }
}

/** Draws an InspectNode: collections as <details> with their summary, the rest as text. */
export function renderNode(node: InspectNode, top = false): HTMLElement {
  if (node.kind === 'collection' && (node.entries.length > 0 || node.more > 0)) {
    const details = document.createElement('details');
    details.className = 'inspect inspect-collection';
    const summary = document.createElement('summary');
    summary.textContent = node.text;
    details.append(summary);
    // Children are built when opened: a big nested object costs nothing until the learner looks.
    details.addEventListener('toggle', () => {
      if (!details.open || details.dataset.built) return;
      details.dataset.built = '1';
      const list = document.createElement('ul');
      for (const entry of node.entries) {
        const item = document.createElement('li');
        const key = document.createElement('span');
        key.className = 'inspect-key';
        key.textContent = `${entry.key}: `;
        item.append(key, renderNode(entry.value));
        list.append(item);
      }
      if (node.entries.length === 0 || node.more > 0) {
        const item = document.createElement('li');
        item.className = 'inspect-more';
        item.textContent =
          node.entries.length === 0 ? '(nested too deep to list: display() it on its own)' : `… ${node.more} more`;
        list.append(item);
      }
      details.append(list);
    });
    return details;
  }
  const span = document.createElement(top ? 'pre' : 'span');
  span.className = `inspect inspect-${node.kind === 'primitive' ? node.type : node.kind}`;
  span.textContent = node.text;
  if (node.kind === 'dom' && isDomNode(node.node)) span.replaceChildren(node.node as Node);
  return span;
}
