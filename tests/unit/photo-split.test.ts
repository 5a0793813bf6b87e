/**
 * The train/validation/test split must be the same on every machine (checkpoints record validation and test
 * accuracy on it) and keep every class represented in every split. These tests also check that the resolved
 * index.json is exactly that split, and that the asset script's bridge (scripts/photo-index.mjs) runs the engine's
 * own split, not a copy.
 */
import { describe, expect, it } from 'vitest';
import { buildPhotoIndex, LABELS, SPLIT, type Split } from '../../src/ml/split';
import { readAsset } from '../../src/platform/node';

interface Photo {
  file: string;
  label: string;
  split: Split;
  name: string;
}
const resolved = JSON.parse(readAsset('photos/index.json').toString('utf8')) as {
  counts: Record<string, Record<Split, number>>;
  photos: Photo[];
};
const files = resolved.photos.map((p) => p.file);

describe('the photo split', () => {
  it('is deterministic: listing order does not matter', () => {
    const shuffled = [...files].reverse();
    expect(buildPhotoIndex(shuffled)).toEqual(buildPhotoIndex(files));
  });

  it('changes with the seed (so it really is seeded, not sorted)', () => {
    const other = buildPhotoIndex(files, { ...SPLIT, seed: SPLIT.seed + 1 });
    const mine = buildPhotoIndex(files);
    expect(other.photos.map((p) => p.split)).not.toEqual(mine.photos.map((p) => p.split));
  });

  it('is stratified 60/20/20: each class keeps 20 % for validation and 20 % for test', () => {
    const index = buildPhotoIndex(files);
    for (const label of LABELS) {
      const ofLabel = index.photos.filter((p) => p.label === label);
      expect(ofLabel.filter((p) => p.split === 'validation')).toHaveLength(
        Math.round(ofLabel.length * SPLIT.validationFraction),
      );
      expect(ofLabel.filter((p) => p.split === 'test')).toHaveLength(Math.round(ofLabel.length * SPLIT.testFraction));
    }
    expect(index.counts).toEqual({
      cat: { train: 72, validation: 24, test: 24 },
      dog: { train: 75, validation: 25, test: 25 },
      other: { train: 87, validation: 29, test: 29 },
    });
  });

  it('kept the earlier validation photos: the test photos came out of the training photos', () => {
    // The two-way split of before (seed and validation share unchanged, no test): its validation set is today's.
    const twoWay = buildPhotoIndex(files, { ...SPLIT, testFraction: 0 });
    const validation = (i: { photos: Photo[] }) => i.photos.filter((p) => p.split === 'validation').map((p) => p.file);
    expect(validation(buildPhotoIndex(files))).toEqual(validation(twoWay));
    expect(twoWay.photos.some((p) => p.split === 'test')).toBe(false);
  });

  it('refuses settings that leave nothing to train on, and photos of an unknown class', () => {
    expect(() => buildPhotoIndex(files, { ...SPLIT, validationFraction: 0.5, testFraction: 0.5 })).toThrow(
      'validationFraction + testFraction is 1: nothing would be left to train on',
    );
    expect(() => buildPhotoIndex(files, { ...SPLIT, testFraction: -0.1 })).toThrow(
      "the split's testFraction must be in [0, 1), not -0.1",
    );
    expect(() => buildPhotoIndex(['horse/x.jpg'])).toThrow('photo "horse/x.jpg" is not under one of cat, dog, other');
  });

  it('is what the resolved assets hold, for all 390 real photos', () => {
    expect(files).toHaveLength(390);
    expect(resolved).toEqual(buildPhotoIndex(files));
    for (const photo of resolved.photos) expect(readAsset(`photos/${photo.file}`).length).toBeGreaterThan(2000);
  });

  it('is the one the asset script writes (scripts/photo-index.mjs runs src/ml/split.ts)', async () => {
    const { spawnSync } = await import('node:child_process');
    const code =
      "import('./scripts/photo-index.mjs').then((m) => process.stdout.write(JSON.stringify(m.buildPhotoIndex(JSON.parse(process.argv[1])))))";
    const run = spawnSync(process.execPath, ['-e', code, JSON.stringify(files)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(buildPhotoIndex(files));
  });

  it('gives photos readable names', () => {
    const names = new Map(resolved.photos.map((p) => [p.file, p.name]));
    expect(names.get('cat/Egyptian_Mau_10.jpg')).toBe('Egyptian Mau');
    expect(names.get('other/other_imagenet_n02119022_red_fox.jpg')).toBe('red fox');
  });
});
