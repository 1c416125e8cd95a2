import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { createHandlers } from 'nodeloom-sandbox/msw';
import { testSandbox } from './helpers.ts';

const sandbox = testSandbox();
const server = setupServer(...createHandlers(sandbox, { origins: ['http://localhost:4010'] }));
const unhandled: string[] = [];
let realBase = '';
let real: Server;

beforeAll(async () => {
  // A real server on loopback: requests msw does not intercept must reach it untouched.
  real = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ real: true, url: req.url }));
  });
  await new Promise<void>((resolve) => real.listen(0, '127.0.0.1', resolve));
  realBase = `http://127.0.0.1:${(real.address() as AddressInfo).port}`;
  server.events.on('request:unhandled', ({ request }) => unhandled.push(request.url));
  server.listen({ onUnhandledRequest: 'bypass' });
});
afterEach(() => {
  server.resetHandlers();
  unhandled.length = 0;
});
afterAll(async () => {
  server.close();
  await new Promise((resolve) => real.close(resolve));
});

const admin = { authorization: 'Bearer sdk_sandbox_admin' };

describe('msw host', () => {
  it('answers the SDK origin https://api.nodeloom.io with the core response', async () => {
    const response = await fetch(`https://api.nodeloom.io/api/workflows?teamId=${ACME_TEAM_ID}&size=5`, { headers: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
    const page = await response.json();
    expect(page).toMatchObject({ number: 0, size: 5 });
    expect(page.content).toHaveLength(5);
  });

  it('answers a local base URL and /actuator/health', async () => {
    const me = await fetch('http://localhost:4010/api/auth/me', { headers: admin });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'admin@acme.test' });
    const health = await fetch('http://localhost:4010/actuator/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'UP' });
  });

  it('serves the OpenAPI document, JSON and YAML, without credentials', async () => {
    const document = await fetch('https://api.nodeloom.io/openapi.json');
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('application/json');
    expect(await document.json()).toMatchObject({ openapi: '3.1.0', info: { title: expect.any(String) } });
    const yaml = await fetch('http://localhost:4010/openapi.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(await yaml.text()).toMatch(/^openapi: 3\.1\.0$/m);
  });

  it("leaves /openapi.json on the page's own origin to the app, and answers NodeLoom's paths there", async () => {
    const global = globalThis as { location?: unknown };
    global.location = { origin: realBase }; // as in a DOM test environment whose page is served by realBase
    try {
      expect(await (await fetch(`${realBase}/openapi.json`)).json()).toEqual({ real: true, url: '/openapi.json' });
      expect((await fetch(`${realBase}/api/auth/me`, { headers: admin })).status).toBe(200);
    } finally {
      delete global.location;
    }
  });

  it('lets the core read the request body and returns the session cookie', async () => {
    const login = await fetch('https://api.nodeloom.io/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'builder@acme.test', password: 'sandbox' }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ email: 'builder@acme.test' });
    const cookies = login.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^access_token=/);
    const created = await fetch('https://api.nodeloom.io/api/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies[0]!.split(';')[0]! },
      body: JSON.stringify({ name: 'From msw', teamId: ACME_TEAM_ID }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'From msw', teamId: ACME_TEAM_ID, active: false });
  });

  it('answers errors with the Spring body, e.g. 401 without credentials', async () => {
    const response = await fetch('https://api.nodeloom.io/api/auth/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ status: 401, error: 'Unauthorized', path: '/api/auth/me' });
  });

  it("runs the user's own server.use override before the sandbox", async () => {
    server.use(http.get('https://api.nodeloom.io/api/workflows', () => HttpResponse.json({ overridden: true }, { status: 503 })));
    const overridden = await fetch(`https://api.nodeloom.io/api/workflows?teamId=${ACME_TEAM_ID}`, { headers: admin });
    expect(overridden.status).toBe(503);
    expect(await overridden.json()).toEqual({ overridden: true });
    const other = await fetch('https://api.nodeloom.io/api/auth/me', { headers: admin });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-limit')).toBe('1000');
  });

  it('makes the client fetch reject with TypeError: Failed to fetch given a network-error rule, and journals status 0', async () => {
    sandbox.scenarios.use({ name: 'cut', description: 'Every call loses its connection.', rules: [{ name: 'reset', when: 'GET /api/**', effect: { type: 'network-error' } }] });
    try {
      const failure = await fetch('https://api.nodeloom.io/api/auth/me', { headers: admin }).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TypeError);
      expect((failure as TypeError).message).toBe('Failed to fetch');
      expect(sandbox.journal.list({ limit: 1 })[0]).toMatchObject({ method: 'GET', path: '/api/auth/me', status: 0, scenarioApplied: ['cut/reset (network-error)'] });
    } finally {
      sandbox.scenarios.reset();
    }
    expect((await fetch('https://api.nodeloom.io/api/auth/me', { headers: admin })).status).toBe(200);
  });

  it('does not intercept requests outside the sandbox paths', async () => {
    const response = await fetch(`${realBase}/apix/status`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ real: true, url: '/apix/status' });
    expect(unhandled).toEqual([`${realBase}/apix/status`]);
  });

  it('answers only api.nodeloom.io by default, so other APIs fall through to onUnhandledRequest', async () => {
    const handlers = createHandlers(testSandbox());
    expect((await getResponse(handlers, new Request('https://api.nodeloom.io/api/auth/me', { headers: admin })))?.status).toBe(200);
    expect(await getResponse(handlers, new Request('http://localhost:3000/api/cart'))).toBeUndefined();
    expect(await getResponse(handlers, new Request('http://localhost:4010/api/auth/me', { headers: admin }))).toBeUndefined();
    const strict = setupServer(...createHandlers(testSandbox()));
    const seen: string[] = [];
    strict.events.on('request:unhandled', ({ request }) => seen.push(request.url));
    server.close();
    strict.listen({ onUnhandledRequest: 'error' });
    try {
      await expect(fetch('http://localhost:3000/api/cart')).rejects.toThrow();
      expect(seen).toEqual(['http://localhost:3000/api/cart']);
    } finally {
      strict.close();
      server.listen({ onUnhandledRequest: 'bypass' });
    }
  });

  it("answers every origin given '*'", async () => {
    const handlers = createHandlers(testSandbox(), { origins: ['*'] });
    expect((await getResponse(handlers, new Request('http://localhost:3000/api/auth/me', { headers: admin })))?.status).toBe(200);
  });

  it('matches only the configured origins when `origins` is given', async () => {
    const handlers = createHandlers(testSandbox(), { origins: ['https://api.nodeloom.io'] });
    const api = await getResponse(handlers, new Request('https://api.nodeloom.io/api/auth/me', { headers: admin }));
    expect(api?.status).toBe(200);
    expect(api?.headers.get('x-request-id')).toBe('req_000001');
    expect(await api?.json()).toMatchObject({ email: 'admin@acme.test' });
    expect(await getResponse(handlers, new Request('http://localhost:4010/api/auth/me', { headers: admin }))).toBeUndefined();
  });
});
