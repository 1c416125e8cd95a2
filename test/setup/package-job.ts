import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyConsumerFiles, installConsumer, run } from '../package-consumer.ts';
import { ensureDist, ROOT } from './dist.ts';

/**
 * The slow half of test/package.test.ts as a job that starts before the test file runs: build
 * dist/ if stale, `npm pack`, install the tarball into a consumer project, then, all at once: the
 * consumer's type checks (NodeNext and Bundler, skipLibCheck off: test/setup/consumer-types.mjs),
 * its vitest tests under jsdom and happy-dom (test/package-consumer/*.spec.mjs), its Jest test,
 * its plain ESM and CommonJS scripts, and the command served with `npx` ({@link ServedAnswers});
 * the test file asserts on what each step recorded. test/setup/global.ts starts it at the start
 * of the suite (when package.test.ts is in the run), so it runs beside the workers; the test file starts it
 * itself when run without that setup. Each step writes `<dir>/<step>.json` ({@link StepResult})
 * when it ends, and the test file waits for the files ({@link stepResult}). A failed step fails
 * the steps after it with its message, so no test waits for a result that will never come.
 */

/** The steps, in the order they finish at the earliest. */
export const STEPS = ['packed', 'installed', 'tsc-nodenext', 'tsc-bundler', 'vitest-dom', 'jest', 'esm', 'cjs', 'served'] as const;
export type StepName = (typeof STEPS)[number];

/** What a step left: its output, or why it failed (with the output it had). */
export type StepResult = { ok: true; stdout: string; stderr: string; value?: unknown } | { ok: false; error: string; stdout: string; stderr: string };

/** The tools run from this repository's node_modules. */
export const bin = (name: string) => join(ROOT, 'node_modules', name);
export const JEST = bin('jest/bin/jest.js');
const STEP_TIMEOUT_MS = 170_000;

/** The consumer project's folder inside a job's folder. */
export const consumerOf = (dir: string) => join(dir, 'consumer');

async function write(dir: string, name: StepName, result: StepResult): Promise<void> {
  const file = join(dir, `${name}.json`);
  await writeFile(`${file}.tmp`, JSON.stringify(result));
  await rename(`${file}.tmp`, file); // whole or absent: a reader never sees half a file
}

function failure(error: unknown): Extract<StepResult, { ok: false }> {
  const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
  return { ok: false, error: error instanceof Error ? error.message : String(error), stdout: String(stdout), stderr: String(stderr) };
}

/**
 * The consumer's type checks, NodeNext and Bundler, in one process (test/setup/consumer-types.mjs:
 * `tsc -p`'s programs and options, with the full check of the consumer's files and this package's
 * declarations). Each writes its step: `stdout` holds the diagnostics, empty when clean.
 */
async function typeChecks(dir: string): Promise<void> {
  const names = ['nodenext', 'bundler'] as const;
  try {
    const script = join(ROOT, 'test', 'setup', 'consumer-types.mjs');
    const { stdout, stderr } = await run(process.execPath, [script, bin('typescript/lib/typescript.js'), ...names], { cwd: consumerOf(dir), timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    const results = JSON.parse(stdout) as Record<(typeof names)[number], string>;
    for (const name of names) await write(dir, `tsc-${name}`, { ok: true, stdout: results[name], stderr });
  } catch (error) {
    for (const name of names) await write(dir, `tsc-${name}`, failure(error));
  }
}

/** Runs a tool with node in the consumer folder and records its output (or its failure). */
async function tool(dir: string, name: StepName, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: consumerOf(dir), timeout: STEP_TIMEOUT_MS, env: env ?? process.env, maxBuffer: 16 * 1024 * 1024 });
    await write(dir, name, { ok: true, stdout, stderr });
  } catch (error) {
    await write(dir, name, failure(error));
  }
}

/** What the `served` step saw of `npx --offline nodeloom-sandbox --port 0 --quiet` in the consumer. */
export interface ServedAnswers {
  /** `GET /api/auth/me` with `sdk_sandbox_admin`. */
  me: { status: number; body: unknown };
  /** Whether swagger-ui-dist was installed in the consumer (it must not be: the package carries its files). */
  swaggerUiDistInstalled: boolean;
  /** `GET /__sandbox/docs/swagger-ui-bundle.js`: status, Content-Type, body bytes. */
  bundle: { status: number; contentType: string | null; bytes: number };
  /** The `openapi` field of `GET /openapi.json`. */
  openapi: unknown;
}

