/**
 * Lesson 3's graders (lessons/03-early-and-late-layers/checks.ts) tested as graders: for every `wb.check` member,
 * rows of near misses a learner could write and the right answer, each with the exact message and every rung of its
 * hint ladder. earlyAndLate and channelFor run on the real MobileNet and photos (loaded once, beforeAll), plus two
 * hand-made models for the "after the pooling" branch the real one cannot reach alone; linearProbe runs on a
 * hand-made evidence api (each row the score a probe would get), and labelGaps on hand-made means. Then lesson 3's
 * checks as the page reaches them: the registration, and wb.check's ladder.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import lesson3, {
  channelFor,
  earlyAndLate,
  labelGaps,
  linearProbeCheck,
  PROBE_TARGET,
} from '../../lessons/03-early-and-late-layers/checks';
import { createWorkbook, type Workbook } from '../../src/workbook';
import { CheckFailed, type CheckResult } from '../../src/workbook/checks';
import type { ChecksOf, LessonCheckContext } from '../../src/workbook/checks-registry';
import type { Probe } from '../../src/workbook/evidence';
import { channelMeans, type ChannelMeans } from '../../src/workbook/pictures';
import { Session } from '../../src/workbook/session';
import { nodePlatform } from '../helpers/workbook-node';
import { forgetFigures, noted } from '../helpers/figures';
import { no, yes } from '../helpers/verdicts';

// The ladders, word for word.
const MISSING = [
  'Feature maps are outputs of shape height × width × channels; early layers keep the photo’s resolution, late ones have shrunk it to 7 × 7.',
  'model.layers lists the layers in order; layer.outputShape is [batch, height, width, channels] for feature maps, and layer.name is what the check wants.',
  'Filter model.layers to the 4-dimensional outputs, then pick by height: the deepest still ≥ 56 for early, the last one for late.',
];
const NOT_MAPS = [
  'Feature maps have a height and a width: after the pooling, a photo is a plain list of numbers.',
  'Keep only the layers whose outputShape has 4 entries (batch, height, width, channels).',
];
const NOT_EARLY = [
  'Early means near the input, where each position still sees a small patch of the photo.',
  'outputShape[1] is the height of a layer’s feature maps: keep the layers where it is 56 or more.',
];
const POOLED = [
  'Late means just before the pooling: the last output that is still a grid of several positions.',
  'The pooling and the classifier after it output 1 × 1 grids: keep only the layers whose outputShape has a height above 1.',
  'Filter model.layers to 4-dimensional outputs with outputShape[1] > 1, and take the last one’s name.',
];
const NOT_LATE = [
  'Late means just before the pooling, where the photo has shrunk to its smallest feature maps.',
  'The last layer in model.layers whose outputShape still has a height and a width is the latest.',
];
const afterPooling = (late: string, shape: string) =>
  `${late} is ${shape}, after the pooling: one number per channel (or per class), shaped as a 1×1 grid for the old classifier. Not feature maps any more.`;
const CHANNEL_RANGE = ['catChannel is the *index* of a channel (a column of means), not a value of it.'];
const RANKED = [
  'Score every channel, not one: for each c, its average over the cat photos minus its average over the others; keep the c with the largest score.',
  'means[i][c] is photo i’s value for channel c, and isCat[i] tells which side photo i is on; a loop over c from 0 to means[0].length − 1 visits every channel.',
  'Inside the loop: average column c over the cat rows and over the other rows, subtract, and when that beats the best gap so far, remember c.',
];
const NOT_A_PROBE = ['The check runs your probe on features of its own: pass `probe` without calling it.'];
const SHAPE = [
  'The probe answers for the *validation* photos: one row per photo of validationX, one column per class.',
  'The number of classes is train.y.shape[1]; apply the learned weights to validationX, not to train.x.',
];
const NOT_PROBABILITIES = [
  'Return probabilities, not logits: every row positive and summing to 1.',
  'tf.softmax turns each row of logits into probabilities.',
];
const SAME = [
  'A linear probe learns a weight per (feature, class) and a bias per class, so that features · weights + bias scores the right class highest on the training photos.',
  'tf.variable holds the weights W [features, classes] and b [classes]; an optimizer (tf.train.adam) and its minimize(() => loss) take one step; tf.losses.softmaxCrossEntropy(train.y, logits) is the loss.',
  'Loop about 100 times: minimize the cross-entropy of train.y against matMul(train.x, W) + b; then return the softmax of matMul(validationX, W) + b.',
];
const WEAK = [
  'The probe has not learned enough yet: too few steps, too small a step size, or a loss that compares the wrong things.',
  'About 100 full-batch steps of Adam with a learning rate near 0.05 are enough; the loss compares train.y with the logits of train.x.',
];
const STEM = ['Every depth has its own number of features: size W from train.x.shape[1], not a fixed number.'];

let session: Session;
let model: tf.LayersModel;
let wb: Workbook;
beforeAll(async () => {
  const platform = await nodePlatform();
  session = await Session.create(platform);
  model = (await platform.loadModel(() => {})).model;
  wb = await createWorkbook(platform, lesson3);
}, 120_000);

/** A small model whose last layer is a 1×1 grid without any pooling layer (a 56×56 kernel squeezes 56×56 maps). */
function squeezedModel(): tf.LayersModel {
  const input = tf.input({ shape: [56, 56, 1] });
  const maps = tf.layers.conv2d({ name: 'maps', filters: 2, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
  const dot = tf.layers.conv2d({ name: 'dot', filters: 2, kernelSize: 56 }).apply(maps) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: dot });
}

