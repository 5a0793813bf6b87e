/**
 * Child processes for the benchmark: long-lived JSON-line workers (tfjs in Node, PyTorch in Python), one-shot
 * commands, and servers started in their own process group so that stopping them also stops the children they
 * spawn (`npx astro preview` leaves a node child behind when only npx is killed).
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** Processes started here that are still running: stopped on exit, Ctrl-C or a crash. */
const live = new Set();

/** Stops a process and everything in its process group: TERM, then KILL after `graceMs`. */
export async function stopGroup(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig); // negative pid: the whole group (the child was spawned detached)
    } catch {
      try {
        child.kill(sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

function stopAllNow() {
  for (const child of live) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.once('exit', stopAllNow);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    stopAllNow();
    process.exit(130);
  });
}

/** Spawns `cmd args` as the leader of a new process group, remembered so it is stopped on exit. */
export function spawnGroup(cmd, args, options = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], ...options });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Runs a command to completion; resolves with its output (stdout, and stderr unless `onStderr` takes its lines),
 * rejects with the tail of that output on failure.
 */
export function runCommand(cmd, args, { cwd, env, echo = false, onStderr, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (chunk) => {
      out += chunk;
      if (echo) process.stderr.write(chunk);
    };
    child.stdout.on('data', take);
    let errTail = '';
    if (onStderr) {
      readline.createInterface({ input: child.stderr }).on('line', (line) => {
        errTail = `${errTail}${line}\n`.slice(-3000);
        onStderr(line);
      });
    } else child.stderr.on('data', take);
    const timer = setTimeout(() => stopGroup(child), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.slice(-3000)}${errTail}`),
        );
    });
    child.once('error', reject);
  });
}

/**
 * A worker that answers each JSON request (one line on its stdin) with one JSON line on its stdout.
 * Replies with `ok: false` become rejected promises carrying the worker's error message.
 */
export class JsonWorker {
  constructor(name, cmd, args, options = {}) {
    this.name = name;
    this.child = spawnGroup(cmd, args, options);
    this.stderr = '';
    this.child.stderr.on('data', (c) => {
      this.stderr = (this.stderr + c).slice(-4000);
    });
    this.lines = readline.createInterface({ input: this.child.stdout });
    this.waiting = [];
    this.lines.on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.once('exit', (code, signal) => {
      const error = new Error(
        `${name} worker exited (${signal ?? `exit ${code}`}): ${this.stderr.trim().slice(-1500)}`,
      );
      for (const w of this.waiting.splice(0)) w.reject(error);
      this.exited = error;
    });
  }

  /** Sends a request and waits for its reply object. */
  request(message) {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: (line) => {
          let reply;
          try {
            reply = JSON.parse(line);
          } catch {
            reject(new Error(`${this.name} worker wrote a line that is not JSON: ${line.slice(0, 300)}`));
            return;
          }
          if (reply.ok) resolve(reply);
          else reject(new Error(`${this.name}: ${reply.error}`));
        },
        reject,
      });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Closes stdin (the worker's loop ends) and waits for it, killing it if it does not go. */
  async close() {
    if (this.exited) return;
    this.child.stdin.end();
    const done = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => stopGroup(this.child, 1000), 5000);
    await done;
    clearTimeout(timer);
  }
}
