/**
 * Cookie login in a real browser from a dev server on another localhost port (README "Cookie login
 * from your dev server"): a page on http://localhost:<A> logs in to the sandbox (node host, the
 * CLI's) on http://localhost:<B> with `credentials: 'include'`, and Chromium sends the session
 * cookie back to `/api/auth/me`. The same page calling the API as 127.0.0.1 (cross-site) gets the
 * 401 whose message says why. Debian's Chromium via playwright-core; skipped, saying why, without it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { createRequestListener } from 'nodeloom-sandbox/express';
import { CHROMIUM, HAVE_CHROMIUM, openBrowser } from './setup/chromium.ts';

const servers: Server[] = [];
let browser: Browser | undefined;
let api = 0;
let page = 0;
const warnings: string[] = [];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  const listener = createRequestListener(createSandbox({ now: '2026-11-01T12:00:00.000Z', onWarning: (message) => warnings.push(message) }));
  api = await listen(createServer((req, res) => void listener(req, res)));
  page = await listen(createServer((_req, res) => res.end('<!doctype html><title>dev server</title>')));
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

/** Logs in from the page, then reads /api/auth/me, both against `apiBase` with credentials. */
async function loginFromPage(apiBase: string) {
  const tab = await browser!.newPage();
  try {
    await tab.goto(`http://localhost:${page}/`);
    return await tab.evaluate(async (base) => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
      });
      const me = await fetch(`${base}/api/auth/me`, { credentials: 'include' });
      return { login: login.status, me: me.status, body: (await me.json()) as { email?: string; message?: string } };
    }, apiBase);
  } finally {
    await tab.close();
  }
}

describe.skipIf(!HAVE_CHROMIUM)(`cookie login in Chromium (${HAVE_CHROMIUM ? CHROMIUM : 'skipped: no Chromium at /usr/bin/chromium; apt-get install chromium'})`, () => {
  it('keeps the session from a page on another localhost port', async () => {
    const result = await loginFromPage(`http://localhost:${api}`);
    expect(result).toMatchObject({ login: 200, me: 200, body: { email: 'admin@acme.test' } });
  }, 60_000);

  it('explains the 401 when the page calls the API as 127.0.0.1, a different site', async () => {
    const result = await loginFromPage(`http://127.0.0.1:${api}`);
    expect(result.login).toBe(200);
    expect(result.me).toBe(401);
    expect(result.body.message).toContain(`A login from http://localhost:${page} to http://127.0.0.1:${api} set its session cookie cross-site`);
    expect(warnings.some((w) => w.includes(`Call the API on the page's host (http://localhost:${api} instead of http://127.0.0.1:${api})`))).toBe(true);
  }, 60_000);
});
