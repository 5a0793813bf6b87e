/**
 * The tfjs side of the native baseline, in Node on the wasm backend: a long-lived worker that answers one JSON
 * request per stdin line with one JSON line on stdout, the same protocol as torch_worker.py, so the orchestrator
 * (scripts/bench/native.mjs) can alternate tfjs and torch rounds and machine noise hits both.
 *
 * It also makes the shared input: `init` decodes real photos of the workbook's set with the same imageToInput a
 * lesson uses and writes them as raw float32 NHWC, which torch_worker.py reads, so both frameworks see the very
 * same 224×224 batches. Run: `node --import ./scripts/register-ts.mjs scripts/bench/tfjs_worker.ts`.
 */
import { writeFileSync } from 'node:fs';
import readline from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { imagesToBatch } from '../../src/ml/image';
import { nodeModelIO, readAsset, readPhoto, useWasmBackend } from '../../src/platform/node';
import { engineForward, engineTrainStep } from './engine-cases';
import { pickPhotos, timed, type IndexLike } from './photos';

interface Request {
  cmd: string;
  [key: string]: unknown;
}

const state: { model?: tf.LayersModel; prefix?: tf.LayersModel; x?: tf.Tensor4D; photos?: string[] } = {};

/** The layer whose output is the 256-d feature vector a frozen base hands to a new head. */
export const FEATURES_LAYER = 'global_average_pooling2d_1';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not loaded: send {"cmd":"init"} first`);
  return value;
}

const handlers: Record<string, (req: Request) => Promise<object>> = {
  async init(req) {
    setThreadsCount(Number(req.threads ?? 1)); // only honoured by threaded wasm; Node's tfjs wasm is single-threaded
    await useWasmBackend();
    state.model = await tf.loadLayersModel(nodeModelIO());
    // The frozen base as plain tfjs sees it: the same layers, cut at the features (shares the weights).
    state.prefix = tf.model({
      inputs: state.model.inputs,
      outputs: state.model.getLayer(FEATURES_LAYER).output as tf.SymbolicTensor,
    });
    const count = Number(req.count);
    state.photos = pickPhotos(JSON.parse(readAsset('photos/index.json').toString('utf8')) as IndexLike, count);
    state.x = imagesToBatch(await Promise.all(state.photos.map(readPhoto)));
    if (typeof req.inputs === 'string') writeFileSync(req.inputs, new Uint8Array((await state.x.data()).buffer));
    return { tfjs: tf.version.tfjs, backend: tf.getBackend(), threads: getThreadsCount(), photos: state.photos };
  },

  async classify(req) {
    const model = need(state.model, 'the model');
    const x = need(state.x, 'the input batch').slice(0, Number(req.count));
    const probs = model.predict(x) as tf.Tensor2D;
    const [top1, p] = [await probs.argMax(-1).array(), await probs.max(-1).array()];
    const full = req.full ? await probs.array() : null;
    tf.dispose([x, probs]);
    return { top1, p, probs: full };
  },

  async forward(req) {
    const model = need(state.model, 'the model');
    const x = need(state.x, 'the input batch').slice(0, Number(req.batch));
    try {
      if (req.variant === 'predict' || req.variant === 'prefix') {
        const net = req.variant === 'predict' ? model : need(state.prefix, 'the prefix');
        return {
          times: await timed(async () => {
            const y = net.predict(x) as tf.Tensor;
            await y.data();
            y.dispose();
          }, Number(req.reps)),
        };
      }
      return await engineForward(String(req.variant), model, x, Number(req.reps));
    } finally {
      x.dispose();
    }
  },

  async train(req) {
    const model = need(state.model, 'the model');
    const x = need(state.x, 'the input batch');
    return engineTrainStep(String(req.case), model, x, Number(req.batch), Number(req.reps));
  },

  async memory() {
    return { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
  },
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const req = JSON.parse(line) as Request;
  let reply: object;
  try {
    const handler = handlers[req.cmd];
    if (!handler) throw new Error(`unknown request ${req.cmd}`);
    reply = { ok: true, ...(await handler(req)) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
