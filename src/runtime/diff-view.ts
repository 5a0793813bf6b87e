/**
 * Draws a line diff (diff.ts) as text a learner can read, and a screen reader too: every line starts with "+"
 * (only in the second text), "−" (only in the first) or a space, and colour only repeats what the sign says.
 */
import { diffLines, diffStats } from './diff';

/** Draws the diff from `before` to `after`, with a caption naming both texts. */
export function renderDiff(before: string, after: string, caption: { before: string; after: string }): HTMLElement {
  const lines = diffLines(before, after);
  const { added, removed } = diffStats(lines);
  const figure = document.createElement('figure');
  figure.className = 'cell-diff';
  const legend = document.createElement('figcaption');
  legend.textContent =
    added + removed === 0
      ? `${caption.before} and ${caption.after} are the same.`
      : `From ${caption.before} (−) to ${caption.after} (+): ${removed} line${removed === 1 ? '' : 's'} removed, ${added} added.`;
  const pre = document.createElement('pre');
  for (const line of lines) {
    const row = document.createElement('span');
    row.className = `diff-line diff-${line.op}`;
    row.textContent = `${line.op === 'add' ? '+' : line.op === 'del' ? '−' : ' '} ${line.text}\n`;
    pre.append(row);
  }
  figure.append(legend, pre);
  return figure;
}
