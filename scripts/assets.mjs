#!/usr/bin/env node
/**
 * `npm run assets`: puts every real asset the workbook needs in place, verified.
 *
 * 1. Resolve: each file of scripts/asset-manifest.tsv (the MobileNet shards and the 390 photos) comes from the
 *    folder named by WORKBOOK_ASSET_MIRROR when it is set, else from its public URL. Every byte is checked
 *    against the manifest's sha256 before it is kept in .cache/assets/ (git-ignored).
 * 2. Derive: the learner-facing copy in public/workbook-assets/ (git-ignored): the model as it is, each photo
 *    centre-cropped to 224×224 (MobileNet's input, so the browser only decodes), the ImageNet class names, and
 *    photos/index.json with every photo's label and its seeded, stratified train/validation/test split
 *    (src/ml/split.ts). The crops stay JPEG (7 MB for all 390): Node decodes them with sharp's libjpeg-turbo,
 *    which gives Chromium's pixels bit for bit (tests/e2e/same-pixels.spec.ts), so no lossless copy is needed.
 *
 * A wrong or missing file stops the run with an error naming it; files are written to a temporary name and
 * renamed, and the derived folder is built beside the live one and swapped in whole, so nothing half-written is
 * ever left behind. A second run with nothing changed does no work.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPhotoIndex, SPLIT } from './photo-index.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = path.join(ROOT, 'scripts/asset-manifest.tsv');
// Tests point these elsewhere to exercise failures without touching the real copies.
const CACHE = path.resolve(process.env.WORKBOOK_ASSET_CACHE ?? path.join(ROOT, '.cache/assets'));
const OUT = path.resolve(process.env.WORKBOOK_ASSET_OUT ?? path.join(ROOT, 'public/workbook-assets'));
/** Bump when the derived layout or encoding changes, so existing copies are rebuilt. */
const DERIVE_VERSION = 3;
const PHOTO_SIZE = 224;
const JPEG_QUALITY = 90;
/** The ImageNet class names come from this npm package (Apache-2.0), rewritten as a JSON array. */
const LABELS_SHA256 = 'cdda836b4f13adb4c149f356734e472c419d2187ba14d9c208d64096ffdf8aba';

