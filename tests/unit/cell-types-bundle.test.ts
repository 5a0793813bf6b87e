/**
 * The editor's type bundle (scripts/cell-types-bundle.mjs) must be *self-contained*: Monaco's TypeScript worker sees
 * only these files, under file:/// URIs, with no node_modules and no package.json to read. This test builds a
 * TypeScript language service the way Monaco's worker does (tsWorker.js: script names = models + extra libs,
 * readFile/fileExists over them only, current directory "") and checks that tf, Plot, the helpers and an earlier
 * cell's declarations all have their real types.
 */
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectCellTypes } from '../../scripts/cell-types-bundle.mjs';
import { monacoLikeService } from '../helpers/monaco-like-service';

const CELL = 'file:///cells/cell-5.ts';
const PRIOR = 'file:///cells/__prior__.d.ts';

describe('cell type bundle', () => {
  let bundle: ReturnType<typeof collectCellTypes>;
  let service: ts.LanguageService;
  const prior = [
    'const model = tf.sequential();',
    'model.add(tf.layers.dense({ units: 3, inputShape: [4] }));',
    'let learningRate = 0.01;',
    'const base = await tf.loadLayersModel("/x/model.json");',
  ].join('\n');
  const cell = [
    'const m: tf.Sequential = model;', // line 1: from the earlier cell
    'const wrong: string = learningRate;', // line 2: number is not string
    'display(Plot.plot({ marks: [Plot.dot([1, 2, 3])] }));',
    'if (!signal.aborted) progress(1, 2, "step");',
    'const base = tf.tensor([1, 2]);', // line 5: shadows the earlier `base`, no clash
    'display(notDeclaredAnywhere, base.shape);', // line 6
    'const pretrained: tf.LayersModel = await wb.loadModel();', // the workbook facade, typed from src/workbook
    'tf.',
  ].join('\n');

  beforeAll(() => {
    bundle = collectCellTypes();
    service = monacoLikeService(new Map([...Object.entries(bundle.files), [PRIOR, prior], [CELL, cell]]));
  });

  it('holds tfjs, Plot and the helpers, and declares the cell globals', () => {
    expect(bundle.globals).toEqual(expect.arrayContaining(['tf', 'Plot', 'display', 'progress', 'signal', 'wb']));
    expect(Object.keys(bundle.files)).toEqual(
      expect.arrayContaining([
        'file:///cell-env.d.ts',
        'file:///src/runtime/cell-globals.d.ts',
        'file:///node_modules/@tensorflow/tfjs/index.d.ts',
        'file:///node_modules/@tensorflow/tfjs-core/dist/index.d.ts',
        'file:///node_modules/@observablehq/plot/src/index.d.ts',
      ]),
    );
    // Declarations only: no package JavaScript, no project code.
    expect(Object.keys(bundle.files).every((uri) => uri.endsWith('.d.ts'))).toBe(true);
    expect(bundle.files['file:///src/runtime/cell-globals.d.ts']).not.toMatch(/=>|\{\s*return/);
    expect(bundle.files['file:///src/workbook/index.d.ts']).toMatch(/declare function assemble/);
    expect(bundle.files['file:///src/workbook/index.d.ts']).not.toMatch(/session\.loadModel\(\)/); // no code
  });

  it('reports exactly the real errors of a cell, with the earlier cells and the globals known', () => {
    const diagnostics = [...service.getSyntacticDiagnostics(CELL), ...service.getSemanticDiagnostics(CELL)]
      .filter((d) => d.start! < cell.lastIndexOf('tf.')) // the unfinished `tf.` on the last line is for completions
      .map((d) => `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}: TS${d.code}`);
    expect(diagnostics).toEqual(['2: TS2322', '6: TS2304']);
  });

  it('completes tf. with its functions, and knows an earlier cell’s type', () => {
    const completions = service.getCompletionsAtPosition(CELL, cell.length, {});
    const names = completions?.entries.map((e) => e.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['sequential', 'tensor', 'layers', 'train', 'loadLayersModel']));
    const info = service.getQuickInfoAtPosition(CELL, cell.indexOf('model;'));
    expect(ts.displayPartsToString(info?.displayParts)).toMatch(/const model: tf\.Sequential/);
  });
});
