/**
 * The workbook's one small DOM and number-format module, shared by every view (tables, curves, runs, confusion
 * matrix, galleries, upload): every view is a plain element with a `wb-<kind>` class for styling and a
 * `data-wb="<kind>"` attribute that tests and the learner's devtools can find it by; every number a learner reads is
 * written by one of the formatters below ("91.0 %", "104,323", "1 min 35 s"). The one stylesheet for workbook views
 * (workbook.css) comes with this module, so it is only downloaded on pages whose cells use the workbook.
 */
import './workbook.css';

/** A new element of a view: `<tag class="wb-kind" data-wb="kind">`. */
export function workbookElement<K extends keyof HTMLElementTagNameMap>(tag: K, kind: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = `wb-${kind}`;
  element.dataset.wb = kind;
  return element;
}

/** Sets a status line's text and its state (for styling: training, done, stopped, error). */
export function setHtmlStatus(element: HTMLElement, text: string, state?: string): void {
  element.textContent = text;
  if (state) element.dataset.state = state;
}

/** A table with a caption, a header row and body rows of text (numbers already formatted). */
export function textTable(
  caption: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): HTMLTableElement {
  const table = document.createElement('table');
  const cap = document.createElement('caption');
  cap.textContent = caption;
  const head = table.createTHead().insertRow();
  for (const h of header) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  table.prepend(cap);
  return table;
}

/** 0.9102… → "91.0 %"; below 0.1 % (a probability that rounds to nothing) → "<0.1 %". */
export function percent(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return x > 0 && x < 0.001 && digits === 1 ? '<0.1 %' : `${(x * 100).toFixed(digits)} %`;
}

/** 104323 → "104,323". */
export function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : '–';
}

/** Seconds, readably: 0.165 → "0.17 s", 8.9 → "8.9 s", 95 → "1 min 35 s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
