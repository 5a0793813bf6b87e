/**
 * A TypeScript language service built the way Monaco's worker builds one (tsWorker.js: script names = models + extra
 * libs, readFile/fileExists over them only, current directory ""), for tests of what the in-page editor shows.
 */
import ts from 'typescript';
import { CELL_COMPILER_OPTIONS } from '../../scripts/cell-env.mjs';

/** A language service over `files` only, plus TypeScript's own lib files (Monaco ships those in the worker). */
export function monacoLikeService(files: Map<string, string>): ts.LanguageService {
  const libDir = ts.getDefaultLibFilePath({}).replace(/[^/]+$/, '');
  const read = (name: string): string | undefined =>
    files.get(name) ?? (name.startsWith(libDir) ? ts.sys.readFile(name) : undefined);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ ...CELL_COMPILER_OPTIONS }) as ts.CompilerOptions,
    getScriptFileNames: () => [...files.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = read(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '',
    getDefaultLibFileName: (options) => libDir + ts.getDefaultLibFileName(options),
    readFile: read,
    fileExists: (name) => read(name) !== undefined,
  };
  return ts.createLanguageService(host);
}
