/**
 * Node and Chromium see the same pixels. Checkpoints are trained in Node (npm run checkpoints) and compared with a
 * learner's run of the same solution in the page; that comparison only means something when both decode every
 * photo to the same bytes. The browser decodes all photos through the lessons' path (/dev/pixels/), Node through
 * its adapter (readPhoto, sharp), and the SHA-256 of each photo's RGB bytes must agree, photo by photo.
 */
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { readAsset, readPhoto } from '../../src/platform/node';

interface PixelDigest {
  file: string;
  width: number;
  height: number;
  sha256: string;
  opaque: boolean;
}

test('every photo decodes to the same RGB bytes in Chromium and in Node', async ({ page }) => {
  const index = JSON.parse(readAsset('photos/index.json').toString('utf8')) as { photos: { file: string }[] };
  expect(index.photos.length).toBeGreaterThan(300);

  await page.goto('/dev/pixels/');
  await expect(page.locator('#pixels')).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 120_000 });
  const report = JSON.parse((await page.locator('#pixels-json').textContent()) ?? '{}') as {
    digests: PixelDigest[];
    error?: string;
  };
  expect(report.error).toBeUndefined();
  expect(report.digests.map((d) => d.file)).toEqual(index.photos.map((p) => p.file));

  const node: PixelDigest[] = [];
  for (const { file } of index.photos) {
    const image = await readPhoto(file);
    expect(image.channels ?? 3).toBe(3);
    node.push({
      file,
      width: image.width,
      height: image.height,
      sha256: createHash('sha256').update(image.data).digest('hex'),
      opaque: true,
    });
  }
  const differing = report.digests.filter((d, i) => JSON.stringify(d) !== JSON.stringify(node[i])).map((d) => d.file);
  expect(differing, `${differing.length} of ${node.length} photos decode differently`).toEqual([]);
  // Not vacuous: the photos differ from each other, and each is MobileNet's 224 × 224.
  expect(new Set(node.map((d) => d.sha256)).size).toBe(node.length);
  expect(node.every((d) => d.width === 224 && d.height === 224)).toBe(true);
});
