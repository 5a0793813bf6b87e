/**
 * The notebook's shared scope: every top-level name any cell has declared, like the variables of a Jupyter kernel.
 * Cells see it through `with (scope.view(…))` (rewrite.ts explains why that is enough). The view is a Proxy, and
 * its traps are where the notebook's rules live:
 *
 * - a name a cell declared resolves to its latest value, whichever cell declared it;
 * - the workbook's names (`tf`, `display`, the cell's own `console`, …) come next, so a learner may shadow them;
 * - real globals (`Math`, `document`, …) fall through to the browser;
 * - anything else is an error: reading an undeclared name says which cell to run, and assigning one does NOT
 *   silently create a global (what sloppy-mode JavaScript would do inside `with`);
 * - a `const` stays constant across cells.
 */
import type { DeclarationKind } from './rewrite';
import { RUNTIME } from './rewrite';

/** Names the workbook provides to every cell (resolved per run: each run has its own console and signal). */
export interface RuntimeNames {
  has(name: string): boolean;
  get(name: string): unknown;
}

const NO_RUNTIME: RuntimeNames = { has: () => false, get: () => undefined };

/** The variables shared by the cells of one lesson page. */
export class NotebookScope {
  private readonly values = new Map<string, unknown>();
  private readonly kinds = new Map<string, DeclarationKind>();
  private readonly origins = new Map<string, string>();

  /** Declares (or re-declares) mutable names as undefined: what `var`/`let` hoisting does. */
  declare(names: readonly string[], cellId: string): void {
    for (const name of names) {
      this.values.set(name, undefined);
      this.kinds.set(name, 'var');
      this.origins.set(name, cellId);
    }
  }

  /** Defines names with their values (a cell's `const`, `class` and `function` declarations). */
  define(kind: DeclarationKind, entries: Record<string, unknown>, cellId: string): void {
    for (const [name, value] of Object.entries(entries)) {
      this.values.set(name, value);
      this.kinds.set(name, kind);
      this.origins.set(name, cellId);
    }
  }

  /** True when some cell has declared `name`. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The current value of `name` (undefined when not declared). */
  get(name: string): unknown {
    return this.values.get(name);
  }

  /** How `name` was declared, and by which cell. */
  describe(name: string): { kind: DeclarationKind; cellId: string } | undefined {
    const kind = this.kinds.get(name);
    return kind && { kind, cellId: this.origins.get(name) ?? '' };
  }

  /** Assigns an existing name, as `x = …` in a cell does; a `const` refuses. */
  assign(name: string, value: unknown): void {
    const kind = this.kinds.get(name);
    if (kind === 'const') {
      throw new TypeError(
        `Assignment to constant variable "${name}" (declared with const in cell "${this.origins.get(name)}"). Declare it with let if it must change.`,
      );
    }
    this.values.set(name, value);
  }

  /** All declared names, in declaration order. */
  names(): string[] {
    return [...this.values.keys()];
  }

  /** Forgets everything (Restart). */
  clear(): void {
    this.values.clear();
    this.kinds.clear();
    this.origins.clear();
  }

  /** The object a cell runs `with`: notebook names first, then the workbook's, then the browser's globals. */
  view(runtime: RuntimeNames = NO_RUNTIME): object {
    const isOurs = (key: string | symbol): key is string => typeof key === 'string' && !key.startsWith(RUNTIME);
    return new Proxy(Object.create(null) as object, {
      has: (_target, key) => {
        if (!isOurs(key)) return false;
        if (this.values.has(key) || runtime.has(key)) return true;
        // Not ours and not a browser global: claim it anyway, so `get`/`set` can give a clear error instead of a
        // silent global variable.
        return !(key in globalThis);
      },
      get: (_target, key) => {
        if (!isOurs(key)) return undefined; // Symbol.unscopables and friends: nothing is unscopable
        if (this.values.has(key)) return this.values.get(key);
        if (runtime.has(key)) return runtime.get(key);
        throw new ReferenceError(
          `${key} is not defined. If an earlier cell declares it, run that cell first (Run all above).`,
        );
      },
      set: (_target, key, value) => {
        if (!isOurs(key)) return false;
        if (this.values.has(key)) {
          this.assign(key, value);
          return true;
        }
        if (runtime.has(key)) {
          throw new TypeError(
            `${key} is provided by the workbook; declare your own with \`let ${key} = …\` to replace it.`,
          );
        }
        throw new ReferenceError(
          `${key} is not declared. Write \`let ${key} = …\` (or const) the first time you use it.`,
        );
      },
    });
  }
}