/**
 * Serves the installed command with `npx` in the consumer, waits for its banner, makes the calls
 * of {@link ServedAnswers}, and stops it. detached: npx runs the bin in a process of its own, so
 * the group is killed (killing npx alone left the server running after the suite).
 */
async function served(dir: string): Promise<void> {
  const consumer = consumerOf(dir);
  const child = spawn('npx', ['--offline', 'nodeloom-sandbox', '--port', '0', '--quiet'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${out}`)), 60_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /listening on http:\/\/localhost:(\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      // No npx, or a server that stops before its banner: the step fails at once (an unhandled
      // 'error' would end the suite's global setup; a pending timer would hold it for 60 s).
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${out}`));
      });
    });
    const base = `http://localhost:${port}`;
    // A bounded wait: the suite's teardown waits for the job, so a call that never answered would hang it.
    const get = (path: string, headers?: Record<string, string>) => fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
    const me = await get('/api/auth/me', { authorization: 'Bearer sdk_sandbox_admin' });
    const bundle = await get('/__sandbox/docs/swagger-ui-bundle.js');
    const value: ServedAnswers = {
      me: { status: me.status, body: await me.json() },
      swaggerUiDistInstalled: existsSync(join(consumer, 'node_modules', 'swagger-ui-dist')),
      bundle: { status: bundle.status, contentType: bundle.headers.get('content-type'), bytes: (await bundle.arrayBuffer()).byteLength },
      openapi: ((await (await get('/openapi.json')).json()) as { openapi?: unknown }).openapi,
    };
    await write(dir, 'served', { ok: true, stdout: out, stderr: '', value });
  } catch (error) {
    await write(dir, 'served', { ...failure(error), stdout: out });
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM'); // the group is gone already
    }
  }
}

/**
 * Runs every step into `dir` (created if missing). Never rejects: failures are step results.
 * @param dir an empty folder the job owns (the tarball, `consumer/` and the step files go there)
 */
export async function runPackageJob(dir: string): Promise<void> {
  await mkdir(consumerOf(dir), { recursive: true });
  let current: StepName = 'packed';
  try {
    await ensureDist();
    const { stdout, stderr } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const packed = (JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    await write(dir, 'packed', { ok: true, stdout, stderr, value: packed });
    current = 'installed';
    await copyConsumerFiles(consumerOf(dir));
    await installConsumer(consumerOf(dir), packed.filename, ['msw', 'express', '@types/express', '@types/node']);
    await write(dir, 'installed', { ok: true, stdout: '', stderr: '' });
  } catch (error) {
    const failed = failure(error);
    const index = STEPS.indexOf(current);
    await write(dir, current, failed);
    for (const later of STEPS.slice(index + 1)) await write(dir, later, { ...failed, error: `${current} failed: ${failed.error}` });
    return;
  }
  // Independent of each other: all at once, so they finish as early as the cores allow.
  await Promise.all([
    typeChecks(dir),
    tool(dir, 'vitest-dom', [bin('vitest/vitest.mjs'), 'run', '.spec.mjs', '--root', consumerOf(dir), '--globals', '--reporter', 'verbose'], {
      ...process.env,
      CI: 'true',
      NO_COLOR: '1',
    }),
    existsSync(JEST)
      ? tool(dir, 'jest', [JEST, '--config', 'jest/jest.config.cjs', '--rootDir', consumerOf(dir), '--ci'], { ...process.env, NO_COLOR: '1' })
      : write(dir, 'jest', { ok: false, error: `no Jest at ${JEST}`, stdout: '', stderr: '' }),
    tool(dir, 'esm', ['esm.mjs']),
    tool(dir, 'cjs', ['cjs.cjs']),
    served(dir),
  ]);
}

/**
 * Waits for a step's result file in `dir`.
 * @throws Error when it does not appear within `timeoutMs`
 */
export async function stepResult(dir: string, name: StepName, timeoutMs = 240_000): Promise<StepResult> {
  const file = join(dir, `${name}.json`);
  for (const deadline = performance.now() + timeoutMs; performance.now() < deadline; ) {
    if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as StepResult;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the package job wrote no ${name} result in ${dir} within ${timeoutMs / 1000} s`);
}

/** A step's result, or an Error saying why it failed, with its output. */
export async function stepOutput(dir: string, name: StepName): Promise<{ stdout: string; stderr: string; value?: unknown }> {
  const result = await stepResult(dir, name);
  if (!result.ok) throw new Error(`${name}: ${result.error}\n${result.stdout}\n${result.stderr}`);
  return result;
}
