/**
 * Augmentation by hand (lesson 7), pinned by exact values on hand-made inputs: the pipeline's order and its coin,
 * the seeded numbers, the pixel ↔ input maps, the reference rotation's and crop's arithmetic read back through the
 * measurements, the shape messages a learner reads, and the measurements themselves on images whose answer is known
 * to the pixel (a mark one pixel off, a background at exactly the brightness threshold, a mark of 19 or 20 pixels).
 * augment.test.ts shows the same functions on the real photos; these tests say what each number must be.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  augmentationRandom,
  augmentImage,
  referenceAugmentations,
  referenceCrop,
  referenceFlip,
  referenceRotate,
  shapeProblem,
  toInput,
  toPixels,
  type Augmentations,
  type Image,
  type Random,
} from '../../src/ml/augment';
import { measureCrop, measureFlip, measureRotation } from '../../src/ml/augment-judge';
import { deriveSeed, mulberry32 } from '../../src/ml/seeded';

/** A source of the given numbers, in turn (then 0.5 for ever), that counts how many were drawn. */
function numbers(...values: number[]): Random & { drawn: () => number } {
  let i = 0;
  const next = (() => (i < values.length ? values[i++]! : (i++, 0.5))) as Random & { drawn: () => number };
  next.drawn = () => i;
  return next;
}

describe('the augmentation pipeline', () => {
  /** Augmentations that write down what they were given, each adding its own constant so the order shows. */
  function recording() {
    const log: string[] = [];
    const augmentations: Augmentations = {
      flip: (image) => (log.push(`flip ${image.dataSync()[0]}`), image.add(1)),
      rotate: (image, random) => (log.push(`rotate ${image.dataSync()[0]} ${random()}`), image.add(10)),
      crop: (image, random) => (log.push(`crop ${image.dataSync()[0]} ${random()}`), image.add(100)),
    };
    return { log, augmentations };
  }

  it('mirrors when the coin is below 0.5, then rotates, then crops, each on the one before', () => {
    const image = tf.zeros([1, 1, 3]) as Image;
    const heads = recording();
    const out = augmentImage(heads.augmentations, image, numbers(0.49, 0.25, 0.75));
    expect(heads.log).toEqual(['flip 0', 'rotate 1 0.25', 'crop 11 0.75']);
    expect(out.dataSync()[0]).toBe(111);
    const tails = recording();
    const kept = augmentImage(tails.augmentations, image, numbers(0.5, 0.25, 0.75));
    expect(tails.log).toEqual(['rotate 0 0.25', 'crop 10 0.75']);
    expect(kept.dataSync()[0]).toBe(110);
    // Only the result is left: the intermediate images are disposed, the input is kept.
    expect(image.isDisposed).toBe(false);
    tf.dispose([image, out, kept]);
  });

  it('draws copy k of photo i from mulberry32(deriveSeed(seed, i, k))', () => {
    const mine = augmentationRandom(7, 3, 1);
    const want = mulberry32(deriveSeed(7, 3, 1));
    expect([mine(), mine(), mine()]).toEqual([want(), want(), want()]);
    const other = augmentationRandom(7, 1, 3);
    expect(other()).not.toBe(mulberry32(deriveSeed(7, 3, 1))());
  });

  it('maps model input −1…1 to pixels 0…255 and back', () => {
    const input = tf.tensor3d([-1, 0, 1, 0.5], [1, 1, 4]);
    const pixels = toPixels(input);
    expect(Array.from(pixels.dataSync())).toEqual([0, 127.5, 255, 191.25]);
    expect(Array.from(toInput(pixels).dataSync())).toEqual([-1, 0, 1, 0.5]);
    tf.dispose([input, pixels]);
  });
});

