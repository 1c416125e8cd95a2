/**
 * The packaging test: `npm pack`, then the tarball installed into a temporary consumer project
 * (offline, from the npm cache, see test/package-consumer.ts) and used the ways users use it: plain
 * Node ESM and CommonJS, the `nodeloom-sandbox` command, the consumer's type check with NodeNext
 * and with Bundler resolution (tsc's programs, test/setup/consumer-types.mjs), a vitest test under
 * jsdom and happy-dom, and a Jest 30 test with the README's recipe. The consumer's own files are in
 * test/package-consumer/. The pack, the install and the type check, vitest and Jest runs are
 * test/setup/package-job.ts, started before this file runs; so are the scripts and the served
 * command, whose output and answers the job records (they ran at the suite's end, ~4 s of its wall
 * time, when this file waited for them).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumerOf, JEST, runPackageJob, stepOutput, stepResult, type ServedAnswers } from './setup/package-job.ts';

// The job (test/setup/package-job.ts) starts with the suite (test/setup/global.ts), so its ~40 s
// of child processes overlap the other files; without that setup, this file starts it itself.
let job = inject('packageJobDir') ?? '';
let ownJob: Promise<void> | undefined;
let consumer = '';
let packed: { filename: string; files: Array<{ path: string }> };

beforeAll(async () => {
  if (!job) {
    job = await mkdtemp(join(tmpdir(), 'nodeloom-sandbox-package-'));
    ownJob = runPackageJob(job);
  }
  consumer = consumerOf(job);
  packed = (await stepOutput(job, 'packed')).value as typeof packed;
  await stepOutput(job, 'installed');
}, 240_000);
afterAll(async () => {
  if (!ownJob) return; // the global setup removes its own job's folder
  await ownJob;
  await rm(job, { recursive: true, force: true });
}, 240_000);

// Generous limits: each step takes a second or two alone, but this 2-core machine is often shared.
const SLOW = 240_000;

describe('the packed package', () => {
  it('ships dist, bin, the scenarios catalogue, README, LICENSE and package.json only', () => {
    const tops = new Set(packed.files.map((file) => file.path.split('/')[0]));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json', 'scenarios']);
    const paths = packed.files.map((file) => file.path);
    for (const file of ['dist/index.js', 'dist/cjs/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/msw.js', 'dist/cjs/express.cjs', 'dist/client.d.ts', 'dist/cli.mjs', 'scenarios/slow.ts']) {
      expect(paths).toContain(file);
    }
    expect(paths.some((path) => path.endsWith('.js.map'))).toBe(true);
  });

  it("bounds no type parameter of its declarations by a classic zod schema class, which consumers' type checks pay for", async () => {
    // `Table<S extends z.ZodType<{ id: string }>>` made every consumer with skipLibCheck off (and
    // every editor) check the 15 record schemas against zod's classic class type: ~1 s per program
    // (test/setup/consumer-types.mjs, both programs 12.2 -> 7.5 s of CPU once bound by z.core.$ZodType).
    const dist = join(consumer, 'node_modules', 'nodeloom-sandbox', 'dist');
    const declarations = (await readdir(dist)).filter((file) => /\.d\.c?ts$/.test(file));
    expect(declarations.length).toBeGreaterThan(4);
    for (const file of declarations) {
      const text = await readFile(join(dist, file), 'utf8');
      expect(text.match(/\b\w+ extends (?:z|_\$zod\w*)\.Zod[A-Z]\w*/g) ?? [], file).toEqual([]);
    }
  });

  it('installs only its runtime dependencies: express, msw and tsx are optional peers', () => {
    for (const tool of ['tsx', 'jose', 'csv-stringify', 'typescript', 'vitest']) expect(existsSync(join(consumer, 'node_modules', tool)), tool).toBe(false);
    for (const runtime of ['zod', 'rou3', '@faker-js/faker']) expect(existsSync(join(consumer, 'node_modules', runtime)), runtime).toBe(true);
  });

  it('runs from a plain Node ESM script', async () => {
    const { stdout } = await stepOutput(job, 'esm');
    expect(JSON.parse(stdout)).toEqual({ status: 200, size: 2 });
  }, SLOW);

  it('runs from a CommonJS require script, every entry included', async () => {
    const { stdout } = await stepOutput(job, 'cjs');
    expect(JSON.parse(stdout)).toEqual({ status: 200, size: 3, kinds: ['function', 'function', 'function', 'function'] });
  }, SLOW);

  it('serves with npx nodeloom-sandbox --port 0', async () => {
    const served = (await stepOutput(job, 'served')).value as ServedAnswers;
    expect(served.me.status).toBe(200);
    expect(served.me.body).toMatchObject({ email: 'admin@acme.test' });
    // The API reference: the document, and Swagger UI's files copied into the package (no swagger-ui-dist installed).
    expect(served.swaggerUiDistInstalled).toBe(false);
    expect([served.bundle.status, served.bundle.contentType]).toEqual([200, 'application/javascript; charset=utf-8']);
    expect(served.bundle.bytes).toBeGreaterThan(100_000);
    expect(served.openapi).toBe('3.1.0');
  }, SLOW);

  it.each(['nodenext', 'bundler'] as const)('type-checks in a consumer: its files and the package declarations clean under strict, skipLibCheck off (%s resolution)', async (kind) => {
    const result = await stepResult(job, `tsc-${kind}`);
    expect(result.ok ? result.stdout : `type check failed:\n${result.stdout || result.error}`).toBe('');
  }, SLOW);

  it('passes the consumer vitest tests under jsdom and happy-dom (msw handlers: cookie or token login, me, a page, headers kept, the page origin)', async () => {
    const { stdout } = await stepOutput(job, 'vitest-dom');
    for (const environment of ['jsdom', 'happy-dom']) {
      for (const name of [
        'runs in a DOM environment with a page origin',
        'logs in, reads me with the session cookie and lists workflows',
        'keeps the headers of answers, through sandbox.fetch and msw, HEAD included',
        "answers NodeLoom paths on the page's own origin",
      ]) {
        expect(stdout).toContain(`msw handlers under ${environment} > ${name}`);
      }
    }
    expect(stdout).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(stdout).toMatch(/Tests\s+8 passed \(8\)/);
  }, SLOW);

  it.skipIf(!existsSync(JEST))('passes a consumer Jest 30 test with the README recipe', async () => {
    const { stdout, stderr } = await stepOutput(job, 'jest');
    expect(`${stdout}${stderr}`).toMatch(/Tests:\s+2 passed, 2 total/);
  }, SLOW);
});
