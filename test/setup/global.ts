import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM } from './chromium.ts';
import { runPackageJob } from './package-job.ts';
import { USES_CHROMIUM, USES_PACKAGE_JOB } from './sequencer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the package job started at suite start (test/setup/package-job.ts), if any. */
    packageJobDir?: string;
    /** A Chromium server the browser test files connect to (test/setup/chromium.ts), if any. */
    chromiumWsEndpoint?: string;
  }
}


/**
 * vitest's global setup (runs once, in the main process, before any test file). What takes long
 * and is shared starts here, and only when a file of this run needs it:
 * - the package job (`npm pack`, install, the consumer's tsc, vitest and Jest checks: ~40 s of CPU,
 *   all of it in child processes), so it runs beside the workers instead of inside
 *   test/package.test.ts; that file waits for its results, and the sequencer runs it last;
 * - one Chromium (`launchServer`) that every browser test file connects to, each with contexts of
 *   its own, instead of a launch per file (~1 s each, plus the close).
 * Both are gone at teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The files of this run (@experimental state API; a file left out here starts its own).
  const files = project.vitest.state.getPaths();
  let job: { dir: string; done: Promise<void> } | undefined;
  if (files.some((file) => USES_PACKAGE_JOB.test(file))) {
    const dir = await mkdtemp(join(tmpdir(), 'nodeloom-sandbox-package-'));
    job = { dir, done: runPackageJob(dir) };
    project.provide('packageJobDir', dir);
  }
  let server: { close(): Promise<void>; wsEndpoint(): string } | undefined;
  if (HAVE_CHROMIUM && files.some((file) => USES_CHROMIUM.test(file))) {
    const { chromium } = await import('playwright-core');
    server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    project.provide('chromiumWsEndpoint', server.wsEndpoint());
  }
  return async () => {
    await server?.close();
    if (job) {
      await job.done;
      await rm(job.dir, { recursive: true, force: true });
    }
  };
}
