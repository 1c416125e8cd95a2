import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { createRequestListener } from '../src/hosts/node-host.ts';
import { call, TEST_NOW, testSandbox, expectSpringError, type CallResult } from './helpers.ts';

const expectError = (response: CallResult, status: number, error: string, path: string): string =>
  expectSpringError(response, status, error, path, TEST_NOW);

const ADMIN = 'sdk_sandbox_admin';

describe('unknown routes and methods', () => {
  it('returns 404 given an unknown /api route to an authenticated caller', async () => {
    const sandbox = testSandbox();
    const known = await call(sandbox, 'GET', '/api/does-not-exist', { token: ADMIN });
    expect(expectError(known, 404, 'Not Found', '/api/does-not-exist')).toContain('GET /api/does-not-exist');
    expect(known.json.requestId).toBe(known.headers.get('x-request-id'));
    expectError(await call(sandbox, 'POST', '/api/auth/login/extra', { token: ADMIN }), 404, 'Not Found', '/api/auth/login/extra');
  });

  // Spring Security's filter chain runs before dispatch: an anonymous caller learns nothing of
  // which protected routes or methods exist.
  it.each([
    ['GET', '/api/does-not-exist'],
    ['DELETE', '/api/workflows'],
    ['GET', '/api/workflows/'],
    ['POST', '/api/auth/login/'],
    ['PATCH', '/api/executions/x'],
  ])('returns 401, not 404 or 405, given an anonymous %s %s', async (method, path) => {
    const sandbox = testSandbox();
    expect(expectError(await call(sandbox, method, path), 401, 'Unauthorized', path)).toContain('POST /api/auth/login');
  });

  it('still answers 405 to an anonymous wrong method on a public path', async () => {
    const sandbox = testSandbox();
    expectError(await call(sandbox, 'DELETE', '/api/auth/login'), 405, 'Method Not Allowed', '/api/auth/login');
  });

  it('returns 404 given a path outside /api', async () => {
    const sandbox = testSandbox();
    expect(expectError(await call(sandbox, 'GET', '/v1/workflows'), 404, 'Not Found', '/v1/workflows')).toContain('/api');
  });

  it('returns 405 with an Allow header given a wrong method', async () => {
    const sandbox = testSandbox();
    const login = await call(sandbox, 'GET', '/api/auth/login');
    expect(expectError(login, 405, 'Method Not Allowed', '/api/auth/login')).toContain("'GET'");
    expect(login.headers.get('allow')).toBe('POST');
    const credential = await call(sandbox, 'PATCH', '/api/credentials/some-id', { token: ADMIN, body: {} });
    expectError(credential, 405, 'Method Not Allowed', '/api/credentials/some-id');
    expect(credential.headers.get('allow')!.split(', ').sort()).toEqual(['DELETE', 'GET', 'PUT']);
  });

  it('answers the same 405 outside /api on the read-only paths (health, widget script, OpenAPI documents), and OPTIONS with Allow', async () => {
    const sandbox = testSandbox();
    for (const path of ['/actuator/health', '/widget.js', '/openapi.json', '/openapi.yaml', '/__sandbox/docs']) {
      const post = await call(sandbox, 'POST', path, { body: {} });
      expect(expectError(post, 405, 'Method Not Allowed', path)).toBe(`Request method 'POST' is not supported for ${path}. Supported: GET, HEAD.`);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    }
    for (const path of ['/actuator/health', '/widget.js', '/openapi.json', '/openapi.yaml', '/__sandbox/docs', '/__sandbox/docs/init.js']) {
      const options = await call(sandbox, 'OPTIONS', path);
      expect([options.status, options.headers.get('allow'), options.text], path).toEqual([200, 'GET, HEAD', '']);
    }
    // A docs file that is not there: the 404 GET gives (this in-process host reads no files at all).
    expect((await call(sandbox, 'OPTIONS', '/__sandbox/docs/nope.js')).status).toBe(404);
  });
});

