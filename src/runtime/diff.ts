/**
 * A line diff, the kind a learner reads to compare "my code" with "the solution" (or with a newer version of the
 * lesson's code). It is the classic longest-common-subsequence diff: lines both texts share in the same order stay,
 * the rest are shown as removed (only in the first text) or added (only in the second).
 *
 * Cells are short (tens of lines), so the O(n·m) table is tiny; a cap keeps a pathological paste from freezing the
 * page, falling back to "everything removed, everything added", which is still a correct (if dull) diff.
 */

/** One line of a diff. `a`/`b` are 1-based line numbers in the first/second text, where the line exists. */
export interface DiffLine {
  op: 'same' | 'del' | 'add';
  text: string;
  a?: number;
  b?: number;
}

/** Above this many table cells the diff gives up on alignment (about 2000 × 2000 lines). */
const MAX_CELLS = 4_000_000;

/** Splits into lines, ignoring one trailing newline so "x\n" and "x" compare equal. */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The line diff turning `before` into `after`. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common prefix and suffix need no table, and usually make up most of the cell.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: 'same', text: a[i]!, a: i + 1, b: i + 1 });
  out.push(...diffMiddle(a, b, start, endA, start, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ op: 'same', text: a[i]!, a: i + 1, b: j + 1 });
  return out;
}

function diffMiddle(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): DiffLine[] {
  const n = a1 - a0;
  const m = b1 - b0;
  const out: DiffLine[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (let i = a0; i < a1; i++) out.push({ op: 'del', text: a[i]!, a: i + 1 });
    for (let j = b0; j < b1; j++) out.push({ op: 'add', text: b[j]!, b: j + 1 });
    return out;
  }
  // lcs[i][j] = length of the longest common subsequence of a[a0+i..a1) and b[b0+j..b1), flattened row-major.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[a0 + i] === b[b0 + j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  // Walk the table from the top-left, preferring deletions first so a changed line reads "- old, + new".
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push({ op: 'same', text: a[a0 + i]!, a: a0 + i + 1, b: b0 + j + 1 });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push({ op: 'del', text: a[a0 + i]!, a: a0 + i + 1 });
      i++;
    } else {
      out.push({ op: 'add', text: b[b0 + j]!, b: b0 + j + 1 });
      j++;
    }
  }
  for (; i < n; i++) out.push({ op: 'del', text: a[a0 + i]!, a: a0 + i + 1 });
  for (; j < m; j++) out.push({ op: 'add', text: b[b0 + j]!, b: b0 + j + 1 });
  return out;
}

/** How many lines a diff adds and removes: "+3 −1". */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === 'add') added++;
    else if (l.op === 'del') removed++;
  }
  return { added, removed };
}
