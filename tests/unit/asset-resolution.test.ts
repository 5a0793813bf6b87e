/**
 * `npm run assets` against a broken mirror: a corrupted or missing file must stop it with an error naming the
 * file, and leave nothing half-written behind.
 *
 * The mirrors are built from the verified originals `npm run assets` already keeps in .cache/assets/ (the same
 * layout as a mirror), so the test runs on any machine that ran the README's set-up: with or without
 * WORKBOOK_ASSET_MIRROR, online or not.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Where scripts/assets.mjs keeps every manifest file, each checked against its sha256 before it was kept. */
const RESOLVED = path.resolve(process.env.WORKBOOK_ASSET_CACHE ?? path.join(ROOT, '.cache/assets'));
if (!existsSync(path.join(RESOLVED, 'models')) || !existsSync(path.join(RESOLVED, 'data'))) {
  throw new Error(
    `asset-resolution: no resolved assets in ${RESOLVED}; run \`npm run assets\` first (npm install does)`,
  );
}
const work = mkdtempSync(path.join(tmpdir(), 'workbook-assets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the asset script with its own cache and output under `work`; returns exit status and output. */
function runAssets(mirror: string, name: string) {
  const env = {
    ...process.env,
    WORKBOOK_ASSET_MIRROR: mirror,
    WORKBOOK_ASSET_CACHE: path.join(work, name, 'cache'),
    WORKBOOK_ASSET_OUT: path.join(work, name, 'out'),
  };
  try {
    const stdout = execFileSync('node', ['scripts/assets.mjs'], { cwd: ROOT, env, encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, output: stdout };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: e.stdout + e.stderr };
  }
}

/** A mirror copied from the resolved originals, with one change applied. */
function brokenMirror(name: string, change: (dir: string) => void): string {
  const dir = path.join(work, name, 'mirror');
  cpSync(path.join(RESOLVED, 'models'), path.join(dir, 'models'), { recursive: true });
  cpSync(path.join(RESOLVED, 'data'), path.join(dir, 'data'), { recursive: true });
  change(dir);
  return dir;
}

describe('asset resolution', () => {
  it('rejects a corrupted shard, naming it, and writes no output', () => {
    const shard = 'models/mobilenet_v1_0.25_224/group3-shard1of1';
    const mirror = brokenMirror('corrupt', (dir) => writeFileSync(path.join(dir, shard), Buffer.alloc(4096, 7)));
    const { status, output } = runAssets(mirror, 'corrupt');
    expect(status).toBe(1);
    expect(output).toContain(`asset corrupted: ${shard}`);
    expect(existsSync(path.join(work, 'corrupt', 'out'))).toBe(false);
    expect(existsSync(path.join(work, 'corrupt', 'cache', shard))).toBe(false);
  });

  it('rejects a missing photo, naming it', () => {
    const photo = 'data/cats-dogs/dog/beagle_10.jpg';
    const mirror = brokenMirror('missing', (dir) => rmSync(path.join(dir, photo)));
    const { status, output } = runAssets(mirror, 'missing');
    expect(status).toBe(1);
    expect(output).toContain(`asset missing: ${photo}`);
    expect(existsSync(path.join(work, 'missing', 'out'))).toBe(false);
  });

  it('resolves a good mirror, then does no work the second time', () => {
    // The resolved originals are a complete, verified mirror.
    const first = runAssets(RESOLVED, 'good');
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(/446 fetched, all 446 verified/);
    const out = path.join(work, 'good', 'out');
    expect(readdirSync(path.join(out, 'photos', 'other'))).toHaveLength(145);
    expect(readdirSync(path.join(out, 'model'))).toHaveLength(56);
    const second = runAssets(RESOLVED, 'good');
    expect(second.output).toContain('up to date');
  });
});
