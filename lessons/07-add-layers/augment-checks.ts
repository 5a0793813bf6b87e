/**
 * Lesson 7's augmentation check: the learner's flip, rotation and crop, judged by what they do to images built to
 * make it readable (src/ml/augment-judge.ts), never by their code. Each mistake has its own hint ladder: the idea,
 * then the TensorFlow.js API, then almost the line.
 */
import { MAX_ROTATION_DEGREES, MIN_CROP_SHARE, type Augmentations } from '../../src/ml/augment';
import { CROP_BLUE, measureCrop, measureFlip, measureRotation } from '../../src/ml/augment-judge';
import { INPUT_SIZE } from '../../src/ml/image';
import { fail, pass, type CheckResult } from '../../src/workbook/checks';

/** The ladder for a function that gives back something other than one [224, 224, 3] image. */
const SHAPE_HINTS = [
  'An augmentation gives back an image like the one it got: one [224, 224, 3] tensor, so the next step (and the model) can take it.',
  'tf.image ops work on a batch [n, h, w, c]: image.expandDims(0) makes a batch of one, and .squeeze([0]) takes that axis off again.',
  'Put the tf.image call between expandDims(0) and squeeze([0]), and return the result (cast it: as tf.Tensor3D).',
];

const MIRROR_HINTS = [
  'Mirroring swaps left and right: column c of the result is column 223 − c of the photo, and every row stays where it is.',
  'tf.image.flipLeftRight mirrors a batch [n, h, w, c]; tf.reverse(x, axis) reverses one axis of a single image.',
  'Reverse the width: axis 1 of a [h, w, c] image (axis 2 of a batch), or flipLeftRight on a batch of one.',
];

const ROTATION_DRAW_HINTS = [
  'Each call should turn the photo by its own angle: draw it from random(), which is uniform in [0, 1), so 2 · random() − 1 is uniform in [−1, 1).',
  `tf.image.rotateWithOffset(batch, radians, fillValue) turns a batch about its centre; an angle in degrees is degrees × π / 180 radians.`,
  `Scale the draw to your largest angle (at most ${MAX_ROTATION_DEGREES}°, in radians) and pass it to rotateWithOffset with 0 as the fill (black).`,
];

const CROP_HINTS = [
  'A random crop cuts a square window at a random place and resizes it back to 224 × 224: the photo seen closer, never stretched or turned.',
  'tf.image.cropAndResize(batch, boxes, boxInd, [224, 224]) takes one box [y1, x1, y2, x2] per image, in 0…1 of the height and width, and boxInd [0].',
  `Draw the side from random() (between ${MIN_CROP_SHARE} and 1), then top and left as random() × (1 − side); the box is [top, left, top + side, left + side].`,
];

const degrees = (d: number) => `${d.toFixed(1)}°`;

/** The flip's verdict, or null when it mirrors exactly. */
function flipVerdict(flip: Augmentations['flip']): CheckResult | null {
  const m = measureFlip(flip);
  if (m.problem) return fail(`${m.problem}.`, SHAPE_HINTS);
  if (m.fromMirror < 0.01) return null;
  if (m.fromInput < 0.01) return fail('flip gave back the image unchanged: nothing was mirrored.', MIRROR_HINTS);
  if (m.fromUpsideDown < 0.01)
    return fail(
      'flip turned the image upside down: that is a vertical flip, and an upside-down cat is not a photo the model will meet.',
      [
        "RandomFlip('horizontal') mirrors left ↔ right only: row r of the result is row r of the photo.",
        'Axis 0 of a [h, w, c] image is the height, axis 1 the width.',
        'Reverse axis 1, not axis 0 (or use tf.image.flipLeftRight on a batch of one).',
      ],
    );
  // Two decimals: a difference of 0.01 or more fails, and it must not read as 0.0.
  return fail(
    `flip changed the image, but pixel [r, c] is not the photo's [r, 223 − c] (the largest difference is ${m.fromMirror.toFixed(2)} of 255).`,
    MIRROR_HINTS,
  );
}

