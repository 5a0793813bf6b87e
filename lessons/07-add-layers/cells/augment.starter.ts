// Three augmentations, each on ONE image: a [224, 224, 3] tensor of pixels 0–255, and each gives back the same shape.
// `random()` is a seeded uniform number in [0, 1): draw every random choice from it, so a rerun gives the same pictures.

/** The image mirrored left ↔ right (Keras: RandomFlip('horizontal'); TF.js: tf.image.flipLeftRight). */
function flip(image: tf.Tensor3D): tf.Tensor3D {
  // TODO: mirror the image. tf.image ops take a batch [n, h, w, c].
  return image;
}

/** The image turned about its centre by a small random angle (Keras: RandomRotation; TF.js: tf.image.rotateWithOffset). */
function rotate(image: tf.Tensor3D, random: () => number): tf.Tensor3D {
  // TODO: draw an angle from random(), no more than 30° either way, and turn the image by it.
  return image;
}

/** A random square window of the image, at least half its side, resized back to 224 × 224 (TF.js: tf.image.cropAndResize). */
function crop(image: tf.Tensor3D, random: () => number): tf.Tensor3D {
  // TODO: draw the window's side and place from random(), cut it, and resize it back.
  return image;
}

const augmentations = { flip, rotate, crop };
await wb.check.augmentations(augmentations);
