import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { createApp, type FetchSandbox } from 'nodeloom-sandbox/express';
import { originPolicy } from '../src/core/cors.ts';
import { call, TEST_NOW, testSandbox } from './helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      return closed;
    }),
  );
});

/** Listens on a loopback port chosen by the OS and returns the base URL. */
async function listen(app: express.Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A fake sandbox whose fetch answers with `respond` and remembers what it was given. */
function fakeSandbox(respond: (request: Request) => Response | Promise<Response>) {
  const seen: Array<{ request: Request; clientAddress?: string }> = [];
  const sandbox: FetchSandbox = {
    clock: { iso: () => TEST_NOW },
    async fetch(request, meta) {
      seen.push({ request, clientAddress: meta?.clientAddress });
      return respond(request);
    },
  };
  return { sandbox, seen };
}

describe('express host', () => {
  it('answers status, JSON body and rate-limit headers from the core, without ETag or X-Powered-By', async () => {
    const base = await listen(createApp(testSandbox()));
    const response = await fetch(`${base}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: 'admin@acme.test', firstName: 'Ada' });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('999');
    expect(response.headers.get('x-request-id')).toBe('req_000001');
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(response.headers.has('etag')).toBe(false);
    expect(response.headers.has('x-powered-by')).toBe(false);
  });

  it('passes the raw JSON body to the core and returns the session cookie', async () => {
    const base = await listen(createApp(testSandbox()));
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@acme.test', password: 'sandbox' }),
    });
    expect(login.status).toBe(200);
    expect((await login.json()).email).toBe('viewer@acme.test');
    const [cookie] = login.headers.getSetCookie();
    expect(cookie).toMatch(/^access_token=[\w.-]+; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/);
    const me = await fetch(`${base}/api/auth/me`, { headers: { cookie: cookie!.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect((await me.json()).email).toBe('viewer@acme.test');
  });

  it('keeps several Set-Cookie headers separate', async () => {
    const { sandbox } = fakeSandbox(() => {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'access_token=a; Path=/; HttpOnly');
      headers.append('set-cookie', 'refresh_token=b; Path=/api/auth; HttpOnly');
      return new Response('{"ok":true}', { status: 200, headers });
    });
    const response = await fetch(`${await listen(createApp(sandbox))}/api/auth/login`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual(['access_token=a; Path=/; HttpOnly', 'refresh_token=b; Path=/api/auth; HttpOnly']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('streams an event-stream body chunk by chunk as the core produces it', async () => {
    let sendSecond!: () => void;
    const secondAllowed = new Promise<void>((resolve) => (sendSecond = resolve));
    const { sandbox } = fakeSandbox(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode('event: token\ndata: {"content":"Hel"}\n\n'));
              await secondAllowed; // only after the client has seen the first event
              controller.enqueue(new TextEncoder().encode('event: done\ndata: {}\n\n'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const response = await fetch(`${await listen(createApp(sandbox))}/api/agent-chat/sessions/s1/messages`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('event: token\ndata: {"content":"Hel"}\n\n');
    sendSecond();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe('event: done\ndata: {}\n\n');
  });

  it('cancels the response body stream when the client disconnects', async () => {
    let cancelled!: (reason: unknown) => void;
    const cancel = new Promise((resolve) => (cancelled = resolve));
    const { sandbox, seen } = fakeSandbox(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start: (controller) => controller.enqueue(new TextEncoder().encode('data: 1\n\n')),
            cancel: (reason) => cancelled(reason ?? 'cancelled'),
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const client = new AbortController();
    const response = await fetch(`${await listen(createApp(sandbox))}/api/stream`, { signal: client.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    client.abort();
    await expect(cancel).resolves.toBeDefined();
    expect(seen).toHaveLength(1);
  });

  it('serves the API under a prefix of a parent app and lets other paths fall through', async () => {
    const sandbox = testSandbox();
    const parent = express();
    parent.use('/mock', createApp(sandbox));
    parent.use(createApp(testSandbox()));
    parent.get('/hello', (_req, res) => {
      res.json({ from: 'parent' });
    });
    const base = await listen(parent);
    const me = await fetch(`${base}/mock/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(me.status).toBe(200);
    expect((await me.json()).email).toBe('admin@acme.test');
    const missing = await fetch(`${base}/mock/api/nope`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, error: 'Not Found', path: '/api/nope' });
    const hello = await fetch(`${base}/hello`);
    expect(hello.status).toBe(200);
    expect(hello.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await hello.json()).toEqual({ from: 'parent' });
  });

  it('answers a CORS preflight with 204 before authentication and rate limits', async () => {
    const base = await listen(createApp(testSandbox()));
    const response = await fetch(`${base}/api/workflows`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(response.headers.get('vary')).toContain('Origin');
    expect(response.headers.has('x-ratelimit-limit')).toBe(false);
  });

  it('refuses a preflight from an origin outside the allow-list with 403 and a Spring body', async () => {
    const base = await listen(createApp(testSandbox()));
    const response = await fetch(`${base}/api/workflows`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.has('access-control-allow-origin')).toBe(false);
    expect(await response.json()).toMatchObject({ status: 403, error: 'Forbidden', path: '/api/workflows', timestamp: TEST_NOW });
  });

  it('echoes an allowed origin with credentials and exposed headers on a credentialed call', async () => {
    const base = await listen(createApp(testSandbox({ corsOrigins: ['https://app.example.com'] })));
    const allowed = await fetch(`${base}/api/auth/me`, { headers: { origin: 'https://app.example.com', authorization: 'Bearer sdk_sandbox_admin' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-expose-headers')).toBe(
      'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Date, X-Request-Id, Content-Disposition, X-Sandbox-Scenario-Applied',
    );
    expect(allowed.headers.get('vary')).toBe('Origin');
    const local = await fetch(`${base}/api/auth/me`, { headers: { origin: 'http://localhost:5173', authorization: 'Bearer sdk_sandbox_admin' } });
    expect(local.status).toBe(200);
    expect(local.headers.has('access-control-allow-origin')).toBe(false);
    expect(local.headers.get('vary')).toBe('Origin');
  });

  it('allows local origins on any port by default, and no look-alike hosts', () => {
    const local = originPolicy();
    for (const origin of ['http://localhost:5173', 'https://localhost', 'http://127.0.0.1:3000', 'http://[::1]:8080']) expect(local(origin), origin).toBe(true);
    for (const origin of ['http://localhost.evil.com', 'https://example.com', 'http://127.0.0.2:80', 'null']) expect(local(origin), origin).toBe(false);
    expect(originPolicy(['https://app.example.com/', 'local'])('https://APP.example.com')).toBe(true);
    expect(originPolicy(['https://app.example.com'])('http://localhost:5173')).toBe(false);
    expect(originPolicy('any')('https://anything.test')).toBe(true);
    expect(() => originPolicy('everyone' as never)).toThrow(TypeError);
  });

  it('gives the core the client address, so anonymous callers are limited per address', async () => {
    const sandbox = testSandbox();
    const base = await listen(createApp(sandbox));
    let last!: Response;
    for (let i = 0; i < 61; i += 1) last = await fetch(`${base}/api/auth/logout`, { method: 'POST' });
    expect(last.status).toBe(429);
    expect(last.headers.get('x-ratelimit-limit')).toBe('60');
    expect(last.headers.get('retry-after')).toBe('60');
    expect(await last.json()).toMatchObject({ status: 429, error: 'Too Many Requests', path: '/api/auth/logout' });
    // The same window is full for the loopback address, and empty for any other address.
    expect((await call(sandbox, 'POST', '/api/auth/logout', { clientAddress: '127.0.0.1' })).status).toBe(429);
    expect((await call(sandbox, 'POST', '/api/auth/logout', { clientAddress: '10.0.0.9' })).status).toBe(200);
  });

  it('answers 500 with the Spring body when the host itself fails', async () => {
    const { sandbox } = fakeSandbox(() => {
      throw new Error('boom');
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const response = await fetch(`${await listen(createApp(sandbox))}/api/workflows?teamId=${HOBBY_TEAM_ID}`);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/json');
      const body = await response.json();
      expect(body).toEqual({ status: 500, error: 'Internal Server Error', message: expect.stringContaining('server log'), timestamp: TEST_NOW, path: '/api/workflows', requestId: 'host' });
    } finally {
      console.error = quiet;
    }
  });
});
