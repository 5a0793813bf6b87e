/**
 * The pixel size of a JPEG, PNG or WebP read from its first bytes, without decoding it. A learner's upload may be a
 * 40-megapixel photo: knowing its size first lets the browser decode it straight at the size it is used at
 * (createImageBitmap's resize options) instead of 160 MB of pixels it would then throw away.
 */

/** Width and height in pixels, as the file's header states them (before any EXIF rotation). */
export interface PixelSize {
  width: number;
  height: number;
}

/** JPEG start-of-frame markers (baseline, progressive, …) that carry the frame's size; not DHT/JPG/DAC. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Size from a JPEG's start-of-frame segment, walking the marker segments from the start. */
function jpegSize(b: Uint8Array): PixelSize | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    if (SOF.has(marker)) return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    i += 2 + length;
  }
  return null;
}

/** Reads a little-endian number of `n` bytes. */
const le = (b: Uint8Array, at: number, n: number) => b.slice(at, at + n).reduceRight((v, x) => v * 256 + x, 0);

/** Size from a WebP's VP8 / VP8L / VP8X chunk. */
function webpSize(b: Uint8Array): PixelSize | null {
  const chunk = String.fromCharCode(...b.slice(12, 16));
  if (chunk === 'VP8 ') return { width: le(b, 26, 2) & 0x3fff, height: le(b, 28, 2) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = le(b, 21, 4);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: le(b, 24, 3) + 1, height: le(b, 27, 3) + 1 };
  return null;
}

/**
 * The size a JPEG, PNG or WebP file states, from its first bytes (64 kB hold any JPEG's frame header but one with
 * a huge embedded thumbnail); null for another format or a header that cannot be read: the caller then decodes
 * at a safe fixed width.
 */
export function imageHeaderSize(bytes: Uint8Array): PixelSize | null {
  const b = bytes;
  if (b.length < 30) return null;
  if (b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const be = (at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
    return { width: be(16), height: be(20) };
  }
  if (String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP')
    return webpSize(b);
  return null;
}
