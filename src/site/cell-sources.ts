/**
 * Where a <Cell>'s code comes from, decided at build time (src/components/Cell.astro calls this). Kept out of the
 * component so that Node tests can check it, and so that a mistake fails the build with a sentence naming the
 * lesson file, the cell and the path — never a page with an empty cell.
 *
 * A tag names its code in one of three ways (the same rules as scripts/lesson-cells.mjs, which type-checks them):
 *
 *   <Cell id="freeze-base" src="./cells/freeze-base.ts" solution="./cells/freeze-base.solution.ts" />
 *   <Cell id="head" />            → cells/head.starter.ts (or cells/head.ts) and/or cells/head.solution.ts
 *   <Cell id="plot" src={code} /> → the code itself, e.g. imported with `?raw`
 *
 * Paths are relative to the lesson folder (lessons/NN-slug/). `starter` is accepted as another name for `src`.
 */

/** The props of a <Cell> that concern its code. */
export interface CellSourceProps {
  id: string;
  src?: string;
  starter?: string;
  solution?: string;
  /** The lesson folder ("01-what-the-network-knows"), when the page is not /lessons/<slug>/. */
  lesson?: string;
}

/** What the cell shows and offers. */
export interface CellSources {
  /** The code the learner starts from. */
  code: string;
  /** The reference solution, or null when there is none (or it equals the starter). */
  solution: string | null;
  /** The lesson folder the paths were resolved in, when known. */
  folder?: string;
  /** Key for the learner's saved edits: the lesson's slug (stable if lessons are renumbered), or the page path. */
  storageKey: string;
}

/** Files under lessons/, as Vite's glob gives them: "/lessons/01-x/cells/a.ts" → text. */
export type LessonFiles = Readonly<Record<string, string>>;

/** A path names a .ts file on one line; anything else is code. */
export function isCodePath(value: string): boolean {
  return !value.includes('\n') && /^\.{0,2}\/?[\w./-]+\.ts$/.test(value.trim());
}

/** "01-what-the-network-knows" → "what-the-network-knows". */
const slugOf = (folder: string) => folder.replace(/^\d+-/, '');

/** Resolves a cell's code. Throws an Error whose message names the lesson file, the cell and what is missing. */
export function resolveCellSources(props: CellSourceProps, pathname: string, files: LessonFiles): CellSources {
  const { id } = props;
  if (!id || !/^[\w-]+$/.test(id))
    throw new Error(`${pathname}: <Cell id="${id ?? ''}">: the id must be letters, digits, "-" or "_"`);
  const folders = [...new Set(Object.keys(files).map((path) => path.split('/')[2]!))];
  const slug = pathname.match(/\/lessons\/([^/]+)\/?/)?.[1];
  const folder = props.lesson ?? (slug ? folders.find((f) => slugOf(f) === slug) : undefined);
  const where = `${folder ? `lessons/${folder}/index.mdx` : pathname}: <Cell id="${id}">`;

  const read = (value: string, what: string): string => {
    if (!isCodePath(value)) return value;
    if (!folder)
      throw new Error(
        `${where}: cannot resolve ${what}="${value}": this page is not a lesson with a cells folder; pass the code itself or lesson="NN-name"`,
      );
    const path = `/lessons/${folder}/${value.trim().replace(/^\.\//, '')}`;
    const code = files[normalise(path)];
    if (code === undefined)
      throw new Error(`${where}: ${what}="${value}" does not exist (looked for ${normalise(path).slice(1)})`);
    return code;
  };
  const file = (name: string) => (folder ? files[`/lessons/${folder}/cells/${name}`] : undefined);

  const given = props.src ?? props.starter;
  let code: string | undefined;
  let solution: string | undefined;
  if (given === undefined && props.solution === undefined) {
    code = file(`${id}.starter.ts`) ?? file(`${id}.ts`);
    solution = file(`${id}.solution.ts`);
  } else {
    solution = props.solution !== undefined ? read(props.solution, 'solution') : undefined;
    code = given !== undefined ? read(given, 'src') : undefined;
  }
  code ??= solution; // a cell with only a solution is a demonstration the learner runs
  if (code === undefined) {
    throw new Error(
      `${where}: no code. Give src="./cells/${id}.ts" (or solution="…"), or add lessons/${folder ?? '<lesson>'}/cells/${id}.starter.ts or ${id}.solution.ts`,
    );
  }
  return {
    code,
    solution: solution !== undefined && solution !== code ? solution : null,
    folder,
    storageKey: folder ? slugOf(folder) : (props.lesson ?? pathname),
  };
}

/** Resolves "." and ".." segments of a "/"-separated path. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return `/${out.join('/')}`;
}
