/**
 * The train/validation split must be the same on every machine (checkpoints record validation accuracy on it) and
 * keep every class represented. These tests also check that the resolved index.json is exactly that split.
 */
import { describe, expect, it } from 'vitest';
import { buildPhotoIndex, LABELS, SPLIT } from '../../scripts/photo-index.mjs';
import { readAsset } from '../../src/platform/node';

interface Photo { file: string; label: string; split: string; name: string }
const resolved = JSON.parse(readAsset('photos/index.json').toString('utf8')) as {
  counts: Record<string, { train: number; validation: number }>;
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

  it('is stratified: each class keeps 20% for validation', () => {
    const index = buildPhotoIndex(files);
    for (const label of LABELS) {
      const ofLabel = index.photos.filter((p) => p.label === label);
      const validation = ofLabel.filter((p) => p.split === 'validation').length;
      expect(validation).toBe(Math.round(ofLabel.length * SPLIT.validationFraction));
    }
    expect(index.counts).toEqual({
      cat: { train: 96, validation: 24 },
      dog: { train: 100, validation: 25 },
      other: { train: 116, validation: 29 },
    });
  });

  it('is what the resolved assets hold, for all 390 real photos', () => {
    expect(files).toHaveLength(390);
    expect(resolved).toEqual(buildPhotoIndex(files));
    for (const photo of resolved.photos) expect(readAsset(`photos/${photo.file}`).length).toBeGreaterThan(2000);
  });

  it('gives photos readable names', () => {
    const names = new Map(resolved.photos.map((p) => [p.file, p.name]));
    expect(names.get('cat/Egyptian_Mau_10.jpg')).toBe('Egyptian Mau');
    expect(names.get('other/other_imagenet_n02119022_red_fox.jpg')).toBe('red fox');
  });
});
