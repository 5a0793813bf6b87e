/**
 * Cuts one `// #region <id>` … `// #endregion` block out of a source file's text and removes the indentation its
 * lines share, so the Keras map page shows type-checked code (tfjs-snippets.ts) rather than a copy of it.
 */
export function region(source: string, id: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${id}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '// #endregion');
  if (start < 0 || end < 0) throw new Error(`tfjs-snippets.ts has no region "${id}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}
