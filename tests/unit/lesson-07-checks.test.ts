/**
 * Lesson 7's augmentation check, three ways (lessons/README.md rule 5): on the starter (fails, first rung), on
 * plausible wrong answers (each fails with its own message and ladder), and on the solution (passes). The check runs
 * the functions on its own images, so these are real tf.image functions, not stubs. The hidden-layer check has its
 * own file, lesson-07-hidden-head.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentations } from '../../lessons/07-add-layers/augment-checks';

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
      /^flip changed the image, but pixel \[r, c\] is not the photo's \[r, 223 − c\] \(the largest difference is \d+\.\d of 255\)\.$/,
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
      /^rotate also scaled the image \(a mark 80 pixels from the centre ended \d+ pixels away\): a rotation keeps distances\.$/,
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
});

/** The photo seen 25 % closer (its centre 80 % of the side, resized back): a zoom hiding in a rotation. */
function centreZoom(x: Img): Img {
  return tf.tidy(() => tf.image.cropAndResize(batchOf(x), [[0.1, 0.1, 0.9, 0.9]], [0], [224, 224]).squeeze([0]) as Img);
}
