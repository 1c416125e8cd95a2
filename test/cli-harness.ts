import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { main, type RunningServer, type StopSignal } from '../src/hosts/cli.ts';
import { ensureDist } from './setup/dist.ts';

/**
 * Running the `nodeloom-sandbox` command in tests. {@link runCli} runs `main` in this process with
 * its own stdout, stderr, env, exit and signals (about 50 ms a start); {@link spawnCli} spawns
 * bin/nodeloom-sandbox.js (the built dist/cli.mjs), kept
 * for the few tests that prove the bin itself works.
 */

/** The bin the spawn tests run. */
export const BIN = fileURLToPath(new URL('../bin/nodeloom-sandbox.js', import.meta.url));

/** What both kinds of run have: the output so far, and whether the command has ended. */
export interface CliHandle {
  out: { stdout: string; stderr: string };
  /** Resolves with the exit code once the command ends (null: a spawned bin killed by a signal). */
  exited: Promise<number | null>;
  /** Whether the command has ended. */
  ended(): boolean;
}

/** A command run in-process by {@link runCli}. */
export interface InProcessCli extends CliHandle {
  /** Resolves with what `main` returned: the running server, or undefined once it has ended. */
  started: Promise<RunningServer | undefined>;
  /** Sends a stop signal to the command, as Ctrl-C or `kill` would. */
  kill(signal: StopSignal): void;
}

/** A spawned bin (see {@link spawnCli}). */
export interface SpawnedCli extends CliHandle {
  child: ChildProcess;
}

// The spawned bin runs the built package (dist/cli.mjs): build it first when a source is newer.
await ensureDist();

const children: ChildProcess[] = [];
const inProcess: InProcessCli[] = [];

/** Stops every command still running, spawned or in-process (call from afterEach). */
export async function stopClis(): Promise<void> {
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  await Promise.all(inProcess.splice(0).map(async (cli) => (await cli.started)?.close()));
}

/**
 * Runs `main(args)` in this process: output collected in `out`, the environment only `options.env`
 * (never this process's PORT or SANDBOX_* variables), `cwd` as given or this process's.
 */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): InProcessCli {
  const out = { stdout: '', stderr: '' };
  const signals = new EventEmitter();
  let code: number | undefined;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const started = main(args, {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    exit: (exitCode) => {
      if (code !== undefined) throw new Error(`exit(${exitCode}) called after exit(${code})`);
      code = exitCode;
      resolveExit(exitCode);
    },
    signals,
  });
  const cli: InProcessCli = {
    out,
    exited,
    started,
    ended: () => code !== undefined,
    kill: (signal) => void signals.emit(signal, signal),
  };
  inProcess.push(cli);
  return cli;
}

/**
 * Spawns the bin with `args`, the caller's environment without PORT / SANDBOX_SCENARIO /
 * SANDBOX_ADMIN_TOKEN (plus `options.env`), node run with `options.nodeFlags`; collects
 * stdout/stderr; `exited` resolves with the code.
 */
export function spawnCli(args: string[], options: { env?: Record<string, string>; cwd?: string; nodeFlags?: string[] } = {}): SpawnedCli {
  const env = { ...process.env, PORT: '', SANDBOX_SCENARIO: '', SANDBOX_ADMIN_TOKEN: '', ...options.env };
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), BIN, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited, ended: () => child.exitCode !== null || child.signalCode !== null };
}

/**
 * Waits until stdout matches `pattern`, polling every 10 ms.
 * @param timeoutMs how long to wait (default 15 s)
 * @throws Error with both outputs when the command ends or the time runs out first
 */
export async function waitFor(handle: CliHandle, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  for (let i = 0; i < timeoutMs / 10; i += 1) {
    const match = pattern.exec(handle.out.stdout);
    if (match) return match;
    if (handle.ended()) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${pattern} in output:\n${handle.out.stdout}\n${handle.out.stderr}`);
}
