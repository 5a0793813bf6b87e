/**
 * The pixel check behind src/pages/dev/pixels.astro: every photo of the course decoded by the browser through the
 * lessons' own path (loadPhoto), reduced to a SHA-256 of its RGB bytes, so a test can compare the browser's pixels
 * with Node's without shipping 58 MB of raw pixels back and forth.
 */
import { siteUrl } from './base-url';
import { loadPhoto } from './browser-photo';
import { errorMessage } from '../ml/error-message';
import type { RgbImage } from '../ml/image';

/** One decoded photo: its size, the hash of its RGB bytes (row-major, alpha dropped) and whether all alpha was 255. */
export interface PixelDigest {
  file: string;
  width: number;
  height: number;
  sha256: string;
  opaque: boolean;
}

/** The RGB bytes of a decoded image (RGBA from a canvas, or RGB), and whether every alpha byte was 255. */
function rgbBytes(image: RgbImage): { rgb: Uint8Array<ArrayBuffer>; opaque: boolean } {
  const channels = image.channels ?? 3;
  if (channels === 3) return { rgb: new Uint8Array(image.data), opaque: true };
  const n = image.width * image.height;
  const rgb = new Uint8Array(n * 3);
  let opaque = true;
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = image.data[i * 4]!;
    rgb[i * 3 + 1] = image.data[i * 4 + 1]!;
    rgb[i * 3 + 2] = image.data[i * 4 + 2]!;
    if (image.data[i * 4 + 3] !== 255) opaque = false;
  }
  return { rgb, opaque };
}

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Decodes the photos of the index (the first `limit` with ?limit=N) and writes their digests into `root` as JSON. */
export async function rgbDigests(root: HTMLElement, search: string = location.search): Promise<PixelDigest[]> {
  const status = root.querySelector<HTMLElement>('#pixels-status');
  const json = root.querySelector<HTMLElement>('#pixels-json');
  root.dataset.state = 'running';
  const digests: PixelDigest[] = [];
  try {
    const assets = siteUrl('workbook-assets/photos/');
    const index = (await (await fetch(`${assets}index.json`)).json()) as { photos: { file: string }[] };
    const limit = Number(new URLSearchParams(search).get('limit') ?? index.photos.length);
    for (const { file } of index.photos.slice(0, limit)) {
      // The URL exactly as the lessons build it (src/workbook/platform-browser.ts).
      const image = await loadPhoto(`${assets}${file.split('/').map(encodeURIComponent).join('/')}`);
      const { rgb, opaque } = rgbBytes(image);
      digests.push({
        file,
        width: image.width,
        height: image.height,
        sha256: hex(await crypto.subtle.digest('SHA-256', rgb)),
        opaque,
      });
      if (status) status.textContent = `${digests.length} photos decoded`;
    }
    if (json) json.textContent = JSON.stringify({ digests });
    root.dataset.state = 'done';
  } catch (e) {
    if (json) json.textContent = JSON.stringify({ digests, error: errorMessage(e) });
    root.dataset.state = 'error';
  }
  return digests;
}
