/**
 * The declaration files the in-page editor needs to know the types of `tf`, `Plot` and the workbook's helpers,
 * collected at build time into one lazily loaded chunk.
 *
 * Monaco's TypeScript runs in a web worker with an in-memory file system: it cannot read node_modules. So we ask
 * the real TypeScript compiler, here in Node, which files the cell globals (src/runtime/cell-globals.ts) pull in —
 * exactly those, not every .d.ts of every package — and hand them over under `file:///<path in the project>` URIs,
 * so that the relative and package imports between them resolve the same way in the worker:
 *
 * - package .d.ts files as they are;
 * - the project's own .ts files as declarations only (TypeScript's declaration emit), never their code;
 * - cell-env.d.ts, which makes every export of cell-globals.ts a global (scripts/cell-env.mjs);
 * - for packages whose types entry is not `index.d.ts` (tfjs: dist/index.d.ts), a one-line `index.d.ts` that
 *   re-exports it, because the worker has no package.json to read the "types" field from.
 *
 * The Vite plugin at the bottom emits the result as a hashed JSON asset whose URL `virtual:workbook/cell-types`
 * exports; the editor fetches it only when it mounts. Nothing generated lives in the repository.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  CELL_COMPILER_OPTIONS,
  CELL_ENV_FILE,
  CELL_GLOBALS_MODULE,
  PRIOR_FILE,
  cachingHost,
  cellEnvSource,
  allLessonChecksModules,
  cellGlobalNames,
  monacoUri,
} from './cell-env.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The module id the editor imports. */
export const VIRTUAL_ID = 'virtual:workbook/cell-types';

/**
 * @typedef {object} CellTypeBundle
 * @property {Record<string, string>} files     file:/// URI → declaration text
 * @property {string[]} globals                 the names cell-env.d.ts declares
 * @property {Record<string, unknown>} compilerOptions  the cells' compiler options, for Monaco's TS worker
 * @property {string} priorUri                  where the editor puts the earlier cells' code
 */

/**
 * Collects the declaration files of the cell globals.
 * @param {string} [root] project root (holds src/runtime/cell-globals.ts and node_modules)
 * @returns {CellTypeBundle}
 */
export function collectCellTypes(root = ROOT) {
  const options = {
    ...CELL_COMPILER_OPTIONS,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
  };
  const { host, setVirtual } = cachingHost(ts, options);
  const globalsPath = join(root, CELL_GLOBALS_MODULE);
  // Every lesson's checks.ts too: one bundle serves every lesson page, so `wb.check` lists all lessons' checks in
  // the editor (the page itself only has its own lesson's; npm run check:cells checks each lesson on its own).
  const checksModules = allLessonChecksModules(root);
  const program = ts.createProgram({
    rootNames: [globalsPath, ...checksModules.map((m) => join(root, m))],
    options,
    host,
  });
  const globals = cellGlobalNames(ts, program, root);

  /** @type {Record<string, string>} */
  const files = {};
  const packageDirs = new Set();
  for (const source of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(source)) continue;
    const path = source.fileName;
    if (/\/node_modules\//.test(path)) {
      if (!path.endsWith('.d.ts')) continue; // a package's .js never reaches the worker
      files[monacoUri(root, path)] = source.text;
      packageDirs.add(packageDir(path));
    } else {
      program.emit(
        source,
        (name, text) => {
          files[monacoUri(root, name)] = text;
        },
        undefined,
        true,
      );
    }
  }
  if (!files[monacoUri(root, globalsPath.replace(/\.ts$/, '.d.ts'))]) {
    throw new Error(`declaration emit produced nothing for ${CELL_GLOBALS_MODULE}`);
  }
  const envText = cellEnvSource(globals, checksModules);
  setVirtual(join(root, CELL_ENV_FILE), envText);
  files[monacoUri(root, join(root, CELL_ENV_FILE))] = envText;

  for (const dir of packageDirs) {
    const index = monacoUri(root, join(dir, 'index.d.ts'));
    if (files[index]) continue;
    const name = relative(join(root, 'node_modules'), dir).split('\\').join('/');
    const entry = ts.resolveModuleName(name, globalsPath, options, host).resolvedModule?.resolvedFileName;
    if (!entry || !files[monacoUri(root, entry)]) continue; // only reached by deep imports, which need no index
    const target =
      './' +
      relative(dir, entry)
        .split('\\')
        .join('/')
        .replace(/\.d\.ts$/, '');
    const entrySource = program.getSourceFile(entry);
    const exports = entrySource && program.getTypeChecker().getSymbolAtLocation(entrySource)?.exports;
    files[index] = exports?.has(/** @type {any} */ ('export='))
      ? `import m = require('${target}');\nexport = m;\n`
      : `export * from '${target}';\n${exports?.has(/** @type {any} */ ('default')) ? `export { default } from '${target}';\n` : ''}`;
  }
  return {
    files,
    globals,
    compilerOptions: { ...CELL_COMPILER_OPTIONS },
    priorUri: monacoUri(root, join(root, PRIOR_FILE)),
  };
}

