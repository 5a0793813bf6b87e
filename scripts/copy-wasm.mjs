#!/usr/bin/env node
/**
 * Copies tfjs-backend-wasm's three .wasm binaries (plain, SIMD, threaded SIMD) from node_modules to public/tfjs-wasm/
 * (git-ignored), where the site serves them; src/platform/browser-backend.ts points `setWasmPaths` there.
 * The browser picks the binary at run time (SIMD if the browser has it, threads if the page is cross-origin
 * isolated), so all three ship. A copy already up to date (same size and not older) is left alone.
 */
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'public/tfjs-wasm');
// Resolve through the package's own entry, so a hoisted or nested install both work.
const SRC = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));

/** The three binaries setWasmPaths(siteUrl('tfjs-wasm/')) may ask for; the threaded one runs on every core. */
const EXPECTED = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const files = (await readdir(SRC)).filter((f) => f.endsWith('.wasm'));
const missing = EXPECTED.filter((f) => !files.includes(f));
if (missing.length > 0) {
  console.error(`copy-wasm: ${missing.join(', ')} missing in ${SRC}: is @tensorflow/tfjs-backend-wasm 4.22 installed?`);
  process.exit(1);
}
await mkdir(OUT, { recursive: true });
let copied = 0;
for (const file of files) {
  const from = path.join(SRC, file);
  const to = path.join(OUT, file);
  const [a, b] = await Promise.all([stat(from), stat(to).catch(() => null)]);
  if (b && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
  await copyFile(from, to);
  copied++;
}
console.log(`copy-wasm: ${files.length} .wasm files in public/tfjs-wasm/ (${copied} copied)`);