/** A small model with a grid again after the pooling: 64 pooled features reshaped to 4×4×4. */
function regriddedModel(): tf.LayersModel {
  const input = tf.input({ shape: [64, 64, 3] });
  const maps = tf.layers.conv2d({ name: 'maps', filters: 64, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pooled' }).apply(maps) as tf.SymbolicTensor;
  const grid = tf.layers.reshape({ name: 'grid', targetShape: [4, 4, 4] }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: grid });
}

describe('lesson 3: earlyAndLate, one row per branch, the exact message and ladder', () => {
  const ROWS: [string, string, string, CheckResult][] = [
    ['the starter: no early layer yet', '', '', no('No early layer picked yet: early is the empty string.', MISSING)],
    [
      'an early layer but no late one yet',
      'conv_pw_1_relu',
      '',
      no('No late layer picked yet: late is the empty string.', MISSING),
    ],
    [
      'a misspelt early layer',
      'conv_pw1_relu',
      'conv_pw_13_relu',
      no('The early layer "conv_pw1_relu" is not a layer of the model.', MISSING),
    ],
    [
      'a misspelt late layer',
      'conv_pw_1_relu',
      'conv_pw_13relu',
      no('The late layer "conv_pw_13relu" is not a layer of the model.', MISSING),
    ],
    [
      'a layer index instead of its name',
      3 as unknown as string,
      'conv_pw_13_relu',
      no('The early layer 3 is not a layer of the model.', MISSING),
    ],
    [
      'null for the late layer',
      'conv_pw_1_relu',
      null as unknown as string,
      no('The late layer null is not a layer of the model.', MISSING),
    ],
    [
      'the pooled features as the late layer',
      'conv_pw_1_relu',
      'global_average_pooling2d_1',
      no('global_average_pooling2d_1 outputs 256: not feature maps (height × width × channels).', NOT_MAPS),
    ],
    [
      'the pooled features as the early layer',
      'global_average_pooling2d_1',
      'conv_pw_13_relu',
      no('global_average_pooling2d_1 outputs 256: not feature maps (height × width × channels).', NOT_MAPS),
    ],
    [
      'an early layer one block too late (28×28)',
      'conv_pw_4_relu',
      'conv_pw_13_relu',
      no(
        'conv_pw_4_relu is already 28×28×64: the photo has been shrunk 8× by then. Pick an early layer, still 56×56 or larger.',
        NOT_EARLY,
      ),
    ],
    [
      'the late layer as the early one (7×7)',
      'conv_pw_13_relu',
      'conv_pw_13_relu',
      no(
        'conv_pw_13_relu is already 7×7×256: the photo has been shrunk 32× by then. Pick an early layer, still 56×56 or larger.',
        NOT_EARLY,
      ),
    ],
    [
      'the reshape after the pooling as the late layer',
      'conv1_relu',
      'reshape_1',
      no(afterPooling('reshape_1', '1×1×256'), POOLED),
    ],
    [
      'the ImageNet classifier as the late layer',
      'conv1_relu',
      'conv_preds',
      no(afterPooling('conv_preds', '1×1×1000'), POOLED),
    ],
    [
      'a late layer one block too early (14×14)',
      'conv_pw_1_relu',
      'conv_pw_11_relu',
      no('conv_pw_11_relu is 14×14×128: late layers are the 7×7 ones, just before the pooling.', NOT_LATE),
    ],
    [
      'the early layer as the late one (112×112)',
      'conv_pw_1_relu',
      'conv_pw_1_relu',
      no('conv_pw_1_relu is 112×112×16: late layers are the 7×7 ones, just before the pooling.', NOT_LATE),
    ],
  ];
  it.each(ROWS)('fails %s', (_, early, late, verdict) => {
    expect(earlyAndLate(model, early, late)).toEqual(verdict);
  });

  it.each([
    [
      'an early 112×112 layer with the last 7×7 one',
      'conv_pw_1_relu',
      'conv_pw_13_relu',
      'conv_pw_1_relu (112×112×16, layer 9) against conv_pw_13_relu (7×7×256, layer 81): 16× the channels at 1/256 of the positions.',
    ],
    [
      'the deepest 56×56 layer with the one-before-last 7×7 one',
      'conv_pw_3_relu',
      'conv_pw_12_relu',
      'conv_pw_3_relu (56×56×32, layer 21) against conv_pw_12_relu (7×7×256, layer 75): 8× the channels at 1/64 of the positions.',
    ],
    [
      'the stem with the last 7×7 layer',
      'conv1_relu',
      'conv_pw_13_relu',
      'conv1_relu (112×112×8, layer 3) against conv_pw_13_relu (7×7×256, layer 81): 32× the channels at 1/256 of the positions.',
    ],
  ])('passes %s', (_, early, late, message) => {
    expect(earlyAndLate(model, early, late)).toEqual(yes(message));
  });

  it('fails a 1×1 grid that no pooling made (the height alone decides), and a grid rebuilt after the pooling', () => {
    const squeezed = squeezedModel();
    expect(earlyAndLate(squeezed, 'maps', 'dot')).toEqual(no(afterPooling('dot', '1×1×2'), POOLED));
    const regridded = regriddedModel();
    expect(earlyAndLate(regridded, 'maps', 'grid')).toEqual(no(afterPooling('grid', '4×4×4'), POOLED));
    // Before the pooling, the same model's maps are judged by their size alone: 64×64 is early, and not late.
    expect(earlyAndLate(regridded, 'maps', 'maps')).toEqual(
      no('maps is 64×64×64: late layers are the 7×7 ones, just before the pooling.', NOT_LATE),
    );
    squeezed.dispose();
    regridded.dispose();
  });
});

describe('lesson 3: labelGaps on hand-made means', () => {
  const photo = (label: string, i: number) => ({ label, split: 'train', file: `${label}-${i}.jpg` });
  const means = (rows: [string, number[]][]): ChannelMeans =>
    ({
      layer: 'x',
      photos: rows.map(([label], i) => photo(label, i)),
      means: rows.map(([, values]) => Float32Array.from(values)),
    }) as unknown as ChannelMeans;

  it('averages each channel over the label’s photos and over the others (unequal counts), and subtracts', () => {
    const m = means([
      ['cat', [1, 10]],
      ['dog', [2, 0]],
      ['cat', [3, 20]],
      ['other', [4, 3]],
      ['cat', [5, 30]],
    ]);
    expect(labelGaps(m, 'cat')).toEqual({ inside: [3, 20], outside: [3, 1.5], gap: [0, 18.5] });
    expect(labelGaps(m, 'dog')).toEqual({ inside: [2, 0], outside: [3.25, 15.75], gap: [-1.25, -15.75] });
  });

  it('gives zeros (not NaN) for a label without photos, and nothing for no photos at all', () => {
    const m = means([
      ['cat', [2, 4, 6]],
      ['dog', [4, 8, 12]],
    ]);
    expect(labelGaps(m, 'horse')).toEqual({ inside: [0, 0, 0], outside: [3, 6, 9], gap: [-3, -6, -9] });
    expect(labelGaps(means([]), 'cat')).toEqual({ inside: [], outside: [], gap: [] });
  });
});

describe('lesson 3: channelFor on conv_pw_13_relu, cat photos', () => {
  const LAYER = 'conv_pw_13_relu';
  let ranked: number[]; // channels by their cat gap, largest first
  let inside: number[];
  let outside: number[];
  beforeAll(async () => {
    ({ inside, outside } = labelGaps(await channelMeans(session, model, LAYER), 'cat'));
    const gap = inside.map((v, c) => v - outside[c]!);
    ranked = gap
      .map((g, c) => [g, c] as const)
      .sort((a, b) => b[0] - a[0])
      .map(([, c]) => c);
  }, 300_000);
  const said = (c: number) =>
    `Channel ${c} averages ${inside[c]!.toFixed(2)} on cat photos and ${outside[c]!.toFixed(2)} on the others`;

  it('passes the largest gap and the 2nd to the 5th, naming the rank', async () => {
    expect(await channelFor(session, model, LAYER, ranked[0]!, 'cat')).toEqual(
      yes(`${said(ranked[0]!)}: the largest gap of all 256 channels of ${LAYER}.`),
    );
    for (const [k, name] of [
      [1, '2nd'],
      [2, '3rd'],
      [4, '5th'],
    ] as const)
      expect(await channelFor(session, model, LAYER, ranked[k]!, 'cat')).toEqual(
        yes(`${said(ranked[k]!)}: the ${name}-largest gap of all 256 channels of ${LAYER}.`),
      );
  });

  it('fails the 6th and the last gap with the three-rung ladder', async () => {
    expect(await channelFor(session, model, LAYER, ranked[5]!, 'cat')).toEqual(
      no(`${said(ranked[5]!)}: the 6th largest gap of the 256 channels. Some channel prefers cats much more.`, RANKED),
    );
    expect(await channelFor(session, model, LAYER, ranked[255]!, 'cat')).toEqual(
      no(
        `${said(ranked[255]!)}: the 256th largest gap of the 256 channels. Some channel prefers cats much more.`,
        RANKED,
      ),
    );
  });

  it('judges channel 0 by its gap, as any other channel', async () => {
    const rank = ranked.indexOf(0) + 1;
    const verdict = await channelFor(session, model, LAYER, 0, 'cat');
    expect(verdict.message.startsWith(`${said(0)}: the `)).toBe(true);
    expect(verdict.pass).toBe(rank <= 5);
  });

  it.each([
    ['one past the last channel', 256, '256'],
    ['a negative channel', -1, '-1'],
    ['a fraction', 2.5, '2.5'],
    ['the channel as a string', '3', 'the string "3"'],
    ['null', null, 'null'],
    ['an array of channels', [3, 4], 'an array of 2'],
  ])('fails %s with the one-rung ladder', async (_, channel, described) => {
    expect(await channelFor(session, model, LAYER, channel as number, 'cat')).toEqual(
      no(`The channel should be a whole number from 0 to 255, got ${described}.`, CHANNEL_RANGE),
    );
  });

  it('fails a label that is not ours, without hints', async () => {
    for (const label of ['cats', 'Cat', ''])
      expect(await channelFor(session, model, LAYER, ranked[0]!, label)).toEqual(
        no(`"${label}" is not one of our labels (cat, dog, other).`, []),
      );
  });

  it('notes the channel, its rank and its two means for the prose, inside a cell run', async () => {
    let verdict: CheckResult | undefined;
    try {
      const figures = await noted(async () => {
        verdict = await channelFor(session, model, LAYER, ranked[1]!, 'cat');
      }, 'channel');
      expect(verdict?.pass).toBe(true);
      expect(figures['channel.channel']).toBe(ranked[1]);
      expect(figures['channel.rank']).toBe(2);
      expect(figures['channel.meanIn']).toBe(inside[ranked[1]!]);
      expect(figures['channel.meanOut']).toBe(outside[ranked[1]!]);
    } finally {
      forgetFigures();
    }
  });
});

/** A hand-made evidence api: `score` answers from `results` by layer and records what it was asked. */
function fakeEvidence(results: Record<string, { correct: number; total: number; probabilities: number[][] }>) {
  const asked: string[] = [];
  const api = {
    score: async (probe: Probe, layer: string, network: string) => {
      asked.push(`${layer}/${network}/${typeof probe}`);
      const r = results[`${layer}/${network}`];
      if (!r) throw new Error(`no score for ${layer}/${network}`);
      const accuracy = r.correct / r.total;
      return {
        point: {
          network,
          depth: 0,
          block: 'b',
          layer,
          correct: r.correct,
          total: r.total,
          accuracy,
          interval: { estimate: accuracy, low: accuracy - 0.1234, high: accuracy + 0.05678 },
        },
        probabilities: r.probabilities,
      };
    },
  };
  return { api: api as unknown as LessonCheckContext['evidence'], asked };
}

/** `n` rows of probabilities: row i is `rows[i % rows.length]`. */
const rowsOf = (n: number, rows: number[][]) => Array.from({ length: n }, (_, i) => rows[i % rows.length]!.slice());
/**
 * Rows that differ from each other but each share an entry with the first (so "same as the first" must mean every
 * entry), one with an exact 0 (a valid probability).
 */
const VARIED = [
  [0.5, 0.3, 0.2],
  [0.5, 0.2, 0.3],
  [0.5, 0, 0.5],
];
const probe: Probe = () => [];

describe('lesson 3: linearProbe, one row per branch, the exact message and ladder', () => {
  const block13 = (correct: number, total: number, probabilities: number[][]) => ({
    'conv_pw_13_relu/imagenet': { correct, total, probabilities },
    'conv1_relu/imagenet': { correct: 20, total, probabilities: rowsOf(total, VARIED) },
  });

  it.each([
    ['its probabilities (called, not passed)', [[0.2, 0.3, 0.5]], 'an array of 1'],
    ['a promise of them', Promise.resolve(1), 'a promise (add `await`)'],
    ['nothing', undefined, 'undefined'],
    ['its name', 'probe', 'the string "probe"'],
    ['an object', {}, 'an object'],
  ])('refuses %s with the one rung, without running anything', async (_, value, described) => {
    const { api, asked } = fakeEvidence({});
    expect(await linearProbeCheck(api, value as unknown as Probe)).toEqual(
      no(`Pass your probe function itself; got ${described}.`, NOT_A_PROBE),
    );
    expect(asked).toEqual([]);
  });

  const ROWS: [string, ReturnType<typeof block13>, CheckResult][] = [
    [
      'one row short',
      block13(60, 78, rowsOf(77, VARIED)),
      no(
        'Your probe returned [77, 3] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'one column short (two classes)',
      block13(60, 78, rowsOf(78, [[0.5, 0.5]])),
      no(
        'Your probe returned [78, 2] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'one row of four among rows of three',
      block13(60, 78, [...rowsOf(77, VARIED), [0.25, 0.25, 0.25, 0.25]]),
      no(
        'Your probe returned [78, 3] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'nothing at all',
      block13(60, 78, []),
      no(
        'Your probe returned [0, 0] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'a row that is a string of three characters, not an array',
      block13(3, 4, [...rowsOf(3, VARIED), 'abc' as unknown as number[]]),
      no(
        'Your probe returned [4, 3] for 4 validation photos; it should be [4, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'one number per photo (the predicted class, say), rank 1',
      block13(0, 78, Array.from({ length: 78 }, (_, i) => i % 3) as unknown as number[][]),
      no(
        'Your probe returned [78] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'a single number, rank 0',
      block13(0, 78, 0.5 as unknown as number[][]),
      no(
        'Your probe returned [] (a single number) for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'a class axis of its own, rank 3',
      block13(60, 78, rowsOf(78, VARIED).map((r) => r.map((v) => [v])) as unknown as number[][]),
      no(
        'Your probe returned [78, 3, 1] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'one row of rank 2 among rows of numbers',
      block13(60, 78, [...rowsOf(77, VARIED), [[0.5], [0.3], [0.2]] as unknown as number[]]),
      no(
        'Your probe returned [78, 3] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      // A list mixed into a row of numbers: one nested entry is enough to make the row not 3 numbers.
      'one row mixing a list with numbers',
      block13(60, 78, [...rowsOf(77, VARIED), [[0.5], 0.3, 0.2] as unknown as number[]]),
      no(
        'Your probe returned [78, 3] for 78 validation photos; it should be [78, 3]: one probability per class per photo.',
        SHAPE,
      ),
    ],
    [
      'logits in the first row',
      block13(3, 4, [[-0.1, 0.6, 0.5], ...rowsOf(3, VARIED)]),
      no('Row 0 of your output, [-0.100, 0.600, 0.500], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'a row that sums to 1.01',
      block13(3, 4, [...rowsOf(2, VARIED), [0.2, 0.3, 0.51], VARIED[0]!]),
      no('Row 2 of your output, [0.200, 0.300, 0.510], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'a row that sums to 0.99',
      block13(3, 4, [...rowsOf(3, VARIED), [0.2, 0.3, 0.49]]),
      no('Row 3 of your output, [0.200, 0.300, 0.490], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'a NaN',
      block13(3, 4, [VARIED[0]!, [NaN, 0.5, 0.5], ...rowsOf(2, VARIED)]),
      no('Row 1 of your output, [NaN, 0.500, 0.500], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'a plain list with a missing entry (null)',
      block13(3, 4, [VARIED[0]!, [null, 0.5, 0.5], ...rowsOf(2, VARIED)] as unknown as number[][]),
      no('Row 1 of your output, [null, 0.500, 0.500], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'a plain list with an entry given as text',
      block13(3, 4, [...rowsOf(2, VARIED), ['0.2', 0.3, 0.5], VARIED[0]!] as unknown as number[][]),
      no('Row 2 of your output, [0.2, 0.300, 0.500], is not a probability distribution.', NOT_PROBABILITIES),
    ],
    [
      'the same probabilities for every photo',
      block13(26, 78, rowsOf(78, [[0.2, 0.3, 0.5]])),
      no(
        'Your probe gives every photo the same probabilities: it has not learned anything from the features yet.',
        SAME,
      ),
    ],
    [
      'too few right (73 %)',
      block13(57, 78, rowsOf(78, VARIED)),
      no(
        'Your probe is right on 57 of 78 validation photos (73.1 %): a linear probe on block 13 can reach 75 % or more.',
        WEAK,
      ),
    ],
    [
      'right on a shape of its own but not on the stem’s (a fixed number of features)',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: [] },
      },
      no(
        "On the stem's 8 features your probe returned [0, 0]: it must take the number of features from train.x.",
        STEM,
      ),
    ],
    [
      'one row short on the stem',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: rowsOf(77, VARIED) },
      },
      no(
        "On the stem's 8 features your probe returned [77, 3]: it must take the number of features from train.x.",
        STEM,
      ),
    ],
    [
      'one photo with two columns on the stem',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: [...rowsOf(77, VARIED), [0.5, 0.5]] },
      },
      no(
        "On the stem's 8 features your probe returned [78, 3]: it must take the number of features from train.x.",
        STEM,
      ),
    ],
    [
      'one number per photo on the stem',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: Array(78).fill(0.5) as unknown as number[][] },
      },
      no("On the stem's 8 features your probe returned [78]: it must take the number of features from train.x.", STEM),
    ],
    [
      'a single number on the stem',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: 1 as unknown as number[][] },
      },
      no(
        "On the stem's 8 features your probe returned [] (a single number): it must take the number of features from train.x.",
        STEM,
      ),
    ],
    [
      'a class axis of its own on the stem, rank 3',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': {
          correct: 0,
          total: 78,
          probabilities: rowsOf(78, VARIED).map((r) => r.map((v) => [v])) as unknown as number[][],
        },
      },
      no(
        "On the stem's 8 features your probe returned [78, 3, 1]: it must take the number of features from train.x.",
        STEM,
      ),
    ],
    [
      'two columns on the stem',
      {
        'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
        'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: rowsOf(78, [[0.5, 0.5]]) },
      },
      no(
        "On the stem's 8 features your probe returned [78, 2]: it must take the number of features from train.x.",
        STEM,
      ),
    ],
  ];
  it.each(ROWS)('fails %s', async (_, results, verdict) => {
    const { api } = fakeEvidence(results);
    expect(await linearProbeCheck(api, probe)).toEqual(verdict);
  });

  it('passes at exactly the target, asking block 13 first and then the stem, both on ImageNet features', async () => {
    expect(PROBE_TARGET).toBe(0.75);
    const { api, asked } = fakeEvidence(block13(3, 4, rowsOf(4, VARIED)));
    expect(await linearProbeCheck(api, probe)).toEqual(
      yes(
        "Your probe is right on 3 of 4 validation photos on block 13's features (75.0 %, 95 % interval 62.7–80.7 %), and runs on the stem's 8 features too.",
      ),
    );
    expect(asked).toEqual(['conv_pw_13_relu/imagenet/function', 'conv1_relu/imagenet/function']);
  });

  it('passes a probe right on 66 of 78, with its interval', async () => {
    const { api } = fakeEvidence(block13(66, 78, rowsOf(78, VARIED)));
    expect(await linearProbeCheck(api, probe)).toEqual(
      yes(
        "Your probe is right on 66 of 78 validation photos on block 13's features (84.6 %, 95 % interval 72.3–90.3 %), and runs on the stem's 8 features too.",
      ),
    );
  });

  it('takes rows that differ from the first by 1e-6 in one entry as different (the tolerance is strict)', async () => {
    const rows = [[0, 0.4, 0.6], ...rowsOf(3, [[1e-6, 0.4, 0.6]])];
    const { api } = fakeEvidence(block13(3, 4, rows));
    expect((await linearProbeCheck(api, probe)).pass).toBe(true);
  });

  it('does not ask for the stem when block 13 already fails', async () => {
    const { api, asked } = fakeEvidence(block13(57, 78, rowsOf(78, VARIED)));
    expect((await linearProbeCheck(api, probe)).pass).toBe(false);
    expect(asked).toEqual(['conv_pw_13_relu/imagenet/function']);
  });
});

describe('lesson 3: its checks as the page reaches them', () => {
  it('lessons/03-early-and-late-layers/checks.ts registers the three checks, each judged on the page’s session', async () => {
    const { api } = fakeEvidence({
      'conv_pw_13_relu/imagenet': { correct: 66, total: 78, probabilities: rowsOf(78, VARIED) },
      'conv1_relu/imagenet': { correct: 0, total: 78, probabilities: rowsOf(78, VARIED) },
    });
    const checks = lesson3.create({ session, evidence: api });
    expect(Object.keys(checks).sort()).toEqual(['channelFor', 'earlyAndLate', 'linearProbe']);
    expect(await checks.earlyAndLate(model, 'conv_pw_4_relu', 'conv_pw_13_relu')).toEqual(
      no(
        'conv_pw_4_relu is already 28×28×64: the photo has been shrunk 8× by then. Pick an early layer, still 56×56 or larger.',
        NOT_EARLY,
      ),
    );
    expect(await checks.channelFor(model, 'conv_pw_13_relu', 256, 'cat')).toEqual(
      no('The channel should be a whole number from 0 to 255, got 256.', CHANNEL_RANGE),
    );
    expect(await checks.channelFor(model, 'conv_pw_13_relu', 3, 'horse')).toEqual(
      no('"horse" is not one of our labels (cat, dog, other).', []),
    );
    expect((await checks.linearProbe(probe)).message).toMatch(/^Your probe is right on 66 of 78 validation photos/);
    expect(() => checks.earlyAndLate({} as never, 'a', 'b')).toThrow(/^wb\.check\.earlyAndLate expects a model/);
    expect(() => checks.channelFor(null as never, 'a', 0, 'cat')).toThrow(/^wb\.check\.channelFor expects a model/);
  });

  it('wb.check.earlyAndLate resolves for the solution and stops the starter’s cell with the first rung', async () => {
    const check = wb.check as unknown as ChecksOf<typeof lesson3>;
    await expect(check.earlyAndLate(model, 'conv_pw_1_relu', 'conv_pw_13_relu')).resolves.toBeUndefined();
    const e = await check.earlyAndLate(model, '', '').then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).result).toMatchObject({
      pass: false,
      message: 'No early layer picked yet: early is the empty string.',
      shownHints: [MISSING[0]],
    });
  });
});
