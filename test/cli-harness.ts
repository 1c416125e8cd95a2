import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Spawning bin/nodeloom-sandbox.js in tests: one helper for test/cli*.test.ts. */

/** The bin the tests run. */
export const BIN = fileURLToPath(new URL('../bin/nodeloom-sandbox.js', import.meta.url));

const children: ChildProcess[] = [];

/** Kills every CLI still running (call from afterEach). */
export function killClis(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
}

/**
 * Spawns the bin with `args`, the caller's environment without PORT / SANDBOX_SCENARIO /
 * SANDBOX_ADMIN_TOKEN (plus `options.env`); collects stdout/stderr; `exited` resolves with the code.
 */
export function spawnCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const env = { ...process.env, PORT: '', SANDBOX_SCENARIO: '', SANDBOX_ADMIN_TOKEN: '', ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

/** A spawned CLI. */
export type CliHandle = ReturnType<typeof spawnCli>;

/** Waits (up to 15 s) until stdout matches `pattern`. @throws Error with both outputs otherwise */
export async function waitFor(handle: CliHandle, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 300; i += 1) {
    const match = pattern.exec(handle.out.stdout);
    if (match) return match;
    if (handle.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in output:\n${handle.out.stdout}\n${handle.out.stderr}`);
}
