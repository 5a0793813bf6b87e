/**
 * Writes the "edges you can see" pictures to .cache/edges/ as PNGs, to look at them outside the page, and prints
 * what they cost: conv1 folded with its BatchNorm (shared scale, dead filters crossed out), its luminance kernels,
 * and the top receptive-field patches of a few channels of blocks 1–3 over all 390 photos.
 *   node --import ./scripts/register-ts.mjs scripts/edges-preview.ts [layer …]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { ChannelPatchIndex } from '../src/ml/channel-patches';
import { loadPhotoSet } from '../src/ml/dataset';
import { foldedFilterGrid, foldedFirstLayer } from '../src/ml/first-layer';
import { filterGrid, firstConvKernel, patchGrid, type Pixels } from '../src/ml/visualize';
import { ASSET_DIR, nodeModelIO, readPhoto, useWasmBackend } from '../src/platform/node';

const OUT = '.cache/edges';

async function png(name: string, p: Pixels): Promise<void> {
  await sharp(Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength), {
    raw: { width: p.width, height: p.height, channels: 4 },
  })
    .png()
    .toFile(`${OUT}/${name}.png`);
}

mkdirSync(OUT, { recursive: true });
await useWasmBackend();
const model = await tf.loadLayersModel(nodeModelIO());
const layer1 = foldedFirstLayer(model);
for (const f of layer1.filters) {
  console.log(
    `conv1 ch${f.channel}: γ ${f.gamma.toFixed(3)} scale ${f.scale.toExponential(2)} bias ${f.bias.toFixed(3)} raw peak ${f.rawPeak.toExponential(2)} folded peak ${f.peak.toExponential(2)} span ${f.outputSpan.toFixed(3)}${f.dead ? ' DEAD' : ''}${f.flipped ? ' FLIPPED' : ''} fires on: ${f.fires}`,
  );
  console.log(`   luminance ${JSON.stringify(f.luminance.map((r) => r.map((v) => +v.toFixed(2))))}`);
}
console.log(`shared full scale ${layer1.fullScale}`);
await png('conv1-raw', filterGrid(firstConvKernel(model)));
await png('conv1-folded', foldedFilterGrid(layer1));
await png('conv1-folded-lum', foldedFilterGrid(layer1, { luminance: true }));
await png('conv1-folded-clip', foldedFilterGrid(foldedFirstLayer(model, { fullScale: 0.6 })));

const set = loadPhotoSet(readFileSync(`${ASSET_DIR}/photos/index.json`, 'utf8'), readPhoto);
const entries = set.select();
const load = (ids: number[]) => set.batch(ids.map((i) => entries[i]!));
const layers = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['conv_pw_1_relu', 'conv_pw_2_relu', 'conv_pw_3_relu'];
for (const layer of layers) {
  const t0 = performance.now();
  const index = await ChannelPatchIndex.build(model, layer, entries.length, load);
  const built = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const channels = Array.from({ length: index.shape[2] }, (_, c) => c);
  const tops = channels.map((c) => index.top(c, 9, 2));
  const ranked = (performance.now() - t1) / 1000;
  console.log(
    `${layer}: field ${index.field.size}px jump ${index.field.jump} first ${index.field.first}; built ${built.toFixed(1)} s for ${entries.length} photos (index.seconds ${index.seconds.toFixed(1)}), top-9 of all ${channels.length} channels ${ranked.toFixed(3)} s; tf tensors ${tf.memory().numTensors}`,
  );
  const rows = [];
  // A channel that never fires (or fires on fewer than 9 spots) is left out of the picture, and said so.
  for (const [c, top] of tops.entries()) {
    if (top.length === 9) rows.push(...(await index.patches(top, load)));
    else console.log(`  ch${c}: only ${top.length} positive peaks, not drawn`);
  }
  await png(`${layer}-patches`, patchGrid(rows, { columns: 9, context: Math.round(index.field.size / 2) }));
  await png(`${layer}-patches-tight`, patchGrid(rows, { columns: 9 }));
  tops.forEach((top, c) =>
    console.log(
      `  ch${c}: ${top
        .map(
          (p) =>
            `${entries[p.photo]!.file.split('/')[1]}@${p.y},${p.x}=${p.activation.toFixed(2)}/${p.drive.toFixed(1)}`,
        )
        .slice(0, 4)
        .join(' ')} …`,
    ),
  );
}
