/**
 * Looking at a value the way a learner needs to: numbers and strings as they are, arrays and objects as collapsible
 * trees with a one-line summary, Maps and Sets by their entries, and — the workbook's daily bread — a tf.Tensor as
 * its shape, dtype and first few values.
 *
 * This file only turns a value into *data* (an InspectNode tree); outputs.ts draws it. Keeping the DOM out lets
 * Node tests check it, and bounds (depth, entries) keep a 50,000-element array or a cyclic object from hanging
 * the page.
 *
 * Tensors are recognised by shape (duck typing), not by importing tfjs: this module must stay small and tfjs-free.
 * Reading a tensor's values creates small temporary tensors (reshape, slice) which are disposed at once, so
 * inspecting never leaks GPU or wasm memory.
 */
import { errorMessage } from '../ml/error-message';

/** A value, ready to draw. */
export type InspectNode =
  | {
      kind: 'primitive';
      type: 'number' | 'string' | 'boolean' | 'undefined' | 'null' | 'bigint' | 'symbol';
      text: string;
    }
  | { kind: 'tensor'; text: string; shape: number[]; dtype: string; preview: string; disposed: boolean }
  | { kind: 'collection'; text: string; label: string; entries: InspectEntry[]; more: number }
  | { kind: 'function'; text: string }
  | { kind: 'dom'; text: string; node: unknown }
  | { kind: 'other'; text: string };

/** One child of a collection: its key (index, property, Map key) and value. */
export interface InspectEntry {
  key: string;
  value: InspectNode;
}

/** Limits of one inspection. */
export interface InspectOptions {
  /** Levels of nesting to expand (deeper collections show only their summary). */
  depth?: number;
  /** Entries listed per collection. */
  maxEntries?: number;
  /** Values shown in a tensor preview. */
  tensorValues?: number;
}

/** The parts of a tf.Tensor the inspector uses. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed: boolean;
  dataSync(): ArrayLike<number | string | boolean>;
  reshape(shape: number[]): TensorLike;
  slice(begin: number, size: number): TensorLike;
  dispose(): void;
}

/** True for a tf.Tensor (or anything shaped like one). */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<TensorLike>;
  return (
    Array.isArray(v.shape) &&
    typeof v.dtype === 'string' &&
    typeof v.dataSync === 'function' &&
    typeof v.isDisposed === 'boolean'
  );
}

/** True for a DOM node (an SVG chart, a canvas, a table) — drawn as itself, not inspected. */
export function isDomNode(value: unknown): boolean {
  return typeof Node !== 'undefined' && value instanceof Node;
}

/** Formats a number for reading: integers as is, others to 4 significant digits. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return n.toExponential(3);
  return String(Number(n.toPrecision(4)));
}

const quote = (s: string, max = 200): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

/** The shape, dtype and first values of a tensor, read without leaking memory. */
export function summariseTensor(
  t: TensorLike,
  maxValues = 8,
): { shape: number[]; dtype: string; preview: string; disposed: boolean } {
  const shape = [...t.shape];
  if (t.isDisposed) return { shape, dtype: t.dtype, preview: 'disposed', disposed: true };
  let values: ArrayLike<number | string | boolean>;
  try {
    if (t.size <= maxValues) values = t.dataSync();
    else {
      const flat = t.reshape([-1]);
      const head = flat.slice(0, maxValues);
      try {
        values = head.dataSync();
      } finally {
        head.dispose();
        flat.dispose();
      }
    }
  } catch (e) {
    return { shape, dtype: t.dtype, preview: `(values unreadable: ${errorMessage(e)})`, disposed: false };
  }
  const shown = Array.from(values, (v) =>
    typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? quote(v, 40) : String(v),
  );
  const preview = `[${shown.join(', ')}${t.size > shown.length ? `, … ${t.size - shown.length} more` : ''}]`;
  return { shape, dtype: t.dtype, preview, disposed: false };
}

/** Inspects a value into a tree. Never throws (a throwing getter shows as its error). */
export function inspect(value: unknown, options: InspectOptions = {}): InspectNode {
  const opts = {
    depth: options.depth ?? 3,
    maxEntries: options.maxEntries ?? 50,
    tensorValues: options.tensorValues ?? 8,
  };
  return inspectAt(value, opts, 0, new Set());
}

type Limits = Required<InspectOptions>;

