import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Target } from './targets.ts';

/**
 * Servers the bench runs as child processes (the sandbox's own CLI, and the peer mock servers):
 * spawned on a free loopback port, ready once a GET of the bench path answers 200, stopped with
 * SIGTERM (SIGKILL after 3 s). Their stdout is read and dropped, as a terminal would take it, so
 * a server that logs every request pays for its log line.
 */

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What to spawn: `command args…` (the port is already in `args`), ready when `readyUrl` is 200. */
export interface ProcessTargetOptions {
  name: string;
  command: string;
  args: string[];
  port: number;
  /** Polled every 50 ms until it answers 200 (30 s at most). */
  readyUrl: string;
  /** Headers of the readiness request (e.g. the sandbox's token). */
  headers?: Record<string, string>;
  cwd?: string;
}

/**
 * Spawns a server and waits until it answers.
 * @returns the started {@link Target}; `close()` stops the process
 * @throws Error when the process exits first or is not ready within 30 s (with its stderr)
 */
export async function processTarget(options: ProcessTargetOptions): Promise<Target> {
  const child = spawn(options.command, options.args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode} before answering: ${stderr}`);
    if (performance.now() - started > 30_000) {
      await stop(child);
      throw new Error(`${options.name} did not answer 200 at ${options.readyUrl} within 30 s: ${stderr}`);
    }
    try {
      const response = await fetch(options.readyUrl, { headers: options.headers });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { name: options.name, port: options.port, pid: child.pid, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The node flags `npm start` passes (package.json `scripts.start`: `node --max-semi-space-size=32
 * bin/nodeloom-sandbox.js`), so the bench runs the command as `npm start` does.
 * @returns the `--flags` between `node` and the script, or none
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts?: { start?: string } };
  const flags = /^node((?:\s+--\S+)*)\s+\S+\.js\b/.exec(pkg.scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter(Boolean);
}