/** The rotation's verdict, or null when it turns about the centre by small, varying angles. */
function rotationVerdict(rotate: Augmentations['rotate']): CheckResult | { range: [number, number] } {
  const m = measureRotation(rotate);
  if (m.problem) return fail(`${m.problem}.`, SHAPE_HINTS);
  const turned = m.draws.filter((d) => d.found);
  if (turned.length < m.draws.length)
    return fail(
      'After rotate, a mark 80 pixels from the centre was gone: the image was blanked or turned off the frame.',
      ROTATION_DRAW_HINTS,
    );
  const moved = m.draws.find((d) => d.centreShift > 1.5);
  if (moved)
    return fail(
      // A turn about a corner can carry the centre's mark off the frame: no distance to give then.
      `rotate moved the centre of the image ${Number.isFinite(moved.centreShift) ? `by ${moved.centreShift.toFixed(1)} pixels` : 'out of the frame'}: it should turn about the middle.`,
      [
        'An augmentation rotation turns the photo about its centre, so the subject stays in view.',
        'tf.image.rotateWithOffset(batch, radians, fillValue, center) turns about `center`, 0.5 (the middle) by default.',
        'Leave center out, or pass 0.5.',
      ],
    );
  const zoomed = m.draws.find((d) => Math.abs(d.radiusRatio - 1) > 0.05);
  if (zoomed)
    return fail(
      `rotate also scaled the image (a mark 80 pixels from the centre ended ${(80 * zoomed.radiusRatio).toFixed(0)} pixels away): a rotation keeps distances.`,
      [
        'Keep each change to one thing: this function only turns; the crop does the zooming.',
        ...ROTATION_DRAW_HINTS.slice(1),
      ],
    );
  const angles = m.draws.map((d) => d.degrees);
  if (angles.every((a) => Math.abs(a) < 0.5))
    return fail(`rotate gave back the image unturned (${m.draws.length} draws, every one 0°).`, ROTATION_DRAW_HINTS);
  if (Math.max(...angles) - Math.min(...angles) < 0.5)
    return fail(
      `rotate turned every draw by the same ${degrees(angles[0]!)}: the angle must come from random().`,
      ROTATION_DRAW_HINTS,
    );
  const large = angles.find((a) => Math.abs(a) > MAX_ROTATION_DEGREES + 0.5);
  if (large !== undefined)
    return fail(
      `A draw turned the photo by ${degrees(large)}: more than ${MAX_ROTATION_DEGREES}° either way is not a small rotation.`,
      [
        "Keras's RandomRotation(0.2) allows ±0.2 of a full turn (±72°); photos tilted that far look like no photo a learner will take. Keep it small.",
        'The angle is (2 · random() − 1) × your largest angle: the largest angle bounds every draw.',
        `Make the largest angle ${MAX_ROTATION_DEGREES}° or less, converted to radians (× π / 180).`,
      ],
    );
  return { range: [Math.min(...angles), Math.max(...angles)] };
}

/** A window that reached past the photo's edge (cropAndResize filled the rest with its fill value), with its ladder. */
const pastEdge = () =>
  fail('A window reached past the edge of the photo: the crop filled the rest with made-up pixels.', [
    CROP_HINTS[0]!,
    CROP_HINTS[1]!,
    'Keep the box inside 0…1: top and left at most 1 − side, so top + side ≤ 1.',
  ]);

