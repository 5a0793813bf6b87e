/**
 * Lesson 7's augmentation check, three ways (lessons/README.md rule 5): on the starter (fails, first rung), on
 * plausible wrong answers (each fails with its own message and ladder), and on the solution (passes). The check runs
 * the functions on its own images, so these are real tf.image functions, not stubs. The hidden-layer check has its
 * own file, lesson-07-hidden-head.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentations } from '../../lessons/07-add-layers/augment-checks';
import { no, yes } from '../helpers/verdicts';

type Img = tf.Tensor3D;
const batchOf = (x: Img) => x.expandDims(0) as tf.Tensor4D;
const flip = (x: Img) => tf.tidy(() => tf.image.flipLeftRight(batchOf(x)).squeeze([0]) as Img);
const rotate = (x: Img, random: () => number) =>
  tf.tidy(
    () => tf.image.rotateWithOffset(batchOf(x), ((2 * random() - 1) * 15 * Math.PI) / 180, 0).squeeze([0]) as Img,
  );
const cropWith =
  (min: number, square = true) =>
  (x: Img, random: () => number) => {
    const side = min + (1 - min) * random();
    const [top, left] = [(1 - side) * random(), (1 - side) * random()];
    const width = square ? side : side * 0.6;
    return tf.tidy(
      () =>
        tf.image
          .cropAndResize(batchOf(x), [[top, left, top + side, left + width]], [0], [224, 224])
          .squeeze([0]) as Img,
    );
  };
const crop = cropWith(0.7);
const same = (x: Img) => x;

describe('lesson 7: wb.check.augmentations', () => {
  it('fails the starter (every function returns its input) at the flip, with the mirror ladder', () => {
    const v = augmentations({ flip: same, rotate: same, crop: same });
    expect(v.pass).toBe(false);
    expect(v.message).toContain('unchanged');
    expect(v.hints).toHaveLength(3);
    expect(v.hints[0]).toContain('223 − c');
  });

  it('fails plausible wrong answers, each with its own message', () => {
    const upside = augmentations({ flip: (x) => tf.reverse(x, 0), rotate, crop });
    expect(upside.message).toContain('upside down');
    const batch = augmentations({ flip: (x) => tf.image.flipLeftRight(batchOf(x)) as unknown as Img, rotate, crop });
    expect(batch.message).toContain('[1, 224, 224, 3]');
    expect(batch.hints[1]).toContain('squeeze');
    const unturned = augmentations({ flip, rotate: same, crop });
    expect(unturned.message).toContain('unturned');
    const fixed = augmentations({ flip, rotate: (x) => rotate(x, () => 0.9), crop });
    expect(fixed.message).toContain('same');
    const wild = augmentations({
      flip,
      rotate: (x, r) =>
        tf.tidy(() => tf.image.rotateWithOffset(batchOf(x), (2 * r() - 1) * 1.2, 0).squeeze([0]) as Img),
      crop,
    });
    expect(wild.message).toContain('more than 30°');
    const offCentre = augmentations({
      flip,
      rotate: (x, r) =>
        tf.tidy(() => tf.image.rotateWithOffset(batchOf(x), (2 * r() - 1) * 0.2, 0, [0.2, 0.2]).squeeze([0]) as Img),
      crop,
    });
    expect(offCentre.message).toContain('centre');
    expect(augmentations({ flip, rotate, crop: same }).message).toContain('whole image');
    expect(augmentations({ flip, rotate, crop: cropWith(0.7, false) }).message).toContain('stretches');
    expect(augmentations({ flip, rotate, crop: cropWith(0.2) }).message).toMatch(/% of the side/);
    expect(augmentations({ flip, rotate, crop: (x) => crop(x, () => 0.5) }).message).toContain('same window');
    expect(augmentations({ flip, rotate } as never).message).toContain('crop is not a function');
  });

  it('passes the solution and says what it measured', () => {
    const v = augmentations({ flip, rotate, crop });
    expect(v.message).toMatch(/mirrors exactly/);
    expect(v.pass).toBe(true);
  });

  /** A failure with this message, whose ladder (three real rungs) starts with `idea`. */
  const expectFailure = (v: ReturnType<typeof augmentations>, message: string | RegExp, idea: string) => {
    expect(v.pass).toBe(false);
    if (typeof message === 'string') expect(v.message).toBe(message);
    else expect(v.message).toMatch(message);
    expect(v.hints).toHaveLength(3);
    for (const hint of v.hints) expect(hint.length).toBeGreaterThan(20);
    expect(v.hints[0]).toContain(idea);
  };

  it('flip: each wrong mirror named, with its ladder', () => {
    expectFailure(
      augmentations({ flip: (x) => tf.reverse(x, [0, 1]), rotate, crop }),
      /^flip changed the image, but pixel \[r, c\] is not the photo's \[r, 223 − c\] \(the largest difference is \d+\.\d\d of 255\)\.$/,
      'Mirroring swaps left and right',
    );
    expectFailure(
      augmentations({ flip: (x) => tf.reverse(x, 0), rotate, crop }),
      'flip turned the image upside down: that is a vertical flip, and an upside-down cat is not a photo the model will meet.',
      "RandomFlip('horizontal')",
    );
    expectFailure(
      augmentations({ flip: same, rotate, crop }),
      'flip gave back the image unchanged: nothing was mirrored.',
      'Mirroring swaps left and right',
    );
    expectFailure(
      augmentations({ flip: (x) => tf.image.flipLeftRight(batchOf(x)) as unknown as Img, rotate, crop }),
      /^flip\(image\) .*\[1, 224, 224, 3\].*\.$/,
      'An augmentation gives back an image like the one it got',
    );
  });

  it('rotate: blanked, zooming, unturned, one angle, too far: each named, with its ladder', () => {
    expectFailure(
      augmentations({ flip, rotate: (x) => tf.zerosLike(x), crop }),
      'After rotate, a mark 80 pixels from the centre was gone: the image was blanked or turned off the frame.',
      'Each call should turn the photo by its own angle',
    );
    const zoomed = (x: Img, r: () => number) => tf.tidy(() => rotate(centreZoom(x), r));
    expectFailure(
      augmentations({ flip, rotate: zoomed, crop }),
      'rotate also scaled the image (a mark 80 pixels from the centre ended 100 pixels away): a rotation keeps distances.',
      'Keep each change to one thing',
    );
    expectFailure(
      augmentations({ flip, rotate: same, crop }),
      'rotate gave back the image unturned (6 draws, every one 0°).',
      'Each call should turn the photo by its own angle',
    );
    expectFailure(
      augmentations({ flip, rotate: (x) => rotate(x, () => 0.9), crop }),
      /^rotate turned every draw by the same -?12\.0°: the angle must come from random\(\)\.$/,
      'Each call should turn the photo by its own angle',
    );
    const wild = (x: Img, r: () => number) =>
      tf.tidy(() => tf.image.rotateWithOffset(batchOf(x), (2 * r() - 1) * 1.2, 0).squeeze([0]) as Img);
    expectFailure(
      augmentations({ flip, rotate: wild, crop }),
      /^A draw turned the photo by -?\d+\.\d°: more than 30° either way is not a small rotation\.$/,
      "Keras's RandomRotation(0.2)",
    );
  });

  it('crop: mirrored, turned, stretched, too small, always the same, the whole image: each named, with its ladder', () => {
    const box = (f: (side: number, top: number, left: number) => number[]) => (x: Img, random: () => number) => {
      const side = 0.6 + 0.4 * random();
      const [top, left] = [(1 - side) * random(), (1 - side) * random()];
      return tf.tidy(
        () => tf.image.cropAndResize(batchOf(x), [f(side, top, left)], [0], [224, 224]).squeeze([0]) as Img,
      );
    };
    const CROP_IDEA = 'A random crop cuts a square window';
    expectFailure(
      augmentations({ flip, rotate, crop: box((s, t, l) => [t + s, l, t, l + s]) }),
      'crop gave the window back mirrored or upside down (its box has y2 < y1 or x2 < x1).',
      CROP_IDEA,
    );
    expectFailure(
      augmentations({
        flip,
        rotate,
        crop: (x) =>
          tf.tidy(
            () =>
              tf.transpose(
                crop(x, () => 0.5),
                [1, 0, 2],
              ) as Img,
          ),
      }),
      'crop turned or mirrored the window: rows and columns of the result are not rows and columns of the photo.',
      CROP_IDEA,
    );
    // A window placed anywhere in 0…1, not 0…1 − side, reaches past the edge; cropAndResize fills the rest with 0,
    // which once read as a turned window. Past the bottom or right edge, and past the top or left one, say so.
    const PAST_EDGE = 'A window reached past the edge of the photo: the crop filled the rest with made-up pixels.';
    const anywhere = (x: Img, random: () => number) => {
      const side = 0.7 + 0.3 * random();
      const [top, left] = [random(), random()]; // forgot the (1 − side)
      return tf.tidy(
        () =>
          tf.image
            .cropAndResize(batchOf(x), [[top, left, top + side, left + side]], [0], [224, 224])
            .squeeze([0]) as Img,
      );
    };
    const pastBottomRight = augmentations({ flip, rotate, crop: anywhere });
    expectFailure(pastBottomRight, PAST_EDGE, CROP_IDEA);
    expect(pastBottomRight.hints[2]).toBe('Keep the box inside 0…1: top and left at most 1 − side, so top + side ≤ 1.');
    expectFailure(
      augmentations({ flip, rotate, crop: box((s, t, l) => [t - 0.2, l - 0.2, t - 0.2 + s, l - 0.2 + s]) }),
      PAST_EDGE,
      CROP_IDEA,
    );
    // A window that only turns (black corners from rotateWithOffset, inside the photo) still reads as turned.
    expectFailure(
      augmentations({
        flip,
        rotate,
        crop: (x, r) =>
          tf.tidy(() => tf.image.rotateWithOffset(batchOf(crop(x, r)), (10 * Math.PI) / 180, 0).squeeze([0]) as Img),
      }),
      'crop turned or mirrored the window: rows and columns of the result are not rows and columns of the photo.',
      CROP_IDEA,
    );
    const stretched = augmentations({ flip, rotate, crop: cropWith(0.7, false) });
    expectFailure(
      stretched,
      /^A window was \d+ × \d+ pixels: resized to a square, it stretches the photo\.$/,
      CROP_IDEA,
    );
    expect(stretched.hints[2]).toBe('Use the same side for the height and the width of the box.');
    expectFailure(
      augmentations({ flip, rotate, crop: cropWith(0.2) }),
      /^A window was \d+ % of the side: a zoom of more than 2× may cut the cat out of its own photo\.$/,
      CROP_IDEA,
    );
    expectFailure(
      augmentations({ flip, rotate, crop: (x) => crop(x, () => 0.5) }),
      'crop cut the same window in every draw: its place and size must come from random().',
      CROP_IDEA,
    );
    expectFailure(
      augmentations({ flip, rotate, crop: same }),
      'crop gave back the whole image: no window was cut.',
      CROP_IDEA,
    );
  });

  it('a missing function is named first, with its ladder; the pass gives the angles and window sides it measured', () => {
    expectFailure(
      augmentations({ rotate, crop } as never),
      'Pass your three functions as { flip, rotate, crop }: flip is not a function.',
      'The check calls each of your functions on images of its own',
    );
    expect(augmentations({ flip, crop } as never).message).toBe(
      'Pass your three functions as { flip, rotate, crop }: rotate is not a function.',
    );
    expect(augmentations(undefined as never).message).toBe(
      'Pass your three functions as { flip, rotate, crop }: flip is not a function.',
    );
    expect(augmentations({ flip, rotate, crop })).toMatchObject({
      pass: true,
      hints: [],
      // The draws are seeded, so the figures are exact: the smallest and largest angle, the smallest and largest side.
      message:
        "flip mirrors exactly (pixel [r, c] is the photo's [r, 223 − c]); rotate turned 6 draws between 0.2° and 10.5° about the centre; " +
        'crop cut windows of 71–96 % of the side at different places, resized back to 224 × 224.',
    });
  });

  // The ladders, written out: a row below asserts the whole verdict, so a rung emptied or swapped shows.
  const SHAPE_LADDER = [
    'An augmentation gives back an image like the one it got: one [224, 224, 3] tensor, so the next step (and the model) can take it.',
    'tf.image ops work on a batch [n, h, w, c]: image.expandDims(0) makes a batch of one, and .squeeze([0]) takes that axis off again.',
    'Put the tf.image call between expandDims(0) and squeeze([0]), and return the result (cast it: as tf.Tensor3D).',
  ];
  const MIRROR_LADDER = [
    'Mirroring swaps left and right: column c of the result is column 223 − c of the photo, and every row stays where it is.',
    'tf.image.flipLeftRight mirrors a batch [n, h, w, c]; tf.reverse(x, axis) reverses one axis of a single image.',
    'Reverse the width: axis 1 of a [h, w, c] image (axis 2 of a batch), or flipLeftRight on a batch of one.',
  ];
  const UPSIDE_DOWN_LADDER = [
    "RandomFlip('horizontal') mirrors left ↔ right only: row r of the result is row r of the photo.",
    'Axis 0 of a [h, w, c] image is the height, axis 1 the width.',
    'Reverse axis 1, not axis 0 (or use tf.image.flipLeftRight on a batch of one).',
  ];
  const DRAW_LADDER = [
    'Each call should turn the photo by its own angle: draw it from random(), which is uniform in [0, 1), so 2 · random() − 1 is uniform in [−1, 1).',
    'tf.image.rotateWithOffset(batch, radians, fillValue) turns a batch about its centre; an angle in degrees is degrees × π / 180 radians.',
    'Scale the draw to your largest angle (at most 30°, in radians) and pass it to rotateWithOffset with 0 as the fill (black).',
  ];
  const CROP_LADDER = [
    'A random crop cuts a square window at a random place and resizes it back to 224 × 224: the photo seen closer, never stretched or turned.',
    'tf.image.cropAndResize(batch, boxes, boxInd, [224, 224]) takes one box [y1, x1, y2, x2] per image, in 0…1 of the height and width, and boxInd [0].',
    'Draw the side from random() (between 0.5 and 1), then top and left as random() × (1 − side); the box is [top, left, top + side, left + side].',
  ];
  const PAST_EDGE_VERDICT = no(
    'A window reached past the edge of the photo: the crop filled the rest with made-up pixels.',
    [CROP_LADDER[0]!, CROP_LADDER[1]!, 'Keep the box inside 0…1: top and left at most 1 − side, so top + side ≤ 1.'],
  );
  const STRETCH_LADDER = [
    CROP_LADDER[0]!,
    CROP_LADDER[1]!,
    'Use the same side for the height and the width of the box.',
  ];
  /** The pass with the solution's flip and rotate, and a crop whose windows were `sides` of the side. */
  const passWithSides = (sides: string) =>
    yes(
      "flip mirrors exactly (pixel [r, c] is the photo's [r, 223 − c]); rotate turned 6 draws between 0.2° and 10.5° about the centre; " +
        `crop cut windows of ${sides} % of the side at different places, resized back to 224 × 224.`,
    );
  /** A crop of a square window of 0.7…1 of the side at a random place, through a box made by `f` (fill `fill`). */
  const boxCrop =
    (f: (side: number, top: number, left: number, random: () => number) => number[], fill = 0) =>
    (x: Img, random: () => number) => {
      const side = 0.7 + 0.3 * random();
      const [top, left] = [(1 - side) * random(), (1 - side) * random()];
      return tf.tidy(
        () =>
          tf.image
            .cropAndResize(batchOf(x), [f(side, top, left, random)], [0], [224, 224], 'bilinear', fill)
            .squeeze([0]) as Img,
      );
    };
  /** The solution's crop, then `after` on what it gave back. */
  const cropThen = (after: (window: Img) => tf.Tensor) => (x: Img, r: () => number) =>
    tf.tidy(() => after(crop(x, r)) as Img);

  it('flip: its 0.01 tolerances, just under (read as equal) and just over (read as different)', () => {
    const off = (by: number, base: (x: Img) => Img) => (x: Img) => tf.tidy(() => base(x).add(by) as Img);
    // The mirror 0.005 off everywhere is the mirror; 0.02 off is not, and the difference reads 0.02, never 0.0.
    expect(augmentations({ flip: off(0.005, flip), rotate, crop })).toEqual(passWithSides('71–96'));
    expect(augmentations({ flip: off(0.02, flip), rotate, crop })).toEqual(
      no(
        "flip changed the image, but pixel [r, c] is not the photo's [r, 223 − c] (the largest difference is 0.02 of 255).",
        MIRROR_LADDER,
      ),
    );
    expect(augmentations({ flip: off(0.005, same), rotate, crop })).toEqual(
      no('flip gave back the image unchanged: nothing was mirrored.', MIRROR_LADDER),
    );
    expect(augmentations({ flip: off(0.02, same), rotate, crop })).toEqual(
      no(
        "flip changed the image, but pixel [r, c] is not the photo's [r, 223 − c] (the largest difference is 254.46 of 255).",
        MIRROR_LADDER,
      ),
    );
    const upsideDown = (x: Img) => tf.reverse(x, 0) as Img;
    expect(augmentations({ flip: off(0.005, upsideDown), rotate, crop })).toEqual(
      no(
        'flip turned the image upside down: that is a vertical flip, and an upside-down cat is not a photo the model will meet.',
        UPSIDE_DOWN_LADDER,
      ),
    );
    expect(augmentations({ flip: off(0.02, upsideDown), rotate, crop }).message).toMatch(
      /^flip changed the image, but .* \(the largest difference is 254\.\d\d of 255\)\.$/,
    );
  });

  it('rotate: a wrong shape, a turn about a corner, a hidden zoom: each exact, with its whole ladder', () => {
    expect(augmentations({ flip, rotate: (x) => x.slice([0, 0, 0], [100, 100, 3]), crop })).toEqual(
      no('rotate(image, random) returned a tensor of shape [100, 100, 3], not [224, 224, 3].', SHAPE_LADDER),
    );
    const CENTRE_LADDER = [
      'An augmentation rotation turns the photo about its centre, so the subject stays in view.',
      'tf.image.rotateWithOffset(batch, radians, fillValue, center) turns about `center`, 0.5 (the middle) by default.',
      'Leave center out, or pass 0.5.',
    ];
    /** The solution's rotation (±15°), about `center` (a share of the width and height) instead of the middle. */
    const about = (center: number | [number, number]) => (x: Img, r: () => number) =>
      tf.tidy(
        () =>
          tf.image.rotateWithOffset(batchOf(x), ((2 * r() - 1) * 15 * Math.PI) / 180, 0, center).squeeze([0]) as Img,
      );
    // About the top-left corner: the first draw (0.3°) moves the centre by 1.4 pixels, within the 1.5 allowed; the
    // second (0.9°) by 2.8, and that one is named.
    expect(augmentations({ flip, rotate: about([0, 0]), crop })).toEqual(
      no('rotate moved the centre of the image by 2.8 pixels: it should turn about the middle.', CENTRE_LADDER),
    );
    expect(augmentations({ flip, rotate: about(0.3), crop })).toEqual(
      no('rotate moved the centre of the image by 3.7 pixels: it should turn about the middle.', CENTRE_LADDER),
    );
    // Turned by −50° about the top-left corner: the centre's mark leaves the frame (the other mark stays in view).
    const farAboutCorner = (x: Img, r: () => number) =>
      tf.tidy(
        () => tf.image.rotateWithOffset(batchOf(x), ((-50 - r()) * Math.PI) / 180, 0, [0, 0]).squeeze([0]) as Img,
      );
    expect(augmentations({ flip, rotate: farAboutCorner, crop })).toEqual(
      no('rotate moved the centre of the image out of the frame: it should turn about the middle.', CENTRE_LADDER),
    );
    // Turned, then the centre 80 % cut and resized back (25 % closer): the mark 80 pixels out ends 100 pixels out.
    const zoomed = (x: Img, r: () => number) => tf.tidy(() => centreZoom(rotate(x, r)));
    expect(augmentations({ flip, rotate: zoomed, crop })).toEqual(
      no(
        'rotate also scaled the image (a mark 80 pixels from the centre ended 100 pixels away): a rotation keeps distances.',
        [
          'Keep each change to one thing: this function only turns; the crop does the zooming.',
          ...DRAW_LADDER.slice(1),
        ],
      ),
    );
  });

  it('rotate: the 30° limit, with the half degree of measuring slack: a draw of 30° passes, one of 31° fails', () => {
    // (2 · random() − 1) · 60°, held at the limit: the seeded draws give 1.4°…13°, and one of 42° held at 30° or 31°.
    const upTo = (limit: number) => (x: Img, r: () => number) =>
      tf.tidy(
        () =>
          tf.image
            .rotateWithOffset(batchOf(x), (Math.min(limit, (2 * r() - 1) * 60) * Math.PI) / 180, 0)
            .squeeze([0]) as Img,
      );
    expect(augmentations({ flip, rotate: upTo(30), crop })).toEqual(
      yes(
        "flip mirrors exactly (pixel [r, c] is the photo's [r, 223 − c]); rotate turned 6 draws between 1.4° and 30.0° about the centre; " +
          'crop cut windows of 71–96 % of the side at different places, resized back to 224 × 224.',
      ),
    );
    expect(augmentations({ flip, rotate: upTo(31), crop })).toEqual(
      no('A draw turned the photo by 31.1°: more than 30° either way is not a small rotation.', [
        "Keras's RandomRotation(0.2) allows ±0.2 of a full turn (±72°); photos tilted that far look like no photo a learner will take. Keep it small.",
        'The angle is (2 · random() − 1) × your largest angle: the largest angle bounds every draw.',
        'Make the largest angle 30° or less, converted to radians (× π / 180).',
      ]),
    );
  });

  it('crop: a wrong shape, and a crop that changed the values, named as such (not as a window past the edge)', () => {
    expect(augmentations({ flip, rotate, crop: (x) => batchOf(x) as unknown as Img })).toEqual(
      no('crop(image, random) returned a tensor of shape [1, 224, 224, 3], not [224, 224, 3].', SHAPE_LADDER),
    );
    const changed = (blue: string) =>
      no(`crop changed the pixels' values: the blue channel, 100 all over the check's image, came back as ${blue}.`, [
        'A crop only moves pixels: each pixel of the window is a pixel of the photo (or a blend of two neighbours), with its colour unchanged.',
        "tf.image.cropAndResize returns the photo's own values (0–255 here): do not scale or shift them; the model's input scaling comes after augmenting.",
        'Return the cropAndResize result as it is, squeezed back to [224, 224, 3]: no .div(255), .mul, .add or .sub after it.',
      ]);
    expect(augmentations({ flip, rotate, crop: cropThen((w) => w.mul(2)) })).toEqual(changed('200.0'));
    expect(augmentations({ flip, rotate, crop: cropThen((w) => w.add(40)) })).toEqual(changed('140.0'));
    expect(augmentations({ flip, rotate, crop: cropThen((w) => w.div(255)) })).toEqual(changed('0.4'));
    // 5 % brighter once passed (its edges still read as a window inside the photo).
    expect(augmentations({ flip, rotate, crop: cropThen((w) => w.mul(1.05)) })).toEqual(changed('105.0'));
    // Past the edge and scaled: the fill (0 · 2) is not the photo's blue, and neither is the rest (200).
    const pastAndDoubled = (x: Img, r: () => number) =>
      tf.tidy(() => boxCrop((s, t, l, random) => [random(), random(), random() + s, random() + s])(x, r).mul(2) as Img);
    expect(augmentations({ flip, rotate, crop: pastAndDoubled })).toEqual(changed('200.0'));
    // Within half a level of blue (0.4 % brighter) a crop is the same photo, and passes.
    expect(augmentations({ flip, rotate, crop: cropThen((w) => w.mul(1.004)) })).toEqual(passWithSides('72–97'));
  });

  it('crop: a window past the edge is named so whatever its fill, even a window wholly outside the photo', () => {
    /** Top and left drawn in 0…1 (the 1 − side forgotten): the window reaches past the bottom or right edge. */
    const anywhere = (fill: number) =>
      boxCrop((s, _t, _l, random) => {
        const [top, left] = [random(), random()];
        return [top, left, top + s, left + s];
      }, fill);
    // White, grey and mid-grey fills: a fill of 255 once read as a turned window (blue ≥ 0.5 counted as the photo).
    expect(augmentations({ flip, rotate, crop: anywhere(255) })).toEqual(PAST_EDGE_VERDICT);
    expect(augmentations({ flip, rotate, crop: anywhere(128) })).toEqual(PAST_EDGE_VERDICT);
    expect(augmentations({ flip, rotate, crop: anywhere(127.5) })).toEqual(PAST_EDGE_VERDICT);
    // A box in pixels, not 0…1 of the side: most windows lie wholly past the edge, one flat fill, not "values changed".
    const inPixels = boxCrop((s, t, l) => [t * 224, l * 224, (t + s) * 224, (l + s) * 224]);
    expect(augmentations({ flip, rotate, crop: inPixels })).toEqual(PAST_EDGE_VERDICT);
    const outside = boxCrop((s, t, l) => [1 + t, 1 + l, 1 + t + s, 1 + l + s], 255);
    expect(augmentations({ flip, rotate, crop: outside })).toEqual(PAST_EDGE_VERDICT);
  });

  it('crop: mirrored boxes, empty boxes, a turn in some draws only, the whole image and nearly: each exact', () => {
    const MIRRORED = no(
      'crop gave the window back mirrored or upside down (its box has y2 < y1 or x2 < x1).',
      CROP_LADDER,
    );
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t + s, l, t, l + s]) })).toEqual(MIRRORED);
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t, l + s, t + s, l]) })).toEqual(MIRRORED);
    // Four corners drawn independently: some draws come out mirrored, some not (the first mirrored one is named).
    expect(augmentations({ flip, rotate, crop: boxCrop((_s, _t, _l, r) => [r(), r(), r(), r()]) })).toEqual(MIRRORED);
    // y2 = y1 or x2 = x1 (the + side forgotten): an empty box is not mirrored, it is a window of no height or width.
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t, l, t, l + s]) })).toEqual(
      no('A window was 0 × 194 pixels: resized to a square, it stretches the photo.', STRETCH_LADDER),
    );
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t, l, t + s, l]) })).toEqual(
      no('A window was 194 × 0 pixels: resized to a square, it stretches the photo.', STRETCH_LADDER),
    );
    // Transposed in about half the draws: one turned draw is enough.
    const sometimesTurned = (x: Img, r: () => number) =>
      tf.tidy(() => (r() < 0.5 ? tf.transpose(crop(x, r), [1, 0, 2]) : crop(x, r)) as Img);
    expect(augmentations({ flip, rotate, crop: sometimesTurned })).toEqual(
      no(
        'crop turned or mirrored the window: rows and columns of the result are not rows and columns of the photo.',
        CROP_LADDER,
      ),
    );
    const WHOLE = no('crop gave back the whole image: no window was cut.', CROP_LADDER);
    expect(augmentations({ flip, rotate, crop: boxCrop(() => [0, 0, 1, 1]) })).toEqual(WHOLE);
    // 0.99 of the side is a window (the same one each time, and so named); the whole image in some draws only passes.
    expect(augmentations({ flip, rotate, crop: boxCrop(() => [0, 0, 0.99, 0.99]) })).toEqual(
      no('crop cut the same window in every draw: its place and size must come from random().', CROP_LADDER),
    );
    const sometimesWhole = boxCrop((s, t, l) => (s > 0.85 ? [0, 0, 1, 1] : [t, l, t + s, l + s]));
    expect(augmentations({ flip, rotate, crop: sometimesWhole })).toEqual(passWithSides('71–100'));
  });

  it('crop: the stretch (5 % of the side) and the smallest window (half the side) at and across their lines', () => {
    // A window 0.04 of the side narrower than tall (9 pixels) passes; 0.06 (13 pixels) is a stretch, with its sizes.
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t, l, t + s, l + s - 0.04]) })).toEqual(
      passWithSides('71–96'),
    );
    expect(augmentations({ flip, rotate, crop: boxCrop((s, t, l) => [t, l, t + s, l + s - 0.06]) })).toEqual(
      no('A window was 194 × 181 pixels: resized to a square, it stretches the photo.', STRETCH_LADDER),
    );
    // Windows of exactly half the side, at random places: the smallest allowed, so a pass.
    expect(augmentations({ flip, rotate, crop: boxCrop((_s, t, l) => [t, l, t + 0.5, l + 0.5]) })).toEqual(
      passWithSides('50–50'),
    );
    expect(augmentations({ flip, rotate, crop: boxCrop((_s, t, l) => [t, l, t + 0.4, l + 0.4]) })).toEqual(
      no('A window was 40 % of the side: a zoom of more than 2× may cut the cat out of its own photo.', CROP_LADDER),
    );
  });
});

/** The photo seen 25 % closer (its centre 80 % of the side, resized back): a zoom hiding in a rotation. */
function centreZoom(x: Img): Img {
  return tf.tidy(() => tf.image.cropAndResize(batchOf(x), [[0.1, 0.1, 0.9, 0.9]], [0], [224, 224]).squeeze([0]) as Img);
}
