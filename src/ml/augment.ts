/**
 * Augmentation by hand: the three image changes a learner writes in lesson 7 (a mirror, a small rotation, a crop
 * resized back to 224), how they are composed into one seeded random augmentation, and how to tell by *meaning*
 * whether a function does what its name says. The course does this with Keras layers in front of the base
 * (`RandomFlip('horizontal')`, `RandomRotation(0.2)`); in TensorFlow.js the same ideas are tf.image ops
 * (flipLeftRight, rotateWithOffset, cropAndResize) that the learner calls on one [224, 224, 3] image.
 *
 * Images here are pixels 0–255 as float, [224, 224, 3]: what the learner sees. The model input (x / 127.5 − 1)
 * is made after augmenting, so a black fill around a rotated photo is black, not mid-grey.
 *
 * Measuring instead of trusting: measureRotation draws two marks on a black image (one at the centre, one 80 pixels
 * right of it), rotates, and reads back where they went; measureCrop feeds an image whose pixel values ARE their
 * coordinates (red = row, green = column), so the output says which window was cut and how much it was zoomed.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE } from './image';
import { deriveSeed, mulberry32 } from './seeded';

/** One image, [224, 224, 3], pixels 0–255. */
export type Image = tf.Tensor3D;
/** A seeded source of uniform numbers in [0, 1): the only randomness an augmentation may use. */
export type Random = () => number;

/** The learner's three augmentations. */
export interface Augmentations {
  /** The image mirrored left ↔ right (always: the coin toss is the pipeline's). */
  flip: (image: Image) => Image;
  /** The image turned about its centre by a small random angle drawn from `random`. */
  rotate: (image: Image, random: Random) => Image;
  /** A random square window of the image, resized back to 224 × 224: a zoom. */
  crop: (image: Image, random: Random) => Image;
}

/** The largest rotation the lesson calls small, in degrees either way. */
export const MAX_ROTATION_DEGREES = 30;
/** The smallest crop window, as a share of the side: a zoom of at most 2×. */
export const MIN_CROP_SHARE = 0.5;

/**
 * RandomFlip('horizontal') → rotation → crop, as Keras stacks its augmentation layers: a seeded coin decides the
 * mirror, then the rotation and the crop draw their own numbers. Returns a new tensor; `image` is left as it was.
 */
export function augmentImage(augmentations: Augmentations, image: Image, random: Random): Image {
  return tf.tidy(() => {
    const mirrored = random() < 0.5 ? augmentations.flip(image) : image;
    return augmentations.crop(augmentations.rotate(mirrored, random), random);
  });
}

/** The seeded random numbers of augmentation `copy` of photo `photo` under `seed`: a rerun draws the same ones. */
export function augmentationRandom(seed: number, photo: number, copy: number): Random {
  return mulberry32(deriveSeed(seed, photo, copy));
}

/** Model-input pixels (−1…1) back to 0–255, and 0–255 to model input: the two ends of augmentation. */
export const toPixels = (input: tf.Tensor3D): Image => tf.tidy(() => input.add(1).mul(127.5) as Image);
export const toInput = (pixels: Image): tf.Tensor3D => tf.tidy(() => pixels.div(127.5).sub(1) as tf.Tensor3D);

/** A batch of one, and back: tf.image ops work on batches ([n, h, w, c]), the learner's functions on one image. */
const one = (image: Image): tf.Tensor4D => image.expandDims(0) as tf.Tensor4D;
const single = (batch: tf.Tensor4D): Image => batch.squeeze([0]) as Image;

/** The reference flip (tests and measurements use it; the lesson's solution is the learner's own). */
export function referenceFlip(image: Image): Image {
  return tf.tidy(() => single(tf.image.flipLeftRight(one(image))));
}

/** The reference rotation: up to ±`maxDegrees`, about the centre, black fill. */
export function referenceRotate(image: Image, random: Random, maxDegrees = 15): Image {
  const radians = ((2 * random() - 1) * maxDegrees * Math.PI) / 180;
  return tf.tidy(() => single(tf.image.rotateWithOffset(one(image), radians, 0)));
}

/** The reference crop: a square window of 70–100 % of the side at a random place, resized back to 224. */
export function referenceCrop(image: Image, random: Random, minShare = 0.7): Image {
  const share = minShare + (1 - minShare) * random();
  const top = (1 - share) * random();
  const left = (1 - share) * random();
  return tf.tidy(() =>
    single(tf.image.cropAndResize(one(image), [[top, left, top + share, left + share]], [0], [INPUT_SIZE, INPUT_SIZE])),
  );
}

/** The reference augmentations, together. */
export const referenceAugmentations: Augmentations = {
  flip: referenceFlip,
  rotate: (image, random) => referenceRotate(image, random),
  crop: (image, random) => referenceCrop(image, random),
};

/** What a learner's function gave back, when it is not a [224, 224, 3] tensor: a sentence, or null when it is. */
export function shapeProblem(out: unknown, what: string): string | null {
  if (!(out instanceof tf.Tensor))
    return `${what} returned ${out === undefined ? 'nothing' : typeof out}, not a tensor: end it with return …`;
  const want = [INPUT_SIZE, INPUT_SIZE, 3];
  if (out.shape.join() !== want.join())
    return `${what} returned a tensor of shape [${out.shape.join(', ')}], not [${want.join(', ')}]`;
  return null;
}