describe('the reference rotation and crop, read back by the measurements', () => {
  it('turns by (2r − 1) · maxDegrees: r = 1 is +max, r = 0 is −max, r = ½ is none (15° by default)', () => {
    const turn = (rotate: Augmentations['rotate'], r: number) =>
      measureRotation((x) => rotate(x, () => r), 1).draws[0]!;
    expect(turn((x, r) => referenceRotate(x, r, 20), 1).degrees).toBeCloseTo(20, 0);
    expect(turn((x, r) => referenceRotate(x, r, 20), 0).degrees).toBeCloseTo(-20, 0);
    expect(turn((x, r) => referenceRotate(x, r, 20), 0.75).degrees).toBeCloseTo(10, 0);
    expect(Math.abs(turn((x, r) => referenceRotate(x, r, 20), 0.5).degrees)).toBeLessThan(0.01);
    expect(turn((x, r) => referenceRotate(x, r), 1).degrees).toBeCloseTo(15, 0);
    expect(turn(referenceAugmentations.rotate, 0).degrees).toBeCloseTo(-15, 0);
    expect(turn(referenceAugmentations.rotate, 1).radiusRatio).toBeCloseTo(1, 2);
  });

  it('cuts a window of minShare + (1 − minShare)·r₁ of the side at top (1 − share)·r₂, left (1 − share)·r₃', () => {
    const window = (crop: Augmentations['crop'], ...r: number[]) =>
      measureCrop((x) => crop(x, numbers(...r)), 1).draws[0]!;
    // share 0.6, top 0, left 0.4: rows 0…0.6·223, columns 0.4·223…223.
    const a = window((x, r) => referenceCrop(x, r, 0.6), 0, 0, 1);
    expect([a.top, a.bottom, a.left, a.right].map((v) => +v.toFixed(2))).toEqual([0, 133.8, 89.2, 223]);
    expect(a.skew).toBeLessThan(1e-3);
    // share 0.8 (0.6 + 0.4 · 0.5), top 0.2 · 0.25 = 0.05, left 0.2 · 0.75 = 0.15.
    const b = window((x, r) => referenceCrop(x, r, 0.6), 0.5, 0.25, 0.75);
    expect([b.top, b.bottom, b.left, b.right].map((v) => +v.toFixed(2))).toEqual([11.15, 189.55, 33.45, 211.85]);
    // The default smallest share is 0.7, the reference augmentations' too.
    const c = window((x, r) => referenceCrop(x, r), 0, 1, 0);
    expect([c.top, c.bottom, c.left, c.right].map((v) => +v.toFixed(2))).toEqual([66.9, 223, 0, 156.1]);
    const d = window(referenceAugmentations.crop, 0, 0, 0);
    expect([d.top, d.bottom, d.left, d.right].map((v) => +v.toFixed(2))).toEqual([0, 156.1, 0, 156.1]);
  });

  it('the reference flip, rotation and crop each draw what they say: none, one, three numbers', () => {
    const image = tf.zeros([224, 224, 3]) as Image;
    const r = numbers();
    tf.dispose(referenceAugmentations.flip(image));
    expect(r.drawn()).toBe(0);
    tf.dispose(referenceAugmentations.rotate(image, r));
    expect(r.drawn()).toBe(1);
    tf.dispose(referenceAugmentations.crop(image, r));
    expect(r.drawn()).toBe(4);
    image.dispose();
  });
});

describe('what a learner reads when a function returns something else', () => {
  it('names nothing, a non-tensor and a wrong shape, and says nothing of a [224, 224, 3] tensor', () => {
    expect(shapeProblem(undefined, 'flip(image)')).toBe(
      'flip(image) returned nothing, not a tensor: end it with return …',
    );
    expect(shapeProblem(3, 'crop(image, random)')).toBe(
      'crop(image, random) returned number, not a tensor: end it with return …',
    );
    const wrong = tf.zeros([224, 3, 224]);
    expect(shapeProblem(wrong, 'flip(image)')).toBe(
      'flip(image) returned a tensor of shape [224, 3, 224], not [224, 224, 3]',
    );
    const right = tf.zeros([224, 224, 3]);
    expect(shapeProblem(right, 'flip(image)')).toBeNull();
    tf.dispose([wrong, right]);
  });
});

