/**
 * Streaming chat in a real browser (Debian Chromium via playwright-core):
 * 1. msw `setupWorker`: the page (test/browser/, the core behind the service worker) reads a
 *    streamed reply incrementally, event by event;
 * 2. `/widget.js`: a customer page served from another local port embeds the widget from the
 *    express host with a script tag; the bubble opens a conversation and renders the streamed reply.
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH): `apt-get install chromium`. Without it the suite is
 * skipped, saying why. Never downloads a browser.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { bundleQuery } from '../build/bundle-query.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from '../fixtures/identities.ts';
import { createApp } from '../src/hosts/express.ts';
import { createSandbox } from '../src/sandbox.ts';
import type { HarnessGlobal, StreamResult } from './browser/app.ts';
import { eventTimes } from './chat-helpers.ts';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

const PAGE_DIR = fileURLToPath(new URL('./browser/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
const title = HAVE_CHROMIUM
  ? 'streaming chat in Chromium'
  : `streaming chat in Chromium — SKIPPED: ${CHROMIUM} not found (apt-get install chromium, as .ci/run does; or set CHROMIUM_PATH)`;
if (!HAVE_CHROMIUM) console.warn(`test/browser-chat.test.ts: ${title}`);

/** Serves files from `dir` (or `pages` by path) on 127.0.0.1:0; resolves to the origin. */
async function serveStatic(servers: Server[], dir: string | null, pages: Record<string, string> = {}): Promise<string> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    res.setHeader('cache-control', 'no-store');
    if (pages[pathname] !== undefined) {
      res.setHeader('content-type', TYPES['.html']!);
      res.end(pages[pathname]);
      return;
    }
    const file = dir && normalize(join(dir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (!file || !file.startsWith(dir + sep)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
        res.end(body);
      },
      () => {
        res.statusCode = 404;
        res.end('not found');
      },
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  const servers: Server[] = [];
  let browser: Browser;
  let outDir = '';

  beforeAll(async () => {
    browser = await openBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('msw setupWorker: the page reads a streamed reply incrementally', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'nodeloom-sandbox-chat-browser-'));
    await build({ root: PAGE_DIR, configFile: false, plugins: [bundleQuery()], envDir: false, publicDir: false, logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false, chunkSizeWarningLimit: 100_000 } });
    await copyFile(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), join(outDir, 'mockServiceWorker.js'));
    const origin = await serveStatic(servers, outDir);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(() => (globalThis as HarnessGlobal).__sandboxHarness.ready);
    const headers = { Authorization: 'Bearer sdk_sandbox_operator', 'Content-Type': 'application/json' };
    const workflows = await page.evaluate(([h]) => (globalThis as HarnessGlobal).__sandboxHarness.call('/api/workflows?size=100', { headers: h }), [headers] as const);
    // Find an AI-agent workflow through the API, as a frontend would.
    let workflowId = '';
    for (const { id } of JSON.parse(workflows.text).content as Array<{ id: string }>) {
      const detail = await page.evaluate(([path, h]) => (globalThis as HarnessGlobal).__sandboxHarness.call(path, { headers: h }), [`/api/workflows/${id}`, headers] as const);
      if (JSON.parse(detail.text).nodes.some((n: { type: string }) => n.type === 'AI_AGENT')) {
        workflowId = id;
        break;
      }
    }
    expect(workflowId).not.toBe('');
    const created = await page.evaluate(
      ([h, body]) => (globalThis as HarnessGlobal).__sandboxHarness.call('/api/agent-chat/sessions', { method: 'POST', headers: h, body }),
      [headers, JSON.stringify({ workflowId, teamId: ACME_TEAM_ID })] as const,
    );
    expect(created.status, created.text).toBe(201);
    const { id } = JSON.parse(created.text);
    const result: StreamResult = await page.evaluate(
      ([path, h, body]) => (globalThis as HarnessGlobal).__sandboxHarness.stream(path, { method: 'POST', headers: h, body }),
      [`/api/agent-chat/sessions/${id}/messages`, { ...headers, 'X-Sandbox-Scenario': 'chat-slow' }, JSON.stringify({ content: '/echo one two three four five' })] as const,
    );
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('text/event-stream');
    expect(result.headers['x-sandbox-scenario-applied']).toBe('chat-slow/agent-chat (stream-pace 80-250ms)');
    const times = eventTimes(result.chunks);
    expect(times.map(([name]) => name)).toEqual(['token', 'token', 'token', 'token', 'token', 'done']);
    expect(result.chunks.length).toBeGreaterThanOrEqual(5);
    // chat-slow waits 80-250 ms before each token: the first token reached the page long before the last.
    expect(result.headersAt).toBeLessThan(times[0]![1]);
    expect(times[4]![1] - times[0]![1]).toBeGreaterThanOrEqual(4 * 80 - 30);
    expect(result.chunks.map((c) => c.text).join('')).toContain('"content":" five"');
  }, 60_000);

  it('/widget.js on a page from another port: the bubble opens a conversation and renders the streamed reply as text', async () => {
    const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z', chat: { tokenDelayMs: 25 } });
    await sandbox.ready;
    const api = createApp(sandbox).listen(0, '127.0.0.1');
    servers.push(api);
    await new Promise((resolve) => api.once('listening', resolve));
    const sandboxOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const embed = (token: string) => `<!doctype html><html><head><link rel="icon" href="data:,"><title>Customer site</title></head><body><h1>Acme Robotics help</h1><script src="${sandboxOrigin}/widget.js" data-token="${token}"></script></body></html>`;
    const site = await serveStatic(servers, null, { '/': embed('wgt_sandbox_acme_help'), '/store': embed('wgt_sandbox_acme_store') });
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