/** The crop's verdict, or the range of window sides (share of the photo's side) when it zooms into a square window. */
function cropVerdict(crop: Augmentations['crop']): CheckResult | { sides: [number, number] } {
  const m = measureCrop(crop);
  if (m.problem) return fail(`${m.problem}.`, SHAPE_HINTS);
  // A crop only moves pixels, so the photo's blue (the same in every pixel of the test image) survives in every
  // pixel that comes from the photo. No such pixel at all, and not one flat fill either (a window wholly past the
  // edge): the crop scaled or shifted the values themselves, and its edges cannot be read.
  const changed = m.draws.find((d) => d.notPhoto === INPUT_SIZE * INPUT_SIZE && !d.flat);
  if (changed)
    return fail(
      `crop changed the pixels' values: the blue channel, ${CROP_BLUE} all over the check's image, came back as ${changed.blue.toFixed(1)}.`,
      [
        'A crop only moves pixels: each pixel of the window is a pixel of the photo (or a blend of two neighbours), with its colour unchanged.',
        "tf.image.cropAndResize returns the photo's own values (0–255 here): do not scale or shift them; the model's input scaling comes after augmenting.",
        'Return the cropAndResize result as it is, squeezed back to [224, 224, 3]: no .div(255), .mul, .add or .sub after it.',
      ],
    );
  const sides = m.draws.map((d) => (d.bottom - d.top) / 223);
  // The skew is read on the photo's pixels only, so the fill past an edge (whose value would read as a row and a
  // column) does not look like a turn; a turn's own filled corners do not hide it either.
  if (m.draws.some((d) => d.skew > 2))
    return fail(
      'crop turned or mirrored the window: rows and columns of the result are not rows and columns of the photo.',
      CROP_HINTS,
    );
  // Before the edges' values are read: a filled edge reads the fill, which would look like a mirrored window.
  if (m.draws.some((d) => d.notPhoto > 0)) return pastEdge();
  // From here every pixel is the photo's, a blend of its pixels: the edges read 0…223, never past them (a crop that
  // changes the values by under half a level of blue, a scale within 0.5 %, is the same photo to the eye and the model).
  if (m.draws.some((d) => d.bottom < d.top || d.right < d.left))
    return fail('crop gave the window back mirrored or upside down (its box has y2 < y1 or x2 < x1).', CROP_HINTS);
  if (sides.every((s) => s > 0.995)) return fail('crop gave back the whole image: no window was cut.', CROP_HINTS);
  const stretched = m.draws.find((d) => Math.abs(d.bottom - d.top - (d.right - d.left)) > 0.05 * 223);
  if (stretched)
    return fail(
      `A window was ${(stretched.bottom - stretched.top).toFixed(0)} × ${(stretched.right - stretched.left).toFixed(0)} pixels: resized to a square, it stretches the photo.`,
      [CROP_HINTS[0]!, CROP_HINTS[1]!, 'Use the same side for the height and the width of the box.'],
    );
  const small = sides.find((s) => s < MIN_CROP_SHARE - 0.01);
  if (small !== undefined)
    return fail(
      `A window was ${Math.round(small * 100)} % of the side: a zoom of more than ${(1 / MIN_CROP_SHARE).toFixed(0)}× may cut the cat out of its own photo.`,
      CROP_HINTS,
    );
  const windows = new Set(m.draws.map((d) => `${d.top.toFixed(1)},${d.left.toFixed(1)},${d.bottom.toFixed(1)}`));
  if (windows.size === 1)
    return fail('crop cut the same window in every draw: its place and size must come from random().', CROP_HINTS);
  return { sides: [Math.min(...sides), Math.max(...sides)] };
}

/**
 * Lesson 7: `flip` mirrors exactly, `rotate` turns about the centre by small angles drawn from `random`, `crop` cuts
 * a random square window (at least half the side) and resizes it back; each gives back a [224, 224, 3] image.
 */
export function augmentations(fns: Augmentations): CheckResult {
  for (const name of ['flip', 'rotate', 'crop'] as const)
    if (typeof fns?.[name] !== 'function')
      return fail(`Pass your three functions as { flip, rotate, crop }: ${name} is not a function.`, [
        'The check calls each of your functions on images of its own, so it needs the functions themselves.',
        'An object with three function properties: flip(image), rotate(image, random), crop(image, random).',
        'Pass { flip, rotate, crop } after declaring the three functions above it.',
      ]);
  const flipped = flipVerdict(fns.flip);
  if (flipped) return flipped;
  const rotated = rotationVerdict(fns.rotate);
  if ('pass' in rotated) return rotated;
  const cropped = cropVerdict(fns.crop);
  if ('pass' in cropped) return cropped;
  const [a, b] = rotated.range;
  const [s, t] = cropped.sides;
  return pass(
    `flip mirrors exactly (pixel [r, c] is the photo's [r, 223 − c]); rotate turned 6 draws between ${degrees(a)} and ${degrees(b)} about the centre; ` +
      `crop cut windows of ${Math.round(s * 100)}–${Math.round(t * 100)} % of the side at different places, resized back to 224 × 224.`,
  );
}