describe('the measurements, on images whose answer is known', () => {
  it('flip: the mirror is 0 from the mirror, the unchanged image 0 from itself; a bad result measures nothing', () => {
    const mirror = measureFlip((x) => tf.reverse(x, 1));
    expect([mirror.problem, mirror.fromMirror]).toEqual([null, 0]);
    expect(mirror.fromInput).toBeGreaterThan(250);
    expect(mirror.fromUpsideDown).toBeGreaterThan(250);
    const same = measureFlip((x) => x);
    expect([same.fromInput, same.fromMirror > 250]).toEqual([0, true]);
    expect(measureFlip((x) => x.add(1)).fromInput).toBeCloseTo(1, 4);
    // Its noise, mirror and upside-down images are disposed: only what the learner's function leaks could stay.
    const tensors = tf.memory().numTensors;
    measureFlip(referenceFlip);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(measureFlip(() => 'no' as unknown as Image)).toEqual({
      problem: 'flip(image) returned string, not a tensor: end it with return …',
      fromMirror: NaN,
      fromInput: NaN,
      fromUpsideDown: NaN,
    });
  });

  it('rotation: the unchanged marks read centre shift 0, angle 0, ratio 1, six draws by default', () => {
    const same = measureRotation((x) => x);
    expect(same.problem).toBeNull();
    expect(same.draws).toHaveLength(6);
    for (const d of same.draws) expect(d).toEqual({ centreShift: 0, degrees: 0, radiusRatio: 1, found: true });
    expect(measureRotation((x) => x, 2).draws).toHaveLength(2);
    // A background at exactly the threshold (40) is not counted as a mark.
    const dim = measureRotation((x) => x.add(40), 1).draws[0]!;
    expect(dim).toEqual({ centreShift: 0, degrees: 0, radiusRatio: 1, found: true });
  });

  it('rotation: the marks moved by hand are read to the pixel', () => {
    // The whole image one row down and two columns left: the centre moved √5, the red mark is still 80 to its right.
    const moved = measureRotation(
      (x) =>
        x.slice([0, 2, 0], [223, 222, 3]).pad([
          [1, 0],
          [0, 2],
          [0, 0],
        ]) as Image,
      1,
    );
    expect(moved.draws[0]!.centreShift).toBeCloseTo(Math.sqrt(5), 6);
    // The red mark a quarter turn up (on screen: counter-clockwise), at 40 pixels from the centre.
    const quarter = measureRotation(
      () =>
        markedImage([
          [112, 112, 1],
          [72, 112, 0],
        ]),
      1,
    ).draws[0]!;
    expect(quarter.degrees).toBeCloseTo(90, 6);
    expect(quarter.radiusRatio).toBeCloseTo(0.5, 6);
    expect(quarter.centreShift).toBe(0);
    const below = measureRotation(
      () =>
        markedImage([
          [112, 112, 1],
          [112 + 80, 112 - 80, 0],
        ]),
      1,
    ).draws[0]!;
    expect(below.degrees).toBeCloseTo(-135, 6);
    expect(below.radiusRatio).toBeCloseTo(Math.SQRT2, 6);
  });

  it('rotation: a mark of 20 bright pixels is found, one of 19 is lost, and a lost centre is infinitely far', () => {
    const pixels = (n: number, channel: number) => {
      const data = new Float32Array(224 * 224 * 3);
      for (let i = 0; i < n; i++) data[(112 * 224 + 100 + i) * 3 + channel] = 255;
      return data;
    };
    const twenty = measureRotation(() => tf.tensor3d(pixels(20, 0), [224, 224, 3]) as Image, 1).draws[0]!;
    expect(twenty.found).toBe(true);
    expect(twenty.centreShift).toBe(Infinity);
    const nineteen = measureRotation(() => tf.tensor3d(pixels(19, 0), [224, 224, 3]) as Image, 1).draws[0]!;
    expect(nineteen).toEqual({ centreShift: Infinity, degrees: NaN, radiusRatio: NaN, found: false });
    // A mark on the left edge (column 0) is read there, not also at the end of the row before.
    const edge = measureRotation(
      () =>
        tf.tensor3d(
          pixels(0, 0).map((_, i) => (i % 672 === 0 && i >= 100 * 672 && i < 120 * 672 ? 255 : 0)),
          [224, 224, 3],
        ) as Image,
      1,
    ).draws[0]!;
    expect(edge.found).toBe(true);
    expect(edge.degrees).toBeCloseTo((Math.atan2(112 - 109.5, -112) * 180) / Math.PI, 6);
    expect(edge.radiusRatio).toBeCloseTo(Math.hypot(2.5, 112) / 80, 6);
    const greenOnly = measureRotation(() => tf.tensor3d(pixels(20, 1), [224, 224, 3]) as Image, 1).draws[0]!;
    expect(greenOnly.found).toBe(false);
    expect(greenOnly.centreShift).toBeCloseTo(Math.hypot(0, 109.5 - 112), 6);
  });

  it('rotation: draws from mulberry32(seed), stops at the first wrong shape and names it', () => {
    const seen: number[] = [];
    measureRotation((x, r) => (seen.push(r()), x), 3, 5);
    const want = mulberry32(5);
    expect(seen).toEqual([want(), want(), want()]);
    const firstOf11 = mulberry32(11)();
    const got: number[] = [];
    measureRotation((x, r) => (got.push(r()), x), 1);
    expect(got).toEqual([firstOf11]);
    let calls = 0;
    const bad = measureRotation((x) => (calls++, x.expandDims(0) as unknown as Image), 4);
    expect(bad).toEqual({
      problem: 'rotate(image, random) returned a tensor of shape [1, 224, 224, 3], not [224, 224, 3]',
      draws: [],
    });
    expect(calls).toBe(1);
  });

  it('crop: the unchanged grid is the whole window, no skew; a transposed one is all skew', () => {
    const same = measureCrop((x) => x);
    expect(same.problem).toBeNull();
    expect(same.draws).toHaveLength(6);
    for (const d of same.draws)
      expect(d).toEqual({ top: 0, bottom: 223, left: 0, right: 223, skew: 0, notPhoto: 0, blue: 100, flat: false });
    const turned = measureCrop((x) => tf.transpose(x, [1, 0, 2]), 2);
    expect(turned.draws).toEqual(
      Array(2).fill({ top: 112, bottom: 112, left: 112, right: 112, skew: 223, notPhoto: 0, blue: 100, flat: false }),
    );
    // A skew on one row only (row 208, the last one the measurement samples; here it holds column 208) is seen.
    const bent = measureCrop(
      (x) =>
        tf.concat(
          [
            x.slice([0, 0, 0], [208, 224, 3]),
            x.slice([0, 208, 0], [224, 1, 3]).transpose([1, 0, 2]),
            x.slice([209, 0, 0], [15, 224, 3]),
          ],
          0,
        ) as Image,
      1,
    );
    expect(bent.draws[0]!.skew).toBe(223);
    // A skew down one column only (column 208 holds its row number as green; every row still has one red): seen too.
    const bentColumn = measureCrop(
      (x) =>
        tf.tidy(
          () =>
            tf.concat(
              [
                x.slice([0, 0, 0], [224, 208, 3]),
                tf.concat(
                  [
                    x.slice([0, 208, 0], [224, 1, 1]),
                    x.slice([0, 208, 0], [224, 1, 1]),
                    x.slice([0, 208, 2], [224, 1, 1]),
                  ],
                  2,
                ),
                x.slice([0, 209, 0], [224, 15, 3]),
              ],
              1,
            ) as Image,
        ),
      1,
    );
    expect(bentColumn.draws[0]!.skew).toBe(223);
  });

  it('crop: a window past the edge is counted by its fill, whatever its value, and its fill is no skew; a turn is skew still', () => {
    const cut =
      (box: number[], fill = 0) =>
      (x: Image) =>
        tf.tidy(
          () =>
            tf.image
              .cropAndResize(x.expandDims(0) as tf.Tensor4D, [box], [0], [224, 224], 'bilinear', fill)
              .squeeze([0]) as Image,
        );
    // Rows 111.5 + y of the photo: y ≥ 112 is past row 223, 112 of the 224 rows filled with 0 (so the bottom edge and
    // row 112, where left and right are read, read 0 too). Half the blues are 0, half 100: the upper middle one is 100.
    const low = measureCrop(cut([0.5, 0, 1.5, 1]), 1).draws[0]!;
    expect(low).toEqual({
      top: 111.5,
      bottom: 0,
      left: 0,
      right: 0,
      skew: 0,
      notPhoto: 112 * 224,
      blue: 100,
      flat: false,
    });
    // The same window filled with white: the fill is counted all the same (it once read as the photo), and the
    // upper middle blue is now the fill's 255.
    const white = measureCrop(cut([0.5, 0, 1.5, 1], 255), 1).draws[0]!;
    expect(white).toEqual({
      top: 111.5,
      bottom: 255,
      left: 255,
      right: 255,
      skew: 0,
      notPhoto: 112 * 224,
      blue: 255,
      flat: false,
    });
    // Past the top and the left edge: 0.25 · 223 = 55.75 pixels before 0, so 56 rows and 56 columns are fill; a grey
    // fill of 128 (the value a learner might pick) is fill too, not the photo.
    for (const fill of [0, 128]) {
      const corner = measureCrop(cut([-0.25, -0.25, 0.75, 0.75], fill), 1).draws[0]!;
      expect(corner.notPhoto).toBe(224 * 224 - 168 * 168);
      expect(corner.skew).toBe(0);
      expect(corner.blue).toBe(100);
    }
    // Wholly past the edge: one flat fill, every pixel [7, 7, 7].
    const outside = measureCrop(cut([1.2, 1.2, 1.8, 1.8], 7), 1).draws[0]!;
    expect(outside).toEqual({
      top: 7,
      bottom: 7,
      left: 7,
      right: 7,
      skew: 0,
      notPhoto: 224 * 224,
      blue: 7,
      flat: true,
    });
    // An empty box: every pixel is the photo's [111.5, 111.5] (flat too, but the photo's blue).
    const point = measureCrop(cut([0.5, 0.5, 0.5, 0.5]), 1).draws[0]!;
    expect(point).toEqual({
      top: 111.5,
      bottom: 111.5,
      left: 111.5,
      right: 111.5,
      skew: 0,
      notPhoto: 0,
      blue: 100,
      flat: true,
    });
    // Inside the photo but turned: the corners rotateWithOffset fills are fill too, the rows still skew.
    const turned = measureCrop(
      (x) => tf.tidy(() => tf.image.rotateWithOffset(x.expandDims(0) as tf.Tensor4D, 0.2, 0).squeeze([0]) as Image),
      1,
    ).draws[0]!;
    expect(turned.notPhoto).toBeGreaterThan(0);
    expect(turned.skew).toBeGreaterThan(2);
  });

  it("crop: values scaled or shifted leave no pixel with the photo's blue; half a level of blue is the line", () => {
    const doubled = measureCrop((x) => x.mul(2) as Image, 1).draws[0]!;
    expect(doubled).toEqual({
      top: 0,
      bottom: 446,
      left: 0,
      right: 446,
      skew: 0,
      notPhoto: 224 * 224,
      blue: 200,
      flat: false,
    });
    /** The grid with `blue` added to its blue channel, transposed or not. */
    const bluer = (blue: number, turn: boolean) => (x: Image) =>
      tf.tidy(() => {
        const shifted = x.add(tf.tensor1d([0, 0, blue])) as Image;
        return turn ? (tf.transpose(shifted, [1, 0, 2]) as Image) : shifted;
      });
    const read = (blue: number, turn: boolean) => measureCrop(bluer(blue, turn), 1).draws[0]!;
    // 0.25 off is still the photo (a transposed grid skews); 0.5 off either way is not (and so no skew is read).
    expect(read(0.25, false)).toMatchObject({ notPhoto: 0, blue: 100.25, flat: false, skew: 0 });
    expect(read(0.25, true)).toMatchObject({ notPhoto: 0, skew: 223 });
    expect(read(-0.25, true)).toMatchObject({ notPhoto: 0, skew: 223 });
    for (const off of [0.5, -0.5]) {
      expect(read(off, false)).toMatchObject({ notPhoto: 224 * 224, blue: 100 + off, flat: false, skew: 0 });
      expect(read(off, true)).toMatchObject({ notPhoto: 224 * 224, skew: 0 });
    }
    // One pixel (the last) unlike the others is not flat.
    const almostFlat = measureCrop(
      () =>
        tf.tidy(
          () =>
            tf.zeros([224, 224, 3]).add(tf.oneHot([224 * 224 * 3 - 1], 224 * 224 * 3).reshape([224, 224, 3])) as Image,
        ),
      1,
    ).draws[0]!;
    expect(almostFlat).toMatchObject({ flat: false, notPhoto: 224 * 224, blue: 0 });
  });

  it('crop: draws from mulberry32(seed), and a wrong shape ends the measurement', () => {
    const seen: number[] = [];
    measureCrop((x, r) => (seen.push(r()), x), 2, 9);
    const want = mulberry32(9);
    expect(seen).toEqual([want(), want()]);
    const got: number[] = [];
    measureCrop((x, r) => (got.push(r()), x), 1);
    expect(got).toEqual([mulberry32(13)()]);
    let calls = 0;
    const bad = measureCrop((x) => (calls++, x.slice([0, 0, 0], [112, 112, 3])), 3);
    expect(bad).toEqual({
      problem: 'crop(image, random) returned a tensor of shape [112, 112, 3], not [224, 224, 3]',
      draws: [],
    });
    expect(calls).toBe(1);
  });
});

/** A black image with 9 × 9 marks at [row, col] in one channel each. */
function markedImage(marks: [number, number, number][]): Image {
  const data = new Float32Array(224 * 224 * 3);
  for (const [row, col, channel] of marks)
    for (let r = row - 4; r <= row + 4; r++)
      for (let c = col - 4; c <= col + 4; c++) data[(r * 224 + c) * 3 + channel] = 255;
  return tf.tensor3d(data, [224, 224, 3]);
}
