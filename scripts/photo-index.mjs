/**
 * The photo index: each photo's label and its train/validation split.
 *
 * The split is stratified (every label keeps the same share in validation, so a class is never missing from it)
 * and seeded (the same seed gives the same split on every machine, so a checkpoint's recorded validation accuracy
 * can be checked anywhere). It depends only on the file names, never on directory-listing order.
 */

/** The split's settings; changing them changes which photos are validation, so every checkpoint must be retrained. */
export const SPLIT = Object.freeze({ seed: 20240607, validationFraction: 0.2 });

/** The workbook's three classes, in output order: index 0 is cat, 1 dog, 2 "none of the above". */
export const LABELS = Object.freeze(['cat', 'dog', 'other']);

/**
 * mulberry32: a tiny, well-mixed 32-bit PRNG. Math.random cannot be seeded; this can.
 * @param {number} seed
 * @returns {() => number} uniform numbers in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A readable name for a photo: the Oxford breed ("Egyptian Mau") or the ImageNet class ("red fox").
 * @param {string} file e.g. "cat/Egyptian_Mau_10.jpg" or "other/other_imagenet_n02119022_red_fox.jpg"
 */
export function photoName(file) {
  const base = file.split('/').pop().replace(/\.jpe?g$/i, '');
  const other = base.match(/^other_(?:imagenet_n\d+_|[a-z]+_)(.+)$/);
  return (other ? other[1] : base.replace(/_\d+$/, '')).replace(/_/g, ' ');
}

/**
 * Builds the index from photo paths of the form "<label>/<name>.jpg".
 * @param {string[]} files
 * @param {{seed: number, validationFraction: number}} [split]
 */
export function buildPhotoIndex(files, split = SPLIT) {
  const byLabel = new Map(LABELS.map((label) => [label, []]));
  for (const file of files) {
    const label = file.split('/')[0];
    if (!byLabel.has(label)) throw new Error(`photo "${file}" is not under one of ${LABELS.join(', ')}`);
    byLabel.get(label).push(file);
  }
  const random = mulberry32(split.seed);
  const photos = [];
  const counts = {};
  for (const [label, names] of byLabel) {
    // Sort first, so the shuffle's input never depends on the order files were listed in.
    const order = [...names].sort();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const nValidation = Math.round(order.length * split.validationFraction);
    const validation = new Set(order.slice(0, nValidation));
    counts[label] = { train: order.length - nValidation, validation: nValidation };
    for (const file of names) {
      photos.push({ file, label, split: validation.has(file) ? 'validation' : 'train', name: photoName(file) });
    }
  }
  photos.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { labels: [...LABELS], split: { ...split }, counts, photos };
}
