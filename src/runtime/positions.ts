/**
 * Positions, three texts apart. A cell's error must point at the learner's TypeScript, but the code that runs is
 * two steps away from it:
 *
 *   learner's TypeScript ──sucrase──▶ JavaScript ──our edits──▶ the body we hand to `new AsyncFunction`
 *
 * Sucrase keeps every line on its line (that is why we use it) but removing `: number` shifts columns; its source
 * map records where each token came from. Our own edits (loop guards, exports to the shared scope) only *insert*
 * text within a line, so undoing them is arithmetic. This file holds both halves of the way back.
 * All lines here are 0-based, as in source maps; the UI adds 1.
 */

/** A place in a text: 0-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Turns string offsets into line/column and back, for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** The line and column of a string offset. */
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo]! };
  }

  /** Number of lines. */
  get lineCount(): number {
    return this.starts.length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Source maps: the "mappings" string is base64 VLQ. Each line's segments are separated by ",", lines by ";"; each
// segment holds deltas [generatedColumn, sourceIndex, sourceLine, sourceColumn, (name)].

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i] as const));

/** One decoded segment: this generated column came from that source line/column. */
export interface Segment {
  generatedColumn: number;
  sourceLine: number;
  sourceColumn: number;
}

/** Decodes a source map's `mappings` into segments per generated line. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let generatedColumn = 0; // resets every line; the source fields carry over
    for (const segmentText of lineText.split(',')) {
      if (!segmentText) continue;
      const fields = decodeVlq(segmentText);
      generatedColumn += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2]!;
        sourceColumn += fields[3]!;
        segments.push({ generatedColumn, sourceLine, sourceColumn });
      }
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`bad source-map character ${c}`);
    value += (digit & 31) << shift;
    if (digit & 32)
      shift += 5; // continuation bit: more digits follow
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1); // lowest bit is the sign
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Looks up where a generated position came from: the nearest segment at or left of it, plus the distance. */
export function originalPosition(lines: Segment[][], at: Position): Position {
  const segments = lines[at.line];
  let best: Segment | undefined;
  for (const s of segments ?? []) {
    if (s.generatedColumn <= at.column) best = s;
    else break;
  }
  if (!best) return { line: at.line, column: at.column };
  return { line: best.sourceLine, column: best.sourceColumn + (at.column - best.generatedColumn) };
}

// ---------------------------------------------------------------------------------------------------------------
// Our own edits: insertions (or same-line replacements) into the JavaScript, remembered so positions can go back.

/** Replace text[start, end) by `text` (start === end: a pure insertion). Never spans lines. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The edited text, and a way back from its positions to the positions before the edits. */
export interface EditedText {
  code: string;
  /** Maps a position in `code` to the position in the text before the edits. */
  toOriginal(at: Position): Position;
}

/**
 * Applies non-overlapping edits. Edits at the same offset keep the order they were given in (so the caller can
 * nest closers correctly). A position inside inserted text maps to where the insertion happened.
 */
export function applyEdits(original: string, edits: readonly Edit[]): EditedText {
  const sorted = edits.map((e, order) => ({ ...e, order })).sort((x, y) => x.start - y.start || x.order - y.order);
  const index = new LineIndex(original);
  // Per original line: the edits on it, with their column and the column shift they cause.
  const byLine = new Map<number, { column: number; removed: number; inserted: number }[]>();
  let code = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    code += original.slice(cursor, e.start) + e.text;
    cursor = e.end;
    const { line, column } = index.position(e.start);
    const list = byLine.get(line) ?? [];
    list.push({ column, removed: e.end - e.start, inserted: e.text.length });
    byLine.set(line, list);
  }
  code += original.slice(cursor);
  return {
    code,
    toOriginal(at: Position): Position {
      let shift = 0; // generated column minus original column, so far on this line
      for (const e of byLine.get(at.line) ?? []) {
        const generatedStart = e.column + shift;
        if (at.column < generatedStart) break;
        if (at.column < generatedStart + e.inserted) return { line: at.line, column: e.column };
        shift += e.inserted - e.removed;
      }
      return { line: at.line, column: at.column - shift };
    },
  };
}
