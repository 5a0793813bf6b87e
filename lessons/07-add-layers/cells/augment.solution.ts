// Three augmentations, each on ONE image: a [224, 224, 3] tensor of pixels 0–255, and each gives back the same shape.
// `random()` is a seeded uniform number in [0, 1): draw every random choice from it, so a rerun gives the same pictures.

/** The image mirrored left ↔ right (Keras: RandomFlip('horizontal'); TF.js: tf.image.flipLeftRight). */
function flip(image: tf.Tensor3D): tf.Tensor3D {
  // tf.image ops work on batches: make a batch of one, flip it, take the batch axis off again.
  return tf.tidy(() => tf.image.flipLeftRight(image.expandDims(0) as tf.Tensor4D).squeeze([0]) as tf.Tensor3D);
}

/** The image turned about its centre by a small random angle (Keras: RandomRotation; TF.js: tf.image.rotateWithOffset). */
function rotate(image: tf.Tensor3D, random: () => number): tf.Tensor3D {
  const maxRadians = (15 * Math.PI) / 180; // ±15°: a tilted camera, not an upside-down cat
  const angle = (2 * random() - 1) * maxRadians; // uniform in [−15°, 15°)
  // Fill value 0: the corners the turn uncovers are black.
  return tf.tidy(
    () => tf.image.rotateWithOffset(image.expandDims(0) as tf.Tensor4D, angle, 0).squeeze([0]) as tf.Tensor3D,
  );
}

/** A random square window of the image, at least half its side, resized back to 224 × 224 (TF.js: tf.image.cropAndResize). */
function crop(image: tf.Tensor3D, random: () => number): tf.Tensor3D {
  const side = 0.7 + 0.3 * random(); // 70–100 % of the photo's side: a zoom of up to 1.4×
  const top = (1 - side) * random(); // anywhere, as long as the window stays inside the photo
  const left = (1 - side) * random();
  const box = [top, left, top + side, left + side]; // [y1, x1, y2, x2] as shares of the height and width
  return tf.tidy(
    () =>
      tf.image.cropAndResize(image.expandDims(0) as tf.Tensor4D, [box], [0], [224, 224]).squeeze([0]) as tf.Tensor3D,
  );
}

const augmentations = { flip, rotate, crop };
await wb.check.augmentations(augmentations);
