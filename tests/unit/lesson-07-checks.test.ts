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
});
