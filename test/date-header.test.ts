import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { createRequestListener } from 'nodeloom-sandbox/express';
import { call, testSandbox } from './helpers.ts';

/**
 * API answers carry `Date` from the sandbox clock, not the machine's: a client that compares
 * `X-RateLimit-Reset` (Unix seconds on the sandbox clock) with `Date` saw a reset 32 days before
 * "now" with `--now 2026-11-01T12:00:00Z` (found by a break-it helper; Node adds its own `Date`).
 */
describe('the Date header', () => {
  it('is the sandbox time, in the IMF-fixdate form, on answers and errors, per namespace', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const page = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=1`, { token: 'sdk_sandbox_admin' });
    expect(page.headers.get('date')).toBe(new Date(sandbox.clock.now()).toUTCString());
    expect(page.headers.get('date')).toBe('Sun, 01 Nov 2026 12:00:00 GMT');
    const denied = await call(sandbox, 'GET', '/api/auth/me');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('date')).toBe('Sun, 01 Nov 2026 12:00:00 GMT');
    const later = sandbox.namespace('later');
    await later.ready;
    later.clock.advance(86_400_000);
    const there = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-namespace': 'later' } });
    expect(there.headers.get('date')).toBe('Mon, 02 Nov 2026 12:00:00 GMT');
  });

  it('is the sandbox time on the control plane, health, documents, 404s and CORS preflights too, per namespace', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const preflight = { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' };
    for (const [method, path, headers] of [
      ['GET', '/__sandbox', {}],
      ['GET', '/__sandbox/clock', {}],
      ['PUT', '/__sandbox/clock', {}], // a 400 whose body's timestamp is the sandbox time
      ['GET', '/actuator/health', {}],
      ['GET', '/openapi.json', {}],
      ['GET', '/nope', {}],
      ['OPTIONS', '/api/workflows', preflight],
    ] as const) {
      const response = await call(sandbox, method, path, { headers });
      expect(response.headers.get('date'), `${method} ${path}`).toBe('Sun, 01 Nov 2026 12:00:00 GMT');
    }
    const later = sandbox.namespace('later');
    await later.ready;
    later.clock.advance(86_400_000);
    const clock = await call(sandbox, 'GET', '/__sandbox/clock', { headers: { 'x-sandbox-namespace': 'later' } });
    expect(clock.headers.get('date')).toBe('Mon, 02 Nov 2026 12:00:00 GMT');
    // Errors answered before any namespace step (the docs' 405, a refused preflight) too, body and header.
    for (const [method, path, headers] of [
      ['POST', '/__sandbox/docs', {}],
      ['OPTIONS', '/api/workflows', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }],
    ] as const) {
      const refused = await call(sandbox, method, path, { headers: { ...headers, 'x-sandbox-namespace': 'later' } });
      expect([refused.status, refused.headers.get('date'), refused.json.timestamp], `${method} ${path}`).toEqual([method === 'POST' ? 405 : 403, 'Mon, 02 Nov 2026 12:00:00 GMT', '2026-11-02T12:00:00.000Z']);
    }
  });

  it('replaces the one Node would add on the node host, and agrees with X-RateLimit-Reset', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const server = createServer(createRequestListener(sandbox));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string[]>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/auth/me', headers: { authorization: 'Bearer sdk_sandbox_admin' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawHeaders));
        });
        req.on('error', reject);
        req.end();
      });
      const values = raw.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'date' ? [raw[i + 1]!] : []));
      expect(values).toEqual(['Sun, 01 Nov 2026 12:00:00 GMT']); // one Date, the sandbox's
      const reset = Number(raw[raw.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'x-ratelimit-reset') + 1]);
      const seconds = (reset * 1000 - Date.parse(values[0]!)) / 1000;
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      // A host-level error (TRACE, which the Fetch API cannot carry: the node host's own 405) too.
      const trace = await new Promise<{ status: number; raw: string[] }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'TRACE', path: '/api/auth/me' }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(trace.status).toBe(405);
      expect(trace.raw.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'date' ? [trace.raw[i + 1]!] : []))).toEqual(['Sun, 01 Nov 2026 12:00:00 GMT']);
    } finally {
      server.close();
    }
  });
});
