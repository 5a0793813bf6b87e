/**
 * Cuts one region out of a source file's text and removes the indentation its lines share: `// #region <id>` …
 * `// #endregion` in TypeScript (tfjs-snippets.ts, type-checked), `# region <id>` … `# endregion` in Python
 * (keras-snippets.py). So the Keras map page shows the code of those files rather than copies of it. A missing
 * region fails the build, naming it.
 */
export function region(source: string, id: string, language: 'ts' | 'python' = 'ts'): string {
  const mark = language === 'ts' ? '// #' : '# ';
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `${mark}region ${id}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === `${mark}endregion`);
  if (start < 0 || end < 0) throw new Error(`no ${language} snippet region "${id}"`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}
