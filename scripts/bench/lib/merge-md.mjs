/**
 * The generated block of BENCHMARKS.md, merged section by section. `npm run bench -- --only=store` measures one
 * section, and bench/results.json (git-ignored) holds only what this machine measured before: on a fresh checkout
 * it is empty. Regenerating the whole block from it would drop every committed section the run did not measure
 * (issue 12). So the block is read back as chunks, one per `### title` heading, and only the chunks of the sections
 * this run measured are replaced; every other section keeps its committed text, figures, date and command.
 *
 * The goals table follows the same rule, row by row: a goal whose figure comes from sections this run did not
 * measure keeps its committed row (a fresh checkout would otherwise print "pending" for figures that exist).
 */

/** The heading of the goals table inside the block. */
export const GOALS_TITLE = 'Goals (reported, not asserted)';

/**
 * Splits the inside of a generated block into its head (the "Last run" and machine lines) and its `### ` chunks.
 * Each chunk keeps its text verbatim, heading included and trailing blank lines trimmed.
 * @param {string} inner the text between the bench:begin and bench:end markers
 * @returns {{ head: string, chunks: { title: string, text: string }[] }}
 */
export function parseBlock(inner) {
  const lines = inner.split('\n');
  const head = [];
  const chunks = [];
  for (const line of lines) {
    const m = line.match(/^### (.+?)\s*$/);
    if (m) chunks.push({ title: m[1], lines: [line] });
    else if (chunks.length) chunks[chunks.length - 1].lines.push(line);
    else head.push(line);
  }
  return {
    head: head.join('\n').trim(),
    chunks: chunks.map((c) => ({ title: c.title, text: c.lines.join('\n').trim() })),
  };
}

/**
 * The goal rows of a goals chunk, by goal text: the row as written. A goal's text is its first cell, with the
 * Markdown escapes of `|` undone so it compares with GOALS' own text.
 * @param {string | undefined} text
 * @returns {Map<string, string>}
 */
export function goalRows(text) {
  const rows = new Map();
  for (const line of (text ?? '').split('\n')) {
    if (!line.startsWith('|') || /^\|\s*-/.test(line) || /^\|\s*goal\s*\|/.test(line)) continue;
    const first = line.slice(1).split(/(?<!\\)\|/)[0];
    rows.set(first.replace(/\\\|/g, '|').trim(), line);
  }
  return rows;
}

/**
 * The merged inside of the block.
 * @param {object} args
 * @param {string} args.previous   the inside of the block as committed ('' when there is none)
 * @param {string} args.head       this run's head (date, command, machine)
 * @param {{ text: string, status: string, sources: string[] }[]} args.goals  this run's goals, each with the
 *   sections its figure comes from, and `row`: its Markdown table row
 * @param {{ name: string, title: string, text: string | null }[]} args.sections  every known section in order:
 *   `text` is this run's chunk when the section ran, null when it did not
 * @param {readonly string[]} args.ran  the sections this run measured
 * @returns {string}
 */
export function mergeBlock({ previous, head, goals, sections, ran }) {
  const old = parseBlock(previous);
  const oldChunk = (title) => old.chunks.find((c) => c.title === title)?.text;
  const oldGoals = goalRows(oldChunk(GOALS_TITLE));
  const goalLines = goals.map((g) => {
    const kept = oldGoals.get(g.text);
    const measuredNow = g.sources.some((s) => ran.includes(s));
    return kept && (g.status === 'pending' || !measuredNow) ? kept : g.row;
  });
  const out = [head, '', `### ${GOALS_TITLE}`, '', '| goal | measured | status |', '|---|---|---|', ...goalLines];
  const known = new Set([GOALS_TITLE]);
  for (const s of sections) {
    known.add(s.title);
    const text = ran.includes(s.name) ? s.text : (oldChunk(s.title) ?? s.text);
    if (text) out.push('', text);
  }
  // A chunk of the committed block that no known section names (a renamed or retired section) is kept, not lost.
  for (const c of old.chunks) if (!known.has(c.title)) out.push('', c.text);
  return out.join('\n');
}
