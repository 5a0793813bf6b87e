/**
 * Node module hooks that let plain `node` run this repository's TypeScript scripts without a build step:
 * .ts files are stripped of their types by sucrase (already a dependency, used by the cell runtime), and
 * extensionless relative imports ('../src/ml/fold') resolve to their .ts file, as Vite resolves them.
 * Registered by scripts/register-ts.mjs: `node --import ./scripts/register-ts.mjs scripts/<name>.ts`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';

/** Resolves './x' imported from a .ts file to './x.ts' (or './x/index.ts') when that file exists. */
export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (relative && context.parentURL?.endsWith('.ts') && !/\.[cm]?[jt]s$/.test(specifier)) {
    // './kernels' may also name a folder with an index.ts, as Vite resolves it.
    for (const file of [`${specifier}.ts`, `${specifier}/index.ts`]) {
      const candidate = new URL(file, context.parentURL);
      if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

/** Loads .ts files as ES modules with their type annotations removed. */
export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const filePath = fileURLToPath(url);
  const { code } = transform(await readFile(filePath, 'utf8'), {
    transforms: ['typescript'],
    filePath,
    disableESTransforms: true,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
