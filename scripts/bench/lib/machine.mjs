/** What the figures were measured on: CPU, cores, memory, OS, and the versions of every runtime involved. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { CHROME } from './browser.mjs';
import { runCommand } from './proc.mjs';

const firstMatch = (text, re) => text.match(re)?.[0] ?? null;

/** The current 1/5/15-minute load averages, e.g. "1.92 1.40 0.80" (2 cores: above 2 means queueing). */
export function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Collects the machine description (each probe that fails just says so). */
export async function describeMachine(root) {
  const cpus = os.cpus();
  const osRelease = (() => {
    try {
      return firstMatch(readFileSync('/etc/os-release', 'utf8'), /(?<=PRETTY_NAME=").*(?=")/) ?? os.release();
    } catch {
      return `${os.type()} ${os.release()}`;
    }
  })();
  const chromium = await runCommand(CHROME, ['--version']).then(
    (t) => firstMatch(t, /Chromium [\d.]+/) ?? t.trim(),
    () => `no Chromium at ${CHROME}`,
  );
  const torch = await runCommand(process.env.BENCH_PYTHON ?? '/usr/bin/python3', [
    '-c',
    'import sys, torch; print(torch.__version__, sys.version.split()[0])',
  ]).then(
    (t) => t.trim().split(/\s+/),
    () => [null, null],
  );
  const tfjs = JSON.parse(readFileSync(`${root}/node_modules/@tensorflow/tfjs/package.json`, 'utf8')).version;
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osRelease,
    node: process.version,
    chromium,
    tfjs,
    torch: torch[0],
    python: torch[1] ? `Python ${torch[1]}` : null,
    loadAverage: loadAverage(),
  };
}
