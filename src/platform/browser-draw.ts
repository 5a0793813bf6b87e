/**
 * Puts the pictures of src/ml/visualize.ts on a canvas. The pixels are already scaled up (nearest neighbour) by
 * the engine, so the canvas shows them 1:1; CSS may enlarge further, and `image-rendering: pixelated` keeps a
 * 3×3 filter a crisp 3×3 block instead of a blur.
 */
import type { GridLayout, GridPicture, Pixels } from '../ml/visualize';
import { tileAt } from '../ml/visualize';

/** Draws pixels onto a canvas, resizing it to fit them exactly. */
export function drawPixels(canvas: HTMLCanvasElement, pixels: Pixels): void {
  canvas.width = pixels.width;
  canvas.height = pixels.height;
  canvas.style.imageRendering = 'pixelated';
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D canvas context: the picture cannot be drawn');
  // ImageData wants a Uint8ClampedArray over a plain ArrayBuffer; ours always is.
  context.putImageData(new ImageData(pixels.data as Uint8ClampedArray<ArrayBuffer>, pixels.width, pixels.height), 0, 0);
}

/** A new canvas showing the pixels, with an accessible label (a canvas is otherwise invisible to screen readers). */
export function pixelsToCanvas(pixels: Pixels, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  drawPixels(canvas, pixels);
  return canvas;
}

/** The tile under a pointer event on a canvas showing a grid (accounts for CSS scaling of the canvas). */
export function tileUnderPointer(
  canvas: HTMLCanvasElement,
  layout: GridLayout,
  event: { clientX: number; clientY: number },
): number | null {
  const box = canvas.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return null;
  const x = ((event.clientX - box.left) * canvas.width) / box.width;
  const y = ((event.clientY - box.top) * canvas.height) / box.height;
  return tileAt(layout, Math.floor(x), Math.floor(y));
}

/**
 * Draws a grid picture and calls `onTile(tile)` when the learner hovers or clicks a tile (null when leaving it),
 * e.g. to show which channel it is or the photos that excite it. Returns a function that removes the listeners.
 */
export function drawInteractiveGrid(
  canvas: HTMLCanvasElement,
  picture: GridPicture,
  onTile: (tile: number | null, event: PointerEvent) => void,
): () => void {
  drawPixels(canvas, picture);
  const move = (e: PointerEvent) => onTile(tileUnderPointer(canvas, picture.layout, e), e);
  const leave = (e: PointerEvent) => onTile(null, e);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerdown', move);
  canvas.addEventListener('pointerleave', leave);
  return () => {
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerdown', move);
    canvas.removeEventListener('pointerleave', leave);
  };
}
