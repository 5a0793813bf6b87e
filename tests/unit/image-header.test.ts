/**
 * The size of an upload read from its header, so a huge photo is decoded straight at the size it is used at: every
 * original JPEG of the course (their real headers, against sharp's full decode), and PNG, WebP and an 8000 × 5000
 * JPEG made here with sharp. Other bytes give null (the caller then decodes at a safe fixed width).
 */
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageHeaderSize } from '../../src/ml/image-header';

const ORIGINALS = '.cache/assets/data/cats-dogs';

describe('imageHeaderSize', () => {
  it('reads the size of every original course JPEG, as sharp decodes it', async () => {
    const files = ['cat', 'dog', 'other'].flatMap((label) =>
      readdirSync(`${ORIGINALS}/${label}`).map((f) => `${ORIGINALS}/${label}/${f}`),
    );
    expect(files.length).toBe(390);
    for (const file of files.filter((_, i) => i % 13 === 0)) {
      const bytes = readFileSync(file);
      const meta = await sharp(bytes).metadata();
      expect(imageHeaderSize(bytes.subarray(0, 65536)), file).toEqual({ width: meta.width, height: meta.height });
    }
  });

  it('reads PNG, WebP (lossy and lossless) and a 40-megapixel JPEG', async () => {
    const make = (w: number, h: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 100, b: 50 } } });
    expect(imageHeaderSize(await make(321, 123).png().toBuffer())).toEqual({ width: 321, height: 123 });
    expect(imageHeaderSize(await make(321, 123).webp().toBuffer())).toEqual({ width: 321, height: 123 });
    expect(imageHeaderSize(await make(77, 99).webp({ lossless: true }).toBuffer())).toEqual({ width: 77, height: 99 });
    const big = await make(8000, 5000).jpeg({ quality: 50 }).toBuffer();
    expect(imageHeaderSize(big.subarray(0, 65536))).toEqual({ width: 8000, height: 5000 });
  });

  it('gives null for bytes that are no image it knows', () => {
    expect(imageHeaderSize(new TextEncoder().encode('this is a text file, not a photo at all, honestly'))).toBeNull();
    expect(imageHeaderSize(new Uint8Array(10))).toBeNull();
  });
});
