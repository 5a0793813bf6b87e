/**
 * The workbook facade's platform in Node: the real model, class names, photo index and photos, read from
 * public/workbook-assets (npm run assets), on the wasm backend. No page: nothing is drawn, data comes back.
 */
import * as tf from '@tensorflow/tfjs';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';
import type { WorkbookPlatform } from '../../src/workbook/platform';

/** A platform over the assets on disk; the model is loaded once per test file. */
export async function nodePlatform(): Promise<WorkbookPlatform> {
  await useWasmBackend();
  let model: Promise<tf.LayersModel> | null = null;
  return {
    async loadModel() {
      const start = performance.now();
      model ??= tf.loadLayersModel(nodeModelIO());
      return {
        model: await model,
        report: { files: 56, bytes: 0, cachedFiles: 0, fromCache: false, seconds: (performance.now() - start) / 1000 },
      };
    },
    loadClassNames: async () => JSON.parse(readAsset('labels/imagenet_classes.json').toString('utf8')) as string[],
    loadPhotoIndex: async () => JSON.parse(readAsset('photos/index.json').toString('utf8')) as unknown,
    decodePhoto: async (file) => readPhoto(file),
    photoUrl: () => null,
  };
}
