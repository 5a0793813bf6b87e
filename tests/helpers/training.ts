/**
 * Shared set-up for the training tests: the real MobileNet and the real photo set on the wasm backend, and small
 * stratified subsets of the photos for tests that need many training runs.
 */
import * as tf from '@tensorflow/tfjs';
import { loadPhotoSet, type PhotoIndex, PhotoSet } from '../../src/ml/dataset';
import { installWasmConvGradients } from '../../src/ml/kernels/wasm-conv-grads';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';

/** The pre-trained MobileNet on wasm, with the conv-gradient kernels so conv blocks can be fine-tuned. */
export async function loadRealModel(): Promise<tf.LayersModel> {
  installWasmConvGradients();
  await useWasmBackend();
  return tf.loadLayersModel(nodeModelIO());
}

/** The full real photo set (312 train / 78 validation). */
export function realPhotoSet(): PhotoSet {
  return loadPhotoSet(readAsset('photos/index.json').toString('utf8'), readPhoto);
}

/** The first `train` and `validation` photos of each label (index order), as a photo set of their own. */
export function photoSubset(full: PhotoSet, perLabel: { train: number; validation: number }): PhotoSet {
  const photos = full.index.labels.flatMap((label) =>
    (['train', 'validation'] as const).flatMap((split) =>
      full.index.photos.filter((p) => p.label === label && p.split === split).slice(0, perLabel[split]),
    ),
  );
  const index: PhotoIndex = { ...full.index, photos };
  return new PhotoSet(index, readPhoto);
}

/** Every weight of the given layers as raw bytes, keyed by the weight's name. */
export function weightBytes(layers: readonly tf.layers.Layer[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const layer of layers) {
    for (const w of layer.weights) {
      const values = w.read().dataSync() as Float32Array;
      out.set(
        w.originalName,
        new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
      );
    }
  }
  return out;
}

/** Whether two byte arrays are identical. */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);
}
