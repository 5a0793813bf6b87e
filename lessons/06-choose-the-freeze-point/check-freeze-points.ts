/**
 * Lesson 6's exercise check: the learner's `blockEnd(n)` must name the last layer of block n for EVERY block (the
 * check calls it on all 13, so a function that knows one answer by heart fails), and their list of freeze points
 * must compare at least three distinct points, the whole base frozen among them, each a block end (or the
 * baseline, or nothing frozen at all). Each mistake has its own hint ladder: the idea, the API, almost the line.
 */
import type * as tf from '@tensorflow/tfjs';
import { describeLayers, layerIndex, summarizeBlocks } from '../../src/ml/layers';
import type { TransferModel } from '../../src/ml/surgery';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';
import { what } from '../../src/workbook/checks-helpers';

/** The LayersModel inside a transfer model (or the model itself), or null for anything else. */
function layersOf(model: TransferModel | tf.LayersModel): tf.LayersModel | null {
  const m = (model as TransferModel)?.model ?? model;
  return m && Array.isArray((m as tf.LayersModel).layers) ? (m as tf.LayersModel) : null;
}

/** Where the learner's blockEnd goes wrong, or null when it names every block's last layer. */
function blockEndMistake(blockEnd: unknown, ends: readonly { n: number; first: string; last: string }[]) {
  if (typeof blockEnd !== 'function')
    return fail(`blockEnd should be a function of a block number, got ${what(blockEnd)}.`, [
      'blockEnd(n) takes a block number and returns the name of the layer that ends that block.',
      'Declare it as `function blockEnd(n: number): string { … }` and pass it to the check as it is.',
      'Inside, look the block up in `blocks` by its name and return one of its layer names.',
    ]);
  for (const { n, first, last } of ends) {
    let got: unknown;
    try {
      got = (blockEnd as (n: number) => unknown)(n);
    } catch (e) {
      return fail(`blockEnd(${n}) threw: ${e instanceof Error ? e.message : String(e)}`, [
        'A block is a run of consecutive layers; the layer that ends it is where a freeze point "after block n" sits.',
        '`blocks.find((b) => b.name === …)` finds a group by its name ("block 12"); its `layerNames` lists its layers in model order.',
        'Return the last entry of that group’s layerNames (arrays have `.at(-1)`).',
      ]);
    }
    if (got === first)
      return fail(`blockEnd(${n}) gave "${first}", the layer that starts block ${n}, not the one that ends it.`, [
        'Freezing at a block’s first layer would leave the rest of that block to train: a freeze point after block n is its last layer.',
        'A group’s layerNames runs from its first layer to its last, in model order.',
        'Take the other end of layerNames (`.at(-1)`), or base.layers[block.lastLayer].name.',
      ]);
    if (got !== last)
      return fail(`blockEnd(${n}) gave ${what(got)}, which is not the layer that ends block ${n}.`, [
        'Find block n among the groups of `blocks`, then its last layer; compute it, don’t type names.',
        'The groups are named "stem", "block 1" … "block 13", "classifier": match on `b.name === `block ${n}``.',
        'Return that group’s `layerNames.at(-1)`.',
      ]);
  }
  return null;
}

/**
 * Lesson 6: `blockEnd` right for every block, and at least three distinct freeze points at block ends (or the
 * baseline, or the input layer), the whole base frozen among them.
 */
export function freezePointsVerdict(
  model: TransferModel | tf.LayersModel,
  points: readonly string[],
  blockEnd: (n: number) => string,
): CheckResult {
  const m = layersOf(model);
  if (!m) return fail(`Pass the model first (the pre-trained one, or a transfer model); got ${what(model)}.`);
  const blocks = summarizeBlocks(describeLayers(m));
  const cutAt =
    (model as TransferModel).cutAt ?? blocks.find((b) => b.name === 'classifier')?.layerNames[0] ?? m.layers[0]!.name;
  const ends = blocks
    .filter((b) => b.name.startsWith('block '))
    .map((b) => ({ n: Number(b.name.slice(6)), first: b.layerNames[0]!, last: b.layerNames.at(-1)! }));
  const mistake = blockEndMistake(blockEnd, ends);
  if (mistake) return mistake;
  if (!Array.isArray(points)) return fail(`freezePoints should be an array of layer names, got ${what(points)}.`);
  const valid = new Set([cutAt, m.layers[0]!.name, ...ends.map((e) => e.last)]);
  const unknown = points.filter((p) => !valid.has(p));
  if (unknown.length)
    return fail(`${unknown.map((p) => what(p)).join(', ')} is not a block end, the baseline or the input layer.`, [
      'Compare freeze points at block boundaries, so each point lets whole blocks train.',
      'Your blockEnd(n) gives the layer that ends block n; the baseline is where the classifier group starts.',
      'Build the list from calls: blockEnd(…) for each block end you choose.',
    ]);
  const distinct = [...new Set(points)];
  if (distinct.length < 3)
    return fail(
      `${distinct.length} distinct freeze point${distinct.length === 1 ? '' : 's'}${distinct.length ? ` (${distinct.join(', ')})` : ''}: the comparison needs at least three.`,
      [
        'One or two points are not an experiment: compare the baseline with block ends further and further down.',
        'blockEnd(n) for a few n below 13: the smaller n, the more of the network trains (and the longer it takes).',
        'Three or four points in all: the baseline, then blockEnd of blocks near the top and one further down.',
      ],
    );
  if (!distinct.includes(cutAt))
    return fail(
      'None of the freeze points keeps the whole base frozen: the baseline every other point is compared with.',
      [
        'The first point of the comparison is lesson 5’s run: every layer of the base frozen, only the head trains.',
        'That freeze point is the first layer of the classifier group in `blocks` (the pooled features).',
        'Put `blocks.find((b) => b.name === "classifier")` ’s first layer name first in the list.',
      ],
    );
  const earliest = Math.min(...distinct.map((p) => layerIndex(m, p)));
  return pass(
    `blockEnd names the last layer of all ${ends.length} blocks, and ${distinct.length} freeze points run from the whole base frozen down to ${m.layers[earliest]!.name}: each one lets training change more of the network.`,
  );
}