/** node_modules/@scope/name/dist/x.d.ts → node_modules/@scope/name */
function packageDir(/** @type {string} */ path) {
  const at = path.lastIndexOf('/node_modules/') + '/node_modules/'.length;
  const parts = path.slice(at).split('/');
  return path.slice(0, at) + parts.slice(0, parts[0]?.startsWith('@') ? 2 : 1).join('/');
}

/** Where the dev server serves the bundle. */
const DEV_URL = '/@workbook/cell-types.json';

/**
 * Vite plugin: `import url from 'virtual:workbook/cell-types'` gives the URL of the bundle, a JSON file the editor
 * fetches when it mounts. In a build it is an emitted asset (`_astro/cell-types.<hash>.json`, cacheable forever);
 * in dev the server makes it on first request and again after a project file it was made from changes.
 *
 * JSON, not a JS module: 2 MB of declarations is parsed fastest by `JSON.parse`, and Vite's dev-time import
 * scanner trips over `import("…")` text inside such a large string literal.
 * @returns {import('vite').Plugin}
 */
export function cellTypesPlugin() {
  const resolved = '\0' + VIRTUAL_ID;
  /** @type {string | undefined} */
  let json;
  /** @type {string[]} */
  let projectFiles = [];
  let isBuild = false;
  const bundleJson = () => {
    if (json === undefined) {
      const bundle = collectCellTypes();
      projectFiles = Object.keys(bundle.files)
        .filter((uri) => !uri.includes('/node_modules/') && uri !== 'file:///' + CELL_ENV_FILE)
        .map((uri) => join(ROOT, uri.slice('file:///'.length).replace(/\.d\.ts$/, '.ts')));
      json = JSON.stringify(bundle);
    }
    return json;
  };
  return {
    name: 'workbook-cell-types',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? resolved : undefined;
    },
    load(id) {
      if (id !== resolved) return undefined;
      if (!isBuild) return `export default ${JSON.stringify(DEV_URL)};\n`;
      const ref = this.emitFile({ type: 'asset', name: 'cell-types.json', source: bundleJson() });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};\n`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_URL, (_req, res) => {
        try {
          const body = bundleJson();
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Cache-Control', 'no-cache');
          res.end(body);
        } catch (e) {
          res.statusCode = 500;
          res.end(String(e instanceof Error ? e.stack : e));
        }
      });
      server.watcher.on('change', (file) => {
        if (projectFiles.includes(file)) json = undefined;
      });
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `node scripts/cell-types-bundle.mjs`: what the bundle holds, for a look at its size.
  const started = performance.now();
  const bundle = collectCellTypes();
  const { files, globals } = bundle;
  const { gzipSync } = await import('node:zlib');
  const json = JSON.stringify(bundle);
  console.log(`globals: ${globals.join(', ')}`);
  console.log(
    `${Object.keys(files).length} files, ${(json.length / 1e6).toFixed(2)} MB, ${(gzipSync(json).length / 1e6).toFixed(2)} MB gzip, collected in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  /** @type {Map<string, number>} */
  const perPackage = new Map();
  for (const [uri, text] of Object.entries(files)) {
    const key = uri.includes('/node_modules/')
      ? relative(join(ROOT, 'node_modules'), packageDir(join(ROOT, uri.slice(8))))
      : dirname(uri.slice(8));
    perPackage.set(key, (perPackage.get(key) ?? 0) + text.length);
  }
  for (const [key, size] of [...perPackage].sort((a, b) => b[1] - a[1]))
    console.log(`  ${(size / 1e3).toFixed(0).padStart(6)} kB  ${key}`);
}