/** An error the learner or CI can act on: printed without a stack trace. */
class AssetError extends Error {}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Reads the committed manifest: one {path, bytes, sha256, url} per file. */
async function readManifest() {
  const lines = (await readFile(MANIFEST, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
  const [header, ...rows] = lines;
  if (header !== 'path\tbytes\tsha256\turl') throw new AssetError(`${MANIFEST}: unexpected header "${header}"`);
  return rows.map((row) => {
    const [p, bytes, hash, url] = row.split('\t');
    return { path: p, bytes: Number(bytes), sha256: hash, url };
  });
}

/** Writes bytes to `file` through a temporary name, so a crash never leaves a partial file. */
async function writeAtomic(file, bytes) {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** Fetches one asset's bytes from the mirror or its URL, without checking them. */
async function fetchAsset(entry, mirror) {
  if (mirror) {
    const file = path.join(mirror, entry.path);
    if (!existsSync(file))
      throw new AssetError(`asset missing: ${entry.path} (not in WORKBOOK_ASSET_MIRROR=${mirror})`);
    return readFile(file);
  }
  let response;
  try {
    response = await fetch(entry.url);
  } catch (cause) {
    throw new AssetError(
      `asset download failed: ${entry.path} from ${entry.url}: ${cause.cause?.message ?? cause.message}.\n` +
        'Offline? Point WORKBOOK_ASSET_MIRROR at a folder holding the assets.',
    );
  }
  if (!response.ok)
    throw new AssetError(`asset download failed: ${entry.path}: HTTP ${response.status} from ${entry.url}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Makes sure a verified copy of every manifest file is in the cache; returns how many it had to fetch. */
async function resolveAll(entries, mirror) {
  let fetched = 0;
  const queue = [...entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const cached = path.join(CACHE, entry.path);
      if (existsSync(cached) && sha256(await readFile(cached)) === entry.sha256) continue;
      const bytes = await fetchAsset(entry, mirror);
      const actual = sha256(bytes);
      if (actual !== entry.sha256 || bytes.length !== entry.bytes) {
        throw new AssetError(
          `asset corrupted: ${entry.path}: got ${bytes.length} bytes with sha256 ${actual}, ` +
            `expected ${entry.bytes} bytes with sha256 ${entry.sha256}`,
        );
      }
      await writeAtomic(cached, bytes);
      fetched++;
    }
  };
  await Promise.all(Array.from({ length: mirror ? 4 : 8 }, worker));
  return fetched;
}

/** The 1000 ImageNet class names, index = model output, from the npm package, checked by hash. */
function imagenetClasses() {
  const require = createRequire(import.meta.url);
  const { IMAGENET_CLASSES } = require('@tensorflow-models/mobilenet/dist/imagenet_classes.js');
  const names = Object.keys(IMAGENET_CLASSES)
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => IMAGENET_CLASSES[k]);
  const json = `${JSON.stringify(names)}\n`;
  if (sha256(json) !== LABELS_SHA256)
    throw new AssetError('labels/imagenet_classes.json: derived class names have the wrong sha256');
  return json;
}

/** Builds the learner-facing folder beside the live one, then swaps it in. */
async function derive(entries, stamp) {
  const { default: sharp } = await import('sharp');
  const staging = `${OUT}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const photos = [];
  for (const entry of entries) {
    const source = path.join(CACHE, entry.path);
    if (entry.path.startsWith('models/')) {
      await writeAtomic(path.join(staging, 'model', path.basename(entry.path)), await readFile(source));
    } else if (entry.path.endsWith('.jpg')) {
      const rel = entry.path.replace(/^data\/cats-dogs\//, '');
      // Centre crop to the largest square, then resize to MobileNet's 224×224: the same crop the engine applies
      // to a learner's own upload, done once here so every page load skips it.
      const jpeg = await sharp(source)
        .rotate()
        .resize(PHOTO_SIZE, PHOTO_SIZE, { fit: 'cover', position: 'centre' })
        .removeAlpha()
        .toColourspace('srgb')
        .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
        .toBuffer();
      await writeAtomic(path.join(staging, 'photos', rel), jpeg);
      photos.push({ file: rel, sourceSha256: entry.sha256, url: entry.url });
    }
  }
  const index = buildPhotoIndex(photos.map((p) => p.file));
  await writeAtomic(path.join(staging, 'photos/index.json'), `${JSON.stringify(index, null, 1)}\n`);
  await writeAtomic(path.join(staging, 'labels/imagenet_classes.json'), imagenetClasses());
  await writeAtomic(path.join(staging, 'stamp.json'), `${JSON.stringify(stamp)}\n`);
  const old = `${OUT}.old-${process.pid}`;
  if (existsSync(OUT)) await rename(OUT, old);
  await rename(staging, OUT);
  await rm(old, { recursive: true, force: true });
  return index;
}

/** Removes staging folders left by an interrupted run. */
async function sweep() {
  const parent = path.dirname(OUT);
  if (!existsSync(parent)) return;
  for (const name of await readdir(parent)) {
    if (/^workbook-assets\.(staging|old)-\d+$/.test(name))
      await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const mirror = process.env.WORKBOOK_ASSET_MIRROR ? path.resolve(process.env.WORKBOOK_ASSET_MIRROR) : null;
  const entries = await readManifest();
  const manifestHash = sha256(await readFile(MANIFEST));
  const stamp = { manifest: manifestHash, derive: DERIVE_VERSION, split: SPLIT };
  const stampFile = path.join(OUT, 'stamp.json');
  if (existsSync(stampFile) && (await readFile(stampFile, 'utf8')).trim() === JSON.stringify(stamp)) {
    console.log(`assets: up to date (${entries.length} files in ${path.relative(ROOT, OUT)})`);
    return;
  }
  await sweep();
  console.log(`assets: resolving ${entries.length} files from ${mirror ? `mirror ${mirror}` : 'their public URLs'}…`);
  const fetched = await resolveAll(entries, mirror);
  const index = await derive(entries, stamp);
  const counts = Object.entries(index.counts)
    .map(([k, v]) => `${k} ${v.train}+${v.validation}+${v.test}`)
    .join(', ');
  console.log(
    `assets: ${fetched} fetched, all ${entries.length} verified; photos (train+validation+test): ${counts}; ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(error instanceof AssetError ? `assets: ${error.message}` : error);
  process.exit(1);
});
