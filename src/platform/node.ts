/**
 * Node adapters for the engine: read the resolved assets from disk and decode photos without a browser.
 * The engine (src/ml) never touches the file system itself; Node tests and scripts hand it these.
 *
 * Photos are decoded by sharp (libvips over libjpeg-turbo), the same JPEG decoder Chromium uses, with the same
 * settings: the two give the same pixels bit for bit (tests/e2e/same-pixels.spec.ts proves it on every photo), so
 * a checkpoint trained here sees exactly what a learner's run sees. (jpeg-js, used before, differed by up to 60
 * levels on some pixels, enough to move a photo across the decision boundary.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { RgbImage } from '../ml/image';
import { installWasmTrainingKernels } from '../ml/kernels';

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

/**
 * Decodes an image file's bytes (JPEG, PNG, WebP…) to RGB with sharp, as a browser's createImageBitmap would:
 * EXIF orientation applied, alpha dropped, greyscale expanded to RGB. Rejects with the decoder's reason.
 */
export async function decodeImageBytes(bytes: Uint8Array): Promise<RgbImage> {
  let image = sharp(bytes).rotate(); // .rotate() with no angle applies the EXIF orientation, as browsers do
  const { channels } = await image.metadata();
  if (channels !== 3) image = image.removeAlpha().toColourspace('srgb');
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3 (RGB)`);
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Reads and decodes one photo of the learner-facing set, e.g. "cat/Egyptian_Mau_10.jpg": the pixels Chromium sees. */
export async function readPhoto(file: string): Promise<RgbImage> {
  const bytes = readAsset(`photos/${file}`);
  try {
    return await decodeImageBytes(bytes);
  } catch (cause) {
    throw new Error(`photo ${file} could not be decoded: ${(cause as Error).message}`, { cause });
  }
}

/** Switches tfjs to the wasm backend (SIMD), the fastest in Node without native bindings. */
export async function useWasmBackend(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(WASM_DIR);
  // Without these, training any conv layer throws on wasm (tfjs-backend-wasm 4.22 has no conv-gradient kernels).
  installWasmTrainingKernels();
  if (tf.getBackend() !== 'wasm') {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
  }
  await tf.ready();
}

/**
 * An IOHandler that saves a LayersModel into `dir` as model.json + weights.bin (one weight file, named plainly:
 * not tfjs's "group1-shard1of1", which some static hosts and our asset checks treat as the base model's shards).
 * `dir` is resolved against the working directory and created when missing.
 */
export function nodeSaveIO(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error('nodeSaveIO saves layers models (JSON topology) only');
      const folder = path.resolve(dir);
      mkdirSync(folder, { recursive: true });
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const json: tf.io.ModelJSON & { userDefinedMetadata?: object } = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileSync(path.join(folder, 'weights.bin'), weights);
      writeFileSync(path.join(folder, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler that loads a LayersModel saved by nodeSaveIO (or any model.json whose weight files sit beside it). */
export function nodeLoadIO(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const folder = path.resolve(dir);
      const read = (name: string) => {
        try {
          return readFileSync(path.join(folder, name));
        } catch (cause) {
          throw new Error(`${name} is missing from ${folder}`, { cause });
        }
      };
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(read('model.json').toString('utf8')) as tf.io.ModelJSON;
      } catch (cause) {
        throw new Error(`${path.join(folder, 'model.json')} is not a valid model.json: ${(cause as Error).message}`, {
          cause,
        });
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const all = Buffer.concat(manifest.flatMap((group) => group.paths.map(read)));
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}