describe('request bodies', () => {
  it('returns 400 given malformed JSON', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', { body: '{"email": "admin@acme.test",' });
    expect(expectError(response, 400, 'Bad Request', '/api/auth/login')).toMatch(/^Malformed JSON request body/);
  });

  it('returns 415 given a body sent as text/plain', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', {
      body: '{"email":"admin@acme.test","password":"sandbox"}',
      headers: { 'content-type': 'text/plain' },
    });
    const message = expectError(response, 415, 'Unsupported Media Type', '/api/auth/login');
    expect(message).toContain("'text/plain'");
    expect(message).toContain('application/json');
  });

  it('returns 415 given a body without a Content-Type', async () => {
    const sandbox = testSandbox();
    const request = new Request('http://sandbox.test/api/auth/login', {
      method: 'POST',
      body: new Blob(['{"email":"admin@acme.test","password":"sandbox"}']),
    });
    expect(request.headers.get('content-type')).toBeNull();
    const response = await sandbox.fetch(request);
    expect(response.status).toBe(415);
    expect((await response.json()).message).toContain('(none)');
  });

  it('accepts a JSON body with a charset parameter', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', {
      body: { email: 'admin@acme.test', password: 'sandbox' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(200);
  });

  it('returns 400 naming the field given a schema violation', async () => {
    const sandbox = testSandbox();
    const nested = await call(sandbox, 'POST', '/api/credentials', {
      token: ADMIN,
      body: { name: 'n', type: 'OPENAI', data: { apiKey: 42 } },
    });
    expect(expectError(nested, 400, 'Bad Request', '/api/credentials')).toMatch(/^Invalid body 'data\.apiKey': /);
    const top = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 7 } });
    expect(expectError(top, 400, 'Bad Request', '/api/auth/login')).toBe('password is required');
  });

  it('ignores unknown query parameters', async () => {
    const sandbox = testSandbox();
    const me = await call(sandbox, 'GET', '/api/auth/me?debug=1&teamId=whatever', { token: ADMIN });
    expect(me.status).toBe(200);
    const list = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}&sort=name,asc&verbose=true`, { token: ADMIN });
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(12);
  });

  it('ignores unknown body fields', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', {
      body: { email: 'admin@acme.test', password: 'sandbox', rememberMe: true },
    });
    expect(response.status).toBe(200);
  });
});

describe('unexpected errors', () => {
  it('answers 500 with the Spring body and no stack, and reports the error', async () => {
    const reported: Array<{ error: unknown; url: string }> = [];
    const sandbox = testSandbox({ onUnexpectedError: (error, request) => reported.push({ error, url: request.url }) });
    await sandbox.ready;
    const boom = new Error('boom: users table on fire');
    vi.spyOn(sandbox.state.db.users, 'all').mockImplementationOnce(() => {
      throw boom;
    });
    const response = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'sandbox' } });
    expectError(response, 500, 'Internal Server Error', '/api/auth/login');
    expect(response.text).not.toContain('boom');
    expect(response.text).not.toContain('stack');
    expect(response.text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect(reported).toEqual([{ error: boom, url: 'http://sandbox.test/api/auth/login' }]);
    // The failure was one call only: the next login works.
    expect((await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'sandbox' } })).status).toBe(200);
    expect(reported).toHaveLength(1);
  });

  it('hands onUnexpectedError a Fetch Request with method, URL and headers when the call came through node:http', async () => {
    const reported: unknown[] = [];
    const sandbox = testSandbox({ onUnexpectedError: (_error, request) => reported.push(request) });
    await sandbox.ready;
    vi.spyOn(sandbox.state.db.users, 'all').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const server = createServer(createRequestListener(sandbox)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/login?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
        body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
      });
      expect(response.status).toBe(500);
    } finally {
      server.closeAllConnections();
      server.close();
    }
    expect(reported).toHaveLength(1);
    const request = reported[0] as Request;
    expect(request).toBeInstanceOf(Request);
    expect([request.method, request.url, request.headers.get('x-trace')]).toEqual(['POST', `http://127.0.0.1:${port}/api/auth/login?x=1`, 'abc']);
  });

  it('does not report expected errors as unexpected', async () => {
    const reported: unknown[] = [];
    const sandbox = testSandbox({ onUnexpectedError: (error) => reported.push(error) });
    await call(sandbox, 'GET', '/api/nope');
    await call(sandbox, 'GET', '/api/auth/me');
    await call(sandbox, 'POST', '/api/auth/login', { body: '{' });
    expect(reported).toEqual([]);
  });
});

describe('GET /actuator/health', () => {
  it('answers {"status":"UP"} without credentials', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'GET', '/actuator/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.text).toBe('{"status":"UP"}');
  });
});

describe('HEAD and OPTIONS, as Spring MVC answers them', () => {
  it('answers HEAD on a GET route with the GET headers, its Content-Length and no body', async () => {
    const sandbox = testSandbox();
    const get = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token: 'sdk_sandbox_admin' });
    const head = await call(sandbox, 'HEAD', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token: 'sdk_sandbox_admin' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(get.text)));
    expect(head.headers.get('x-ratelimit-limit')).toBe('1000');
  });

  it('answers OPTIONS without an Origin with 200 and Allow, and 404 on an unknown path', async () => {
    const sandbox = testSandbox();
    const options = await call(sandbox, 'OPTIONS', '/api/workflows', { token: 'sdk_sandbox_admin' });
    expect(options.status).toBe(200);
    expect(options.text).toBe('');
    expect(options.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    expect((await call(sandbox, 'OPTIONS', '/api/nowhere', { token: 'sdk_sandbox_admin' })).status).toBe(404);
  });
});

describe('request body size', () => {
  it('answers 413 with the Spring body past the proxy limit of 50 MB, and creates nothing', async () => {
    const sandbox = testSandbox();
    // {"name":"Huge","teamId":"…","description":"xxx…"} as bytes, 50 MB of x: building it as a
    // string and stringifying it took as long as the request itself.
    const prefix = `{"name":"Huge","teamId":"${ACME_TEAM_ID}","description":"`;
    const body = Buffer.alloc(prefix.length + 50 * 1024 * 1024 + 2, 'x');
    body.write(prefix, 0);
    body.write('"}', body.length - 2);
    expect(JSON.parse(body.subarray(0, prefix.length).toString() + body.subarray(-2).toString())).toEqual({ name: 'Huge', teamId: ACME_TEAM_ID, description: '' });
    const response = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body });
    expect(expectError(response, 413, 'Payload Too Large', '/api/workflows')).toMatch(/larger than 50 MB/);
    const page = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=Huge`, { token: 'sdk_sandbox_admin' });
    expect(page.json.totalElements).toBe(0);
  });
});

describe("a caller's long value in a 400 message", () => {
  // src/core/clip.ts: 64 characters and the length, wherever a message echoes what was sent.
  const long = 'q'.repeat(5_000);
  const clipped = `${'q'.repeat(64)}…[truncated from 5000 chars]`;
  it.each([
    ['an execution status', `/api/executions?teamId=${ACME_TEAM_ID}&status=${long}`],
    ['an execution time', `/api/executions?teamId=${ACME_TEAM_ID}&from=${long}`],
    ['a journal filter', `/__sandbox/requests?status=${long}`],
    ['a journal wait', `/__sandbox/requests?wait=${long}`],
  ])('is echoed clipped: %s', async (_what, path) => {
    const res = await call(testSandbox(), 'GET', path, { token: 'sdk_sandbox_admin' });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(clipped);
    expect(res.json.message).not.toContain('q'.repeat(65));
  });
});
