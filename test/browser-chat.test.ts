/**
 * The chat widget in a real browser (Debian Chromium via playwright-core): `/widget.js`: a customer
 * page served from another local port embeds the widget from the express host with a script tag;
 * the bubble opens a conversation and renders the streamed reply. (A streamed reply read through
 * msw's `setupWorker` is in test/browser.test.ts, on its page.)
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH): `apt-get install chromium`. Without it the suite is
 * skipped, saying why. Never downloads a browser.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/hosts/express.ts';
import { createSandbox } from '../src/sandbox.ts';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

const title = HAVE_CHROMIUM
  ? 'streaming chat in Chromium'
  : `streaming chat in Chromium — SKIPPED: ${CHROMIUM} not found (apt-get install chromium, as .ci/run does; or set CHROMIUM_PATH)`;
if (!HAVE_CHROMIUM) console.warn(`test/browser-chat.test.ts: ${title}`);

/** Serves `pages` (HTML, by path) on 127.0.0.1:0, 404 for anything else; resolves to the origin. */
async function servePages(servers: Server[], pages: Record<string, string>): Promise<string> {
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    res.setHeader('cache-control', 'no-store');
    if (page === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  const servers: Server[] = [];
  let browser: Browser;

  beforeAll(async () => {
    browser = await openBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('/widget.js on a page from another port: the bubble opens a conversation and renders the streamed reply as text', async () => {
    const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z', chat: { tokenDelayMs: 25 } });
    await sandbox.ready;
    const api = createApp(sandbox).listen(0, '127.0.0.1');
    servers.push(api);
    await new Promise((resolve) => api.once('listening', resolve));
    const sandboxOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const embed = (token: string) => `<!doctype html><html><head><link rel="icon" href="data:,"><title>Customer site</title></head><body><h1>Acme Robotics help</h1><script src="${sandboxOrigin}/widget.js" data-token="${token}"></script></body></html>`;
    const site = await servePages(servers, { '/': embed('wgt_sandbox_acme_help'), '/store': embed('wgt_sandbox_acme_store') });
    expect(new URL(site).port).not.toBe(new URL(sandboxOrigin).port);
    const page: Page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${site}/`);

    const bubble = page.locator('.nl-bubble');
    await bubble.click();
    await expect.poll(() => page.locator('.nl-panel').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
    expect(await page.locator('.nl-title').textContent()).toBe('How can we help?');
    expect(await page.locator('.nl-agent').first().textContent()).toContain('Acme Robotics assistant');

    await page.locator('.nl-input').fill('How do I recalibrate the gripper after the firmware update?');
    await page.locator('.nl-send').click();
    const reply = page.locator('.nl-agent[data-state]');
    // Rendered while streaming: some text is shown before the reply is done.
    const partial: number[] = [];
    await expect
      .poll(async () => {
        const [state, text] = await reply.evaluate((el) => [el.getAttribute('data-state'), el.textContent ?? '']);
        if (state === 'streaming') partial.push(text.length);
        return state;
      }, { timeout: 20_000, interval: 50 })
      .toBe('done');
    expect(partial.some((length) => length > 0)).toBe(true);
    const messageId = await reply.getAttribute('data-message-id');
    const stored = sandbox.state.db.chatMessages.get(messageId!)!;
    expect(stored).toMatchObject({ role: 'assistant', incomplete: false });
    expect(await reply.textContent()).toBe(stored.content);
    expect(partial.some((length) => length < stored.content.length)).toBe(true);
    const session = sandbox.state.db.chatSessions.get(stored.sessionId)!;
    expect(session).toMatchObject({ source: 'WIDGET', widgetId: '00000000-0000-4000-8000-0000000d0001' });

    // Markup in a reply stays text.
    await page.locator('.nl-input').fill('/echo <img src=x onerror="window.pwned=1"> **bold**');
    await page.locator('.nl-send').click();
    await expect.poll(() => page.locator('.nl-agent[data-state="done"]').count()).toBe(2);
    expect(await page.locator('.nl-agent[data-state="done"]').nth(1).textContent()).toBe('<img src=x onerror="window.pwned=1"> **bold**');
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#nodeloom-widget img').count()).toBe(0);
    expect(errors).toEqual([]);

    // A widget whose allowedDomains do not include this site shows no bubble.
    const store = await (await browser.newContext()).newPage();
    const logs: string[] = [];
    store.on('console', (message) => logs.push(message.text()));
    await store.goto(`${site}/store`);
    await expect.poll(() => logs.some((line) => line.includes('[nodeloom widget] cannot load the widget'))).toBe(true);
    expect(await store.locator('.nl-bubble').count()).toBe(0);
  }, 60_000);
});
