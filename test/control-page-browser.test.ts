/**
 * The control page (`/__sandbox/`, issue 12) in Debian's Chromium via playwright-core, on the
 * express host: switch `rate-limited` on for one SDK token, see that token's call journaled as a
 * 429 marked with the scenario beside another token's 200, move the clock past the window from the
 * page, and see the next call pass. Skipped, saying why, without Chromium.
 * `CONTROL_PAGE_SCREENSHOT=docs/control-page.png npx vitest run test/control-page-browser.test.ts`
 * also saves the README's screenshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

const servers: Server[] = [];
let browser: Browser | undefined;
let base = '';
let protectedBase = '';
/** Folders the downloads were saved to (removed in afterAll). */
const downloads: string[] = [];

/** Serves a sandbox on the express host (port 0) and returns its origin. */
async function serve(options: Parameters<typeof createSandbox>[0]): Promise<string> {
  const app = createApp(createSandbox({ now: '2026-11-01T12:00:30.000Z', ...options }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  base = await serve({});
  protectedBase = await serve({ admin: { token: 'page-s3cret' } });
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all(downloads.map((dir) => rm(dir, { recursive: true, force: true })));
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** An API call as a client app makes it (from the test, not the page). */
async function listWorkflows(token: string): Promise<number> {
  const response = await fetch(`${base}/api/workflows?teamId=${ACME_TEAM_ID}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

const rows = (page: Page, status: number, principal: string) =>
  page.locator(`[data-test="journal-row"][data-status="${status}"]`).filter({ hasText: principal });

describe.skipIf(!HAVE_CHROMIUM)(`the control page in Chromium (${HAVE_CHROMIUM ? CHROMIUM : 'skipped: no Chromium at /usr/bin/chromium; apt-get install chromium'})`, () => {
  it('switches rate-limited on for one token, journals its 429 beside a 200, and lets the next call pass after the clock moves', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
    const failures: string[] = [];
    page.on('requestfailed', (request) => failures.push(request.url()));
    page.on('pageerror', (error) => failures.push(error.message));
    try {
      await page.goto(`${base}/__sandbox/`);
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T12:00:30.000Z');
      await expect.poll(() => page.locator('[data-test="clock-state"]').textContent()).toBe('frozen');

      await page.selectOption('[data-test="scenario-target"]', 'sdk_sandbox_viewer');
      await page.click('[data-test="scenario-rate-limited"]');
      await expect.poll(() => page.locator('[data-test="scenario-rate-limited"]').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.locator('[data-test="scenario-active"]').textContent()).toContain('sdk_sandbox_viewer: rate-limited');

      expect(await listWorkflows('sdk_sandbox_viewer')).toBe(429);
      expect(await listWorkflows('sdk_sandbox_builder')).toBe(200);
      const limited = rows(page, 429, 'token:sandbox-viewer');
      await expect.poll(() => limited.count()).toBe(1);
      expect(await limited.textContent()).toContain('scenario rate-limited');
      await expect.poll(() => rows(page, 200, 'token:sandbox-builder').count()).toBe(1);
      expect(await rows(page, 200, 'token:sandbox-builder').textContent()).not.toContain('scenario');

      // A row opens to its headers and bodies.
      await limited.locator('tr.summary').click();
      await expect.poll(() => limited.locator('tr.detail').textContent()).toContain('retry-after');

      await page.fill('input[name="step"]', '31s');
      await page.click('[data-test="clock-advance"]');
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T12:01:01.000Z');
      expect(await listWorkflows('sdk_sandbox_viewer')).toBe(200);
      await expect.poll(() => rows(page, 200, 'token:sandbox-viewer').count()).toBe(1);

      if (process.env.CONTROL_PAGE_SCREENSHOT) await page.screenshot({ path: process.env.CONTROL_PAGE_SCREENSHOT, fullPage: true });
      expect(failures).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('asks for the --admin-token once and keeps it for the tab (sessionStorage)', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${protectedBase}/__sandbox/`);
      await page.fill('[data-test="token-form"] input[name="token"]', 'wrong');
      await page.click('[data-test="token-form"] button');
      await expect.poll(() => page.locator('[data-test="token-form"]').textContent()).toContain('That token was refused');
      await page.fill('[data-test="token-form"] input[name="token"]', 'page-s3cret');
      await page.click('[data-test="token-form"] button');
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T12:00:30.000Z');
      expect(await page.evaluate(() => sessionStorage.getItem('nodeloom-sandbox.admin-token'))).toBe('page-s3cret');
      await page.reload();
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T12:00:30.000Z');
      expect(await page.locator('[data-test="token-form"]').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('opens another namespace, downloads its snapshot, resets it, restores the snapshot from a file, and deletes it', async () => {
    const page = await browser!.newPage();
    const clockOf = async (namespace: string) =>
      ((await (await fetch(`${base}/__sandbox/clock`, { headers: { 'x-sandbox-namespace': namespace } })).json()) as { now: string }).now;
    try {
      await page.goto(`${base}/__sandbox/`);
      await page.fill('input[placeholder="other namespace"]', 'page-ns');
      await page.click('text=Open');
      await expect.poll(() => page.locator('[data-test="namespace"]').inputValue()).toBe('page-ns');
      await page.fill('input[name="step"]', '1h');
      await page.click('[data-test="clock-advance"]');
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T13:00:30.000Z');
      expect(await clockOf('page-ns')).toBe('2026-11-01T13:00:30.000Z');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download snapshot')]);
      expect(download.suggestedFilename()).toBe('nodeloom-sandbox-page-ns-snapshot.json');
      // saveAs: a browser connected over the wire (the suite's shared one) has no local path().
      const file = join(await mkdtemp(join(tmpdir(), 'nodeloom-sandbox-download-')), download.suggestedFilename());
      await download.saveAs(file);
      downloads.push(dirname(file));

      await page.click('[data-test="reset"]');
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T12:00:30.000Z');
      await page.setInputFiles('input[type="file"]', file);
      // The restore's message, not the clock: a poll answered late could show 13:00:30 from before the reset.
      await expect.poll(() => page.locator('[data-test="message"]').textContent()).toBe(`Snapshot ${download.suggestedFilename()} restored into page-ns`);
      await expect.poll(() => page.locator('[data-test="clock-now"]').textContent()).toBe('2026-11-01T13:00:30.000Z');
      expect(await clockOf('page-ns')).toBe('2026-11-01T13:00:30.000Z');

      await page.click('text=Delete');
      // The select switches before the DELETE is sent; the message comes once it is answered.
      await expect.poll(() => page.locator('[data-test="message"]').textContent()).toBe('page-ns deleted');
      expect(await page.locator('[data-test="namespace"]').inputValue()).toBe('default');
      // A poll period later, no call naming it has brought it back.
      await page.waitForTimeout(1_200);
      const { namespaces } = (await (await fetch(`${base}/__sandbox/namespaces`)).json()) as { namespaces: string[] };
      expect(namespaces).not.toContain('page-ns');
    } finally {
      await page.close();
    }
  }, 60_000);
});
