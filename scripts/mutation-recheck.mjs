#!/usr/bin/env node
/**
 * Re-checks the mutants a Stryker run left alive (survived or without coverage), after new tests were written for
 * them, without a whole new run: each one is applied to a private copy of the tree, one at a time, and the given
 * unit tests are run against it. A mutant is killed when the tests fail. MUTATION.md's "after" scores count these.
 *
 *   node scripts/mutation-recheck.mjs reports/mutation/mutation.json src/ml/stats.ts \
 *     tests/unit/stats.test.ts,tests/unit/stats-edges.test.ts [--below-line=122]
 *
 * The copy (a temporary folder: src, tests, lessons, scripts and the configs copied; node_modules and public
 * linked) keeps the shared checkout untouched, so nobody's build ever sees a mutant. The tests must pass on the
 * unmutated copy first, or nothing is reported: a test that fails anyway would "kill" every mutant.
 * `--below-line=N` skips mutants from line N on (e.g. DOM code that Node tests cannot reach).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const [report, file, testList] = args.filter((a) => !a.startsWith('--'));
const belowLine = Number(args.find((a) => a.startsWith('--below-line='))?.split('=')[1] ?? Infinity);
if (!report || !file || !testList) {
  console.error('usage: node scripts/mutation-recheck.mjs <mutation.json> <file> <test,test…> [--below-line=N]');
  process.exit(2);
}
const tests = testList.split(',');
const root = process.cwd();
const data = JSON.parse(readFileSync(report, 'utf8')).files[file];
if (!data) throw new Error(`${report} has no mutants of ${file}`);

const copy = mkdtempSync(path.join(tmpdir(), 'mutation-recheck-'));
for (const entry of ['src', 'tests', 'lessons', 'scripts', 'package.json', 'tsconfig.json', 'vitest.config.ts'])
  cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
for (const link of ['node_modules', 'public']) symlinkSync(path.join(root, link), path.join(copy, link));

/** Runs the tests in the copy; true when they pass. */
const testsPass = () =>
  spawnSync('npx', ['vitest', 'run', ...tests], { cwd: copy, encoding: 'utf8', timeout: 600_000 }).status === 0;

try {
  if (!testsPass()) throw new Error('the tests fail without any mutant: fix them first');
  // The report's source is the one Stryker mutated; mutants are applied to it (its line and column numbers). If the
  // file has changed since, the tests would be judging the old code (a bug fixed since "kills" every mutant): refuse.
  const source = data.source;
  if (readFileSync(path.join(root, file), 'utf8') !== source)
    throw new Error(`${file} has changed since the run that wrote ${report}: run Stryker on it again`);
  const lines = source.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  let killed = 0;
  let alive = 0;
  for (const m of data.mutants) {
    if (!['Survived', 'NoCoverage'].includes(m.status) || m.location.start.line >= belowLine) continue;
    writeFileSync(
      path.join(copy, file),
      source.slice(0, offset(m.location.start)) + m.replacement + source.slice(offset(m.location.end)),
    );
    const survived = testsPass();
    survived ? alive++ : killed++;
    const where = `${file}:${m.location.start.line}:${m.location.start.column}`;
    console.log(`${survived ? 'SURVIVED' : 'killed  '} ${where} ${m.mutatorName} ${JSON.stringify(m.replacement)}`);
  }
  console.log(`${killed} killed, ${alive} still alive`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
