/**
 * The API reference page in a real browser (Debian's Chromium via playwright-core; skipped, saying
 * why, without it): `/__sandbox/docs` on the express host renders every operation from files the
 * sandbox serves itself (no request leaves its origin: no CDN, no validator badge), and "Try it"
 * calls the sandbox (an anonymous `GET /api/auth/me` answers 401).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { apiRoutes } from '../src/routes.ts';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

let server: Server | undefined;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  server = createServer(createApp(createSandbox({ now: '2026-11-01T12:00:00.000Z', admin: { token: 'page-needs-none' } })));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe.skipIf(!HAVE_CHROMIUM)(`the API reference page in Chromium (${HAVE_CHROMIUM ? CHROMIUM : `no browser at ${CHROMIUM}`})`, () => {
  it('renders every operation offline and runs "Try it" against the sandbox', async () => {
    const page = await browser!.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => void (request.url().startsWith(origin) || elsewhere.push(request.url())));
    await page.goto(`${origin}/__sandbox/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBe(apiRoutes.length);
    const me = page.locator('#operations-Auth-getApiAuthMe');
    await me.locator('.opblock-summary').click();
    await me.locator('button.execute').click();
    const status = me.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.innerText()).trim()).toBe('401');
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 60_000);
});