function inspectAt(value: unknown, opts: Limits, level: number, seen: Set<object>): InspectNode {
  switch (typeof value) {
    case 'number':
      return { kind: 'primitive', type: 'number', text: formatNumber(value) };
    case 'string':
      return { kind: 'primitive', type: 'string', text: level === 0 ? value : quote(value) };
    case 'boolean':
      return { kind: 'primitive', type: 'boolean', text: String(value) };
    case 'undefined':
      return { kind: 'primitive', type: 'undefined', text: 'undefined' };
    case 'bigint':
      return { kind: 'primitive', type: 'bigint', text: `${value}n` };
    case 'symbol':
      return { kind: 'primitive', type: 'symbol', text: value.toString() };
    case 'function':
      return { kind: 'function', text: functionText(value) };
    default:
      break;
  }
  if (value === null) return { kind: 'primitive', type: 'null', text: 'null' };
  const obj = value as object;
  if (isTensorLike(obj)) {
    const s = summariseTensor(obj, opts.tensorValues);
    return { kind: 'tensor', ...s, text: `Tensor ${s.dtype} [${s.shape.join(', ')}] ${s.preview}` };
  }
  if (isDomNode(obj))
    return { kind: 'dom', text: `<${(obj as { nodeName?: string }).nodeName?.toLowerCase() ?? 'node'}>`, node: obj };
  if (obj instanceof Date)
    return { kind: 'other', text: Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString() };
  if (obj instanceof RegExp) return { kind: 'other', text: String(obj) };
  if (obj instanceof Error) return { kind: 'other', text: `${obj.name}: ${obj.message}` };
  if (obj instanceof Promise) return { kind: 'other', text: 'Promise (add `await` to see its value)' };
  if (seen.has(obj)) return { kind: 'other', text: '[Circular]' };

  const { label, entries } = listEntries(obj, opts.maxEntries);
  const more = entries.more;
  const deeper = level < opts.depth;
  seen.add(obj);
  const children: InspectEntry[] = deeper
    ? entries.list.map(([key, v]) => ({ key, value: inspectAt(v, opts, level + 1, seen) }))
    : [];
  seen.delete(obj);
  return {
    kind: 'collection',
    label,
    entries: children,
    more: deeper ? more : entries.list.length + more,
    text: summaryLine(label, entries.list, more, seen, obj),
  };
}

function functionText(f: Function): string {
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(f));
  return `${isClass ? 'class' : 'ƒ'} ${f.name || '(anonymous)'}${isClass ? '' : '()'}`;
}

/** The label ("Array(3)", "Map(2)", "Point") and the first entries of a collection. */
function listEntries(
  obj: object,
  max: number,
): { label: string; entries: { list: [string, unknown][]; more: number } } {
  const list: [string, unknown][] = [];
  let total = 0;
  const push = (key: string, read: () => unknown) => {
    total++;
    if (list.length >= max) return;
    let v: unknown;
    try {
      v = read();
    } catch (e) {
      v = e instanceof Error ? new Error(`(getter threw) ${e.message}`) : e;
    }
    list.push([key, v]);
  };
  let label: string;
  if (Array.isArray(obj)) {
    label = `Array(${obj.length})`;
    for (let i = 0; i < obj.length && list.length < max; i++) push(String(i), () => obj[i]);
    total = obj.length;
  } else if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const typed = obj as unknown as ArrayLike<number> & { constructor: { name: string } };
    label = `${typed.constructor.name}(${typed.length})`;
    for (let i = 0; i < typed.length && list.length < max; i++) push(String(i), () => typed[i]);
    total = typed.length;
  } else if (obj instanceof Map) {
    label = `Map(${obj.size})`;
    for (const [k, v] of obj) push(inlineKey(k), () => v);
  } else if (obj instanceof Set) {
    label = `Set(${obj.size})`;
    let i = 0;
    for (const v of obj) push(String(i++), () => v);
  } else {
    const ctor = (Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null)?.constructor?.name;
    label = ctor && ctor !== 'Object' ? ctor : 'Object';
    for (const key of Object.keys(obj)) push(key, () => (obj as Record<string, unknown>)[key]);
  }
  return { label, entries: { list, more: Math.max(0, total - list.length) } };
}

function inlineKey(k: unknown): string {
  if (typeof k === 'string') return quote(k, 40);
  const n = inspectAt(k, { depth: 0, maxEntries: 3, tensorValues: 3 }, 1, new Set());
  return n.text;
}

/** A short one-line summary: `Array(3) [1, 2, 3]`, `{a: 1, b: Array(2)}`. */
function summaryLine(label: string, list: [string, unknown][], more: number, seen: Set<object>, obj: object): string {
  const shown = list.slice(0, 6).map(([k, v]) => {
    const inner = shortText(v, seen);
    if (Array.isArray(obj) || ArrayBuffer.isView(obj) || obj instanceof Set) return inner;
    return obj instanceof Map ? `${k} => ${inner}` : `${k}: ${inner}`;
  });
  const rest = list.length - shown.length + more;
  const body = `${shown.join(', ')}${rest > 0 ? `, … ${rest} more` : ''}`;
  const [open, close] = Array.isArray(obj) || ArrayBuffer.isView(obj) ? ['[', ']'] : ['{', '}'];
  return `${label === 'Object' ? '' : `${label} `}${open}${body}${close}`;
}

function shortText(v: unknown, seen: Set<object>): string {
  if (
    typeof v === 'object' &&
    v !== null &&
    !isTensorLike(v) &&
    !isDomNode(v) &&
    !(v instanceof Date) &&
    !(v instanceof Error)
  ) {
    if (seen.has(v)) return '[Circular]';
    return listEntries(v, 0).label;
  }
  return inspectAt(v, { depth: 0, maxEntries: 0, tensorValues: 3 }, 1, seen).text;
}

/** One line for console output: strings as they are, everything else inspected and summarised. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  return args
    .map((a) =>
      typeof a === 'string' ? a : inspectAt(a, { depth: 0, maxEntries: 20, tensorValues: 8 }, 0, new Set()).text,
    )
    .join(' ');
}
