/**
 * The control page is served by the core (`GET /__sandbox/`, src/admin/control-page.ts): HTML
 * with its script inline and nothing loaded from elsewhere, through the msw host too, without the
 * admin token (it asks for it), and absent with `admin: false`. Its behaviour in a browser is in
 * test/control-page-browser.test.ts.
 */
import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHandlers } from 'nodeloom-sandbox/msw';
import { newestAnswer } from '../src/admin/control-page/newest-answer.ts';
import { call, testSandbox } from './helpers.ts';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the control page', () => {
  it('serves one HTML document with its script and styles inline at GET /__sandbox/', async () => {
    const page = await call(testSandbox(), 'GET', '/__sandbox/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.text).toContain('<title>nodeloom-sandbox control page</title>');
    expect(page.text).toMatch(/<script>\(function\(\)\{[\s\S]{10000,}<\/script>/);
    // The bundle's own text, not a reference to it: the page loads no file of its own.
    expect(page.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(page.text).not.toMatch(/\bimport\(|\bfrom"|\bimportScripts\(/);
  });

  it('names no external URL but the XML namespaces Preact sets on SVG and MathML elements', async () => {
    const page = await call(testSandbox(), 'GET', '/__sandbox/');
    const urls = new Set(page.text.match(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)<]*/gi) ?? []);
    expect([...urls].filter((url) => !url.startsWith('http://www.w3.org/'))).toEqual([]);
  });

  it('keeps the JSON index at GET /__sandbox and serves the page there to browsers only', async () => {
    const sandbox = testSandbox();
    const plain = await call(sandbox, 'GET', '/__sandbox');
    expect(plain.headers.get('content-type')).toContain('application/json');
    expect(plain.json.description).toContain('/__sandbox/');
    const asJson = await call(sandbox, 'GET', '/__sandbox', { headers: { accept: 'application/json' } });
    expect(asJson.json.endpoints.length).toBeGreaterThan(10);
    const browser = await call(sandbox, 'GET', '/__sandbox', { headers: { accept: BROWSER_ACCEPT } });
    expect(browser.status).toBe(200);
    expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const head = await call(sandbox, 'HEAD', '/__sandbox/');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('is served without the admin token, while the calls it makes still need it', async () => {
    const sandbox = testSandbox({ admin: { token: 's3cret' } });
    const page = await call(sandbox, 'GET', '/__sandbox/');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('s3cret');
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).status).toBe(401);
    expect((await call(sandbox, 'GET', '/__sandbox/clock', { headers: { 'x-sandbox-admin-token': 's3cret' } })).status).toBe(200);
  });

  it('is absent, a 404 like every control route, with admin: false (--no-admin)', async () => {
    const sandbox = testSandbox({ admin: false });
    for (const [path, accept] of [['/__sandbox/', BROWSER_ACCEPT], ['/__sandbox', BROWSER_ACCEPT]] as const) {
      const gone = await call(sandbox, 'GET', path, { headers: { accept } });
      expect(gone.status, path).toBe(404);
      expect(gone.headers.get('content-type')).toContain('application/json');
      expect(gone.json.message).toContain('--no-admin');
    }
  });

  it('is served through the msw handlers as well (no file is read at run time)', async () => {
    const handlers = createHandlers(testSandbox(), { origins: ['http://localhost:4010'] });
    const response = await getResponse(handlers, new Request('http://localhost:4010/__sandbox/', { headers: { accept: BROWSER_ACCEPT } }));
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response?.text()).toContain('<div id="app"></div>');
  });
});

describe("the control page's overlapping reads (newestAnswer)", () => {
  /** A read whose answers the test hands out, in any order. */
  function heldReads() {
    const pending: Array<(value: string) => void> = [];
    const read = () => new Promise<string>((resolve) => pending.push(resolve));
    return { read, answer: (index: number, value: string) => pending[index]!(value) };
  }

  it('drops an answer that comes after the answer of a read sent later (a poll answered after a reset)', async () => {
    const held = heldReads();
    const guarded = newestAnswer(held.read);
    const poll = guarded(); // sent before the reset
    const afterReset = guarded();
    held.answer(1, 'clock 12:00:30');
    expect(await afterReset).toBe('clock 12:00:30');
    held.answer(0, 'clock 13:00:30');
    expect(await poll).toBeUndefined();
  });

  it('uses every answer that comes in the order sent', async () => {
    const held = heldReads();
    const guarded = newestAnswer(held.read);
    const first = guarded();
    const second = guarded();
    held.answer(0, 'a');
    expect(await first).toBe('a');
    held.answer(1, 'b');
    expect(await second).toBe('b');
  });
});
