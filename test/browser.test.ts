/**
 * The msw browser host in a real browser: test/browser/ (the core + `createHandlers` behind msw's
 * `setupWorker`) is bundled with rolldown, served from a tiny static server on loopback, and driven in
 * Debian's Chromium with playwright-core. Every request below is a real page `fetch` that msw's
 * service worker intercepts and hands to the sandbox running in the page, a streamed chat reply
 * included (read event by event as it arrives).
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH): `apt-get install chromium`, as .ci/run does. Without
 * it the suite is skipped, saying why. Never downloads a browser.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'rolldown';
import { bundleQuery } from '../build/bundle-query.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from '../fixtures/identities.ts';
import { createSandbox } from '../src/sandbox.ts';
import type { CallResult, HarnessGlobal, StreamResult } from './browser/app.ts';
import { eventTimes } from './chat-helpers.ts';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

const PAGE_DIR = fileURLToPath(new URL('./browser/', import.meta.url));
const ADMIN = { Authorization: 'Bearer sdk_sandbox_admin' };
const NOW = '2026-11-01T12:00:00.000Z';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

let outDir = '';
let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;
let page: Page;
/** `METHOD /path` of every request that reached the static server (i.e. was not intercepted). */
const served: string[] = [];
/** Console errors and uncaught page errors. */
const pageErrors: string[] = [];
/** URLs the tests expect an error status from: Chromium logs "Failed to load resource" for them. */
const expectedFailures = new Set<string>();

/**
 * Bundles test/browser/app.ts for the browser with rolldown (the bundler under vite 8 and tsdown;
 * vite's own build added ~0.5 s of CPU for an HTML entry this page does not need) into a temp
 * dir, beside index.html pointing at the bundle and msw's worker script.
 */
async function buildPage(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nodeloom-sandbox-browser-'));
  await build({
    input: join(PAGE_DIR, 'app.ts'),
    platform: 'browser',
    plugins: [bundleQuery()], // the control page's `?bundle` import, as in vitest.config.ts
    logLevel: 'warn',
    // What vite's production build defines: msw and the sandbox read it.
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    output: { dir, format: 'esm', entryFileNames: 'app.js', sourcemap: false },
  });
  const html = await readFile(join(PAGE_DIR, 'index.html'), 'utf8');
  if (!html.includes('src="./app.ts"')) throw new Error('test/browser/index.html no longer loads src="./app.ts": update buildPage()');
  await writeFile(join(dir, 'index.html'), html.replace('src="./app.ts"', 'src="./app.js"'));
  await copyFile(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), join(dir, 'mockServiceWorker.js'));
  return dir;
}

