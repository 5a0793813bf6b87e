/**
 * summarize (src/ml/evaluate.ts) on hand-made predictions whose counts are known: the confusion matrix is indexed
 * [true][predicted], precision divides by the column (photos *called* X), recall by the row (photos that *are* X),
 * and the loss is the mean −log of the true class's score. Every figure below is worked out by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PhotoEntry, PhotoSet } from '../../src/ml/dataset';
import { classify, type Evaluation, evaluate, predictImage, predictPhotos, summarize } from '../../src/ml/evaluate';
import { imageToInput, type RgbImage } from '../../src/ml/image';

const LABELS = ['cat', 'dog', 'other'] as const;

/** One photo with its true label. */
const photo = (label: string, n: number): PhotoEntry =>
  ({ file: `${label}/${n}.jpg`, name: `${label} ${n}`, label, split: 'validation' }) as PhotoEntry;

/** Scores that put `p` on `called` and share the rest evenly. */
const call = (called: number, p = 0.8): number[] => LABELS.map((_, i) => (i === called ? p : (1 - p) / 2));

// Truth → called: cat→cat ×3, cat→dog ×1, dog→dog ×2, dog→cat ×2, other→other ×1, other→cat ×1.
// Rows (truth) cat [3,1,0], dog [2,2,0], other [1,0,1]. Columns (called) cat 6, dog 3, other 1.
const CASES: [string, number][] = [
  ['cat', 0],
  ['cat', 0],
  ['cat', 0],
  ['cat', 1],
  ['dog', 1],
  ['dog', 1],
  ['dog', 0],
  ['dog', 0],
  ['other', 2],
  ['other', 0],
];
const entries = CASES.map(([label], i) => photo(label, i));
const scores = CASES.map(([, called]) => call(called));

describe('summarize on hand-made predictions', () => {
  // Computed in a hook, not while the file is collected, so that a mutation test re-runs it for every mutant.
  let result: Evaluation;
  beforeAll(() => {
    result = summarize(LABELS, entries, scores);
  });

  it('counts confusion[true][predicted], not its transpose', () => {
    expect(result.confusion).toEqual([
      [3, 1, 0],
      [2, 2, 0],
      [1, 0, 1],
    ]);
  });

  it('gives precision over the photos called X and recall over the photos that are X', () => {
    expect(result.perClass).toEqual([
      { label: 'cat', precision: 3 / 6, recall: 3 / 4, support: 4 },
      { label: 'dog', precision: 2 / 3, recall: 2 / 4, support: 4 },
      { label: 'other', precision: 1 / 1, recall: 1 / 2, support: 2 },
    ]);
  });

  it('gives accuracy as the diagonal over all photos and lists exactly the wrong ones', () => {
    expect(result.accuracy).toBe(6 / 10);
    expect(result.misclassified.map((m) => [m.file, m.label, m.predicted])).toEqual([
      ['cat/3.jpg', 'cat', 'dog'],
      ['dog/6.jpg', 'dog', 'cat'],
      ['dog/7.jpg', 'dog', 'cat'],
      ['other/9.jpg', 'other', 'cat'],
    ]);
    expect(result.predictions).toHaveLength(10);
    expect(result.predictions[0]).toEqual({
      file: 'cat/0.jpg',
      name: 'cat 0',
      label: 'cat',
      predicted: 'cat',
      scores: call(0),
    });
  });

  it("gives the loss as the mean −log of the true class's score", () => {
    // 6 photos give the true class 0.8, 4 give it 0.1.
    expect(result.loss).toBeCloseTo(-(6 * Math.log(0.8) + 4 * Math.log(0.1)) / 10, 12);
  });

  it('copies the scores, so a caller changing its array does not change the report', () => {
    const s = [[0.2, 0.7, 0.1]];
    const r = summarize(LABELS, [photo('dog', 0)], s);
    s[0]![1] = 0;
    expect(r.predictions[0]!.scores).toEqual([0.2, 0.7, 0.1]);
  });

  it('caps a zero score of the true class at −log(1e-7) instead of infinity', () => {
    const r = summarize(LABELS, [photo('cat', 0)], [[0, 1, 0]]);
    expect(r.loss).toBeCloseTo(-Math.log(1e-7), 10);
  });

  it('breaks a tie for the first label with the highest score', () => {
    const r = summarize(LABELS, [photo('dog', 0)], [[0.4, 0.4, 0.2]]);
    expect(r.predictions[0]!.predicted).toBe('cat');
  });

  it('gives 0 precision to a class never called and 0 recall to a class with no photos', () => {
    const r = summarize(LABELS, [photo('cat', 0), photo('dog', 1)], [call(0), call(0)]);
    expect(r.perClass[1]).toEqual({ label: 'dog', precision: 0, recall: 0, support: 1 });
    expect(r.perClass[2]).toEqual({ label: 'other', precision: 0, recall: 0, support: 0 });
    expect(r.perClass[0]).toEqual({ label: 'cat', precision: 1 / 2, recall: 1, support: 1 });
  });

  it('gives NaN accuracy and loss for no photos at all, and an all-zero matrix', () => {
    const r = summarize(LABELS, [], []);
    expect(r.accuracy).toBeNaN();
    expect(r.loss).toBeNaN();
    expect(r.confusion).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(r.misclassified).toEqual([]);
  });

  it('refuses scores with the wrong number of classes, and a label not among the labels, naming the photo', () => {
    expect(() => summarize(LABELS, [photo('cat', 0)], [[0.5, 0.5]])).toThrow(
      'scores for cat/0.jpg have 2 classes, the labels 3',
    );
    expect(() => summarize(LABELS, [photo('horse', 0)], [call(0)])).toThrow(
      'horse/0.jpg has label "horse", not one of cat, dog, other',
    );
  });
});

