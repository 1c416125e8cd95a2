/**
 * Runs the README's Playwright fixture (test/playwright/) with @playwright/test against a sandbox
 * served here (the CLI's node host), two workers in parallel, each in its own namespace. Debian's
 * Chromium; skipped, saying why, without it. The fixture imports `nodeloom-sandbox/client`, which
 * resolves to the built package (dist/), so it is built first when stale.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { createRequestListener } from 'nodeloom-sandbox/express';
import { CHROMIUM, HAVE_CHROMIUM } from './setup/chromium.ts';
import { ensureDist, ROOT } from './setup/dist.ts';

let server: Server | undefined;
let url = '';

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  await ensureDist();
  const listener = createRequestListener(createSandbox({ now: '2026-11-01T12:00:00.000Z' }));
  server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

describe.skipIf(!HAVE_CHROMIUM)(`the README's Playwright fixture (${HAVE_CHROMIUM ? CHROMIUM : 'skipped: no Chromium at /usr/bin/chromium; apt-get install chromium'})`, () => {
  it('gives each of two parallel workers its own namespace', async () => {
    const cli = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'test', '--config', join(ROOT, 'test', 'playwright', 'playwright.config.ts')], {
      cwd: ROOT,
      // PW_WS_ENDPOINT: the suite's Chromium (test/setup/global.ts), so the two workers launch none.
      env: { ...process.env, SANDBOX_URL: url, CHROMIUM_PATH: CHROMIUM, PW_WS_ENDPOINT: inject('chromiumWsEndpoint') ?? '', FORCE_COLOR: '0', CI: 'true' },
      timeout: 170_000,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `playwright failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}` }));
    expect(stdout).toMatch(/2 passed/);
    expect(stdout).toContain('Running 2 tests using 2 workers');
  }, 180_000);
});
