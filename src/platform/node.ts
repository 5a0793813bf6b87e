/**
 * Node adapters for the engine: read the resolved assets from disk and decode JPEGs without a browser.
 * The engine (src/ml) never touches the file system itself; Node tests and scripts hand it these.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import type { RgbImage } from '../ml/image';

/** The folder `npm run assets` fills: public/workbook-assets at the repository root. */
export const ASSET_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/workbook-assets');

/** Where tfjs-backend-wasm's .wasm binaries are in node_modules (tfjs wants a trailing slash). */
export const WASM_DIR = `${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`;

/** Reads a file of the resolved assets, with an error that says how to get it when it is missing. */
export function readAsset(rel: string): Buffer {
  try {
    return readFileSync(path.join(ASSET_DIR, rel));
  } catch (cause) {
    throw new Error(`asset ${rel} is missing from ${ASSET_DIR}: run \`npm run assets\``, { cause });
  }
}

/** An IOHandler that loads a tfjs LayersModel (model.json and its shards) from a folder of the assets. */
export function nodeModelIO(dir = 'model'): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readAsset(`${dir}/model.json`).toString('utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const shard of group.paths) buffers.push(readAsset(`${dir}/${shard}`));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

/** Decodes a JPEG to RGB with jpeg-js (pure JS, so no native build). */
export function decodeJpeg(bytes: Uint8Array): RgbImage {
  const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  return { width, height, data: data as Uint8Array };
}

/** Reads and decodes one photo of the learner-facing set, e.g. "cat/Egyptian_Mau_10.jpg". */
export function readPhoto(file: string): RgbImage {
  return decodeJpeg(readAsset(`photos/${file}`));
}

/** Switches tfjs to the wasm backend (SIMD), the fastest in Node without native bindings. */
export async function useWasmBackend(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(WASM_DIR);
  if (tf.getBackend() !== 'wasm') {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
  }
  await tf.ready();
}