/** A small classifier of 224×224 pictures: strided conv → pooling → 3-way dense → softmax. */
function smallClassifier(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3] });
  let h = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 16, kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) })
    .apply(input) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 3 }) })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({
    inputs: input,
    outputs: tf.layers.activation({ activation: 'softmax' }).apply(h) as tf.SymbolicTensor,
  });
}

/** A made-up picture per file: a different colour pattern for each. */
function picture(file: string): RgbImage {
  const k = Number(file.replace(/\D/g, ''));
  return {
    width: 224,
    height: 224,
    data: new Uint8Array(224 * 224 * 3).map((_, j) => ((j % 3) * 90 + (j >> 9) * (k + 1) * 7) % 256),
  };
}

/** 5 training and 4 validation pictures of the three labels. */
function madeUpPhotos(): PhotoSet {
  const photos: PhotoEntry[] = Array.from({ length: 9 }, (_, i) => ({
    file: `x${i}.png`,
    name: `x${i}`,
    label: LABELS[i % 3]!,
    split: i < 5 ? 'train' : 'validation',
  }));
  return new PhotoSet(
    { labels: [...LABELS], split: { seed: 1, validationFraction: 0.4, testFraction: 0 }, photos },
    picture,
  );
}

describe('classify, predictPhotos, evaluate and predictImage on a small model', () => {
  let model: tf.LayersModel;
  let photos: PhotoSet;
  let reference: number[][]; // the model's own predict on all 9 pictures at once
  beforeAll(async () => {
    model = smallClassifier();
    photos = madeUpPhotos();
    const x = await photos.batch(photos.select());
    reference = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    x.dispose();
  });
  const close = (a: number[][], b: number[][]) =>
    expect(Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))))).toBeLessThan(1e-5);

  it('classify checks the batch shape and refuses a model with several outputs', async () => {
    const x = await photos.batch(photos.select().slice(0, 2));
    const p = classify(model, x);
    expect(p.shape).toEqual([2, 3]);
    close(p.arraySync() as number[][], reference.slice(0, 2));
    expect(() => classify(model, tf.zeros([2, 224, 224, 1]))).toThrow(
      'the model expects a batch of shape [n, 224, 224, 3], got [2, 224, 224, 1]',
    );
    const twoOutputs = { predict: (t: tf.Tensor) => [t, t] };
    expect(() => classify(twoOutputs, x)).toThrow('classify: the model has several outputs; expected one [n, classes]');
  });

  it('predictPhotos gives every photo its scores, in order, batch by batch', async () => {
    const all = photos.select();
    for (const batchSize of [1, 2, 4, 9, 32]) {
      const scores = await predictPhotos(model, photos, all, batchSize);
      expect(scores).toHaveLength(9);
      close(scores, reference);
    }
    expect(await predictPhotos(model, photos, [])).toEqual([]);
  });

  it('evaluate summarizes the validation photos by default, or the split asked for, of a model or a {model} record', async () => {
    const validation = await evaluate(model, photos);
    expect(validation.predictions.map((p) => p.file)).toEqual(['x5.png', 'x6.png', 'x7.png', 'x8.png']);
    close(
      validation.predictions.map((p) => p.scores),
      reference.slice(5),
    );
    expect(validation).toEqual(
      summarize(
        LABELS,
        photos.select('validation'),
        validation.predictions.map((p) => p.scores),
      ),
    );
    const train = await evaluate({ model }, photos, { split: 'train', batchSize: 2 });
    expect(train.predictions.map((p) => p.file)).toEqual(['x0.png', 'x1.png', 'x2.png', 'x3.png', 'x4.png']);
    close(
      train.predictions.map((p) => p.scores),
      reference.slice(0, 5),
    );
  });

  it('predictImage gives each label its probability, most likely first', async () => {
    const image = picture('x7.png');
    const expected = (model.predict(imageToInput(image).expandDims(0)) as tf.Tensor).arraySync() as number[][];
    for (const classifier of [model, { model }]) {
      const scores = await predictImage(classifier, image, LABELS);
      const want = LABELS.map((label, i) => ({ label, probability: expected[0]![i]! })).sort(
        (a, b) => b.probability - a.probability,
      );
      expect(scores.map((s) => s.label)).toEqual(want.map((w) => w.label));
      close([scores.map((s) => s.probability)], [want.map((w) => w.probability)]);
      expect(scores[0]!.probability).toBeGreaterThan(scores[1]!.probability);
      expect(scores[1]!.probability).toBeGreaterThan(scores[2]!.probability);
    }
    await expect(predictImage(model, image, ['cat', 'dog'])).rejects.toThrow(
      'the model gives 3 scores, but 2 labels were given',
    );
  });
});