/** Serves `dir` on 127.0.0.1:0, plus `/real/ping` (JSON) to show bypassed requests reach the network. */
async function serve(dir: string): Promise<string> {
  server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    served.push(`${req.method} ${pathname}`);
    res.setHeader('cache-control', 'no-store');
    if (pathname === '/real/ping') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ real: true }));
      return;
    }
    const file = normalize(join(dir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (!file.startsWith(dir + sep)) {
      res.statusCode = 403;
      res.end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
        res.end(body);
      },
      () => {
        res.statusCode = 404;
        res.setHeader('content-type', 'text/plain');
        res.end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sandbox calls made by the tests after the first nine (msw must have answered every one). */
let moreSandboxCalls = 0;

/** A `fetch` made by the page (so the service worker sees it). */
function call(input: string, init?: RequestInit): Promise<CallResult> {
  return page.evaluate(([i, o]) => (globalThis as HarnessGlobal).__sandboxHarness.call(i, o), [input, init] as const);
}

const title = HAVE_CHROMIUM
  ? 'msw setupWorker host in Chromium'
  : `msw setupWorker host in Chromium — SKIPPED: ${CHROMIUM} not found (apt-get install chromium, as .ci/run does; or set CHROMIUM_PATH)`;

if (!HAVE_CHROMIUM) console.warn(`test/browser.test.ts: ${title}`);

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  beforeAll(async () => {
    outDir = await buildPage();
    origin = await serve(outDir);
    browser = await openBrowser();
    const context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url } = message.location();
      if (message.text().startsWith('Failed to load resource') && expectedFailures.has(url)) return;
      pageErrors.push(`console.error: ${message.text()} (${url})`);
    });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.stack ?? error.message}`));
    await page.goto(`${origin}/`);
    await page.evaluate(() => (globalThis as HarnessGlobal).__sandboxHarness.ready);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('starts the worker, which controls the page', async () => {
    expect(await page.locator('#status').textContent()).toBe('ready');
    expect(await page.evaluate(() => (globalThis as HarnessGlobal).__sandboxHarness.controlled())).toBe(true);
    expect(served).toContain('GET /mockServiceWorker.js');
  });

  it('answers a relative /api call with a page and the rate-limit headers', async () => {
    const response = await call('/api/workflows?size=2', { headers: ADMIN });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-ratelimit-limit']).toBe('1000');
    expect(response.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    expect(response.headers['x-ratelimit-reset']).toMatch(/^\d+$/);
    const page = JSON.parse(response.text);
    expect(page).toMatchObject({ number: 0, size: 2 });
    expect(page.content).toHaveLength(2);
  });

  it('answers an absolute https://api.nodeloom.io call with the user', async () => {
    const response = await call('https://api.nodeloom.io/api/auth/me', { headers: ADMIN });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ email: 'admin@acme.test' });
    // A service worker's own Response reaches the page as `basic`: every header is readable cross-origin.
    expect(response.type).toBe('basic');
    expect(response.headers['x-ratelimit-limit']).toBe('1000');
  });

  it('lets the core read a request body: POST /api/workflows', async () => {
    const response = await call('/api/workflows', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From the browser', teamId: ACME_TEAM_ID }),
    });
    expect(response.status, response.text).toBe(201);
    expect(JSON.parse(response.text)).toMatchObject({ name: 'From the browser', teamId: ACME_TEAM_ID, active: false });
  });

  it('exports CSV (csv-stringify in the browser), byte for byte as the core does in Node', async () => {
    const path = `/api/executions/team/${ACME_TEAM_ID}/export?format=csv&status=FAILED`;
    const response = await call(path, { headers: ADMIN });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe('id,workflowId,workflowName,status,triggerType,startedAt,finishedAt,durationMs,errorMessage');
    expect(lines.length).toBeGreaterThan(2);
    const inNode = await createSandbox({ now: NOW }).fetch(new Request(`http://localhost${path}`, { headers: ADMIN }));
    expect(response.text).toBe(await inNode.text());
  });

  it('checks guardrails in the browser: validator.js, ajv and re2js loaded on first use', async () => {
    const response = await call('/api/guardrails/check', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '{"mail":"alice@example.com"} ACME-12345', redactPii: true, validateSchema: true, jsonSchema: { type: 'object' }, applyCustomRules: true }),
    });
    expect(response.status, response.text).toBe(200);
    const body = JSON.parse(response.text);
    expect(body.violations.map((v: { details: { rule: string } }) => v.details.rule)).toEqual(['pii.email', 'schema.invalid_json', expect.stringMatching(/^custom\./)]);
    expect(body.redactedContent).toBe('{"mail":"[REDACTED_EMAIL]"} ACME-12345');
  });

  it('answers an unknown route with the Spring 404 body', async () => {
    expectedFailures.add(`${origin}/api/does-not-exist`);
    const response = await call('/api/does-not-exist', { headers: ADMIN });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.text)).toMatchObject({ status: 404, error: 'Not Found', path: '/api/does-not-exist' });
  });

  it('applies a scenario picked with X-Sandbox-Scenario', async () => {
    expectedFailures.add(`${origin}/api/auth/me`);
    const response = await call('/api/auth/me', { headers: { ...ADMIN, 'X-Sandbox-Scenario': 'server-error' } });
    expect(response.status).toBe(500);
    expect(response.headers['x-sandbox-scenario-applied']).toContain('server-error');
    expect(JSON.parse(response.text)).toMatchObject({ status: 500, error: 'Internal Server Error', path: '/api/auth/me' });
  });

  it('answers the control plane: GET /__sandbox/clock', async () => {
    const response = await call('/__sandbox/clock');
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ now: NOW, epochMs: Date.parse(NOW), frozen: true });
  });

  it('serves the control page through the worker: GET /__sandbox/ (a fetch; msw lets navigations through)', async () => {
    const response = await call('/__sandbox/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<div id="app"></div>');
  });

  it('lets requests outside the sandbox paths through to the network', async () => {
    const before = served.length;
    const index = await call('/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<p id="status">');
    const ping = await call('/real/ping');
    expect(ping.status).toBe(200);
    expect(JSON.parse(ping.text)).toEqual({ real: true });
    expect(served.slice(before)).toEqual(['GET /', 'GET /real/ping']);
    const bypassed = await page.evaluate(() => (globalThis as HarnessGlobal).__sandboxHarness.bypassed);
    expect(bypassed).toEqual(expect.arrayContaining([`${origin}/`, `${origin}/real/ping`]));
  });

  it('streams a chat reply that the page reads incrementally, event by event', async () => {
    const headers = { Authorization: 'Bearer sdk_sandbox_operator', 'Content-Type': 'application/json' };
    const workflows = await call('/api/workflows?size=100', { headers });
    moreSandboxCalls += 1;
    // Find an AI-agent workflow through the API, as a frontend would.
    let workflowId = '';
    for (const { id } of JSON.parse(workflows.text).content as Array<{ id: string }>) {
      const detail = await call(`/api/workflows/${id}`, { headers });
      moreSandboxCalls += 1;
      if (JSON.parse(detail.text).nodes.some((n: { type: string }) => n.type === 'AI_AGENT')) {
        workflowId = id;
        break;
      }
    }
    expect(workflowId).not.toBe('');
    const created = await call('/api/agent-chat/sessions', { method: 'POST', headers, body: JSON.stringify({ workflowId, teamId: ACME_TEAM_ID }) });
    moreSandboxCalls += 1;
    expect(created.status, created.text).toBe(201);
    const { id } = JSON.parse(created.text);
    const result: StreamResult = await page.evaluate(
      ([path, h, body]) => (globalThis as HarnessGlobal).__sandboxHarness.stream(path, { method: 'POST', headers: h, body }),
      [`/api/agent-chat/sessions/${id}/messages`, { ...headers, 'X-Sandbox-Scenario': 'chat-slow' }, JSON.stringify({ content: '/echo one two three four five' })] as const,
    );
    moreSandboxCalls += 1;
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
  });

  it('never sent a sandbox request to the network, and the page logged no errors', async () => {
    expect(served.filter((line) => / \/(api|__sandbox|actuator)(\/|$)/.test(line))).toEqual([]);
    const harness = await page.evaluate(() => {
      const { mocked, exceptions } = (globalThis as HarnessGlobal).__sandboxHarness;
      return { mocked, exceptions };
    });
    expect(harness.exceptions).toEqual([]);
    expect(harness.mocked).toHaveLength(9 + moreSandboxCalls);
    expect(pageErrors).toEqual([]);
  });
});
