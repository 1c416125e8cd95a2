import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox, type CallOptions } from './helpers.ts';

type CallResult = Awaited<ReturnType<typeof call>>;

/** Unix seconds of an ISO time. */
const unix = (iso: string) => Date.parse(iso) / 1000;
/** TEST_NOW is 12:00:00.000, so the first window ends at 12:01:00. */
const FIRST_RESET = unix('2026-11-01T12:01:00.000Z');

function limits(response: CallResult) {
  return {
    limit: response.headers.get('x-ratelimit-limit'),
    remaining: response.headers.get('x-ratelimit-remaining'),
    reset: response.headers.get('x-ratelimit-reset'),
  };
}

/** Sends `count` identical requests and returns the last response. */
async function repeat(sandbox: Sandbox, count: number, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  let last: CallResult | undefined;
  for (let i = 0; i < count; i++) last = await call(sandbox, method, path, options);
  return last!;
}

describe('rate-limit headers', () => {
  it('are on successes and on 400, 401, 403, 404 and 405 errors', async () => {
    const sandbox = testSandbox();
    const answers = [
      await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin' }),
      await call(sandbox, 'GET', '/api/auth/me', { headers: { authorization: 'Basic x' } }),
      await call(sandbox, 'GET', '/api/auth/me'),
      await call(sandbox, 'GET', '/api/nope', { token: 'sdk_sandbox_admin' }),
      await call(sandbox, 'DELETE', '/api/auth/me', { token: 'sdk_sandbox_admin' }),
      await call(sandbox, 'GET', '/api/credentials', { token: 'sdk_sandbox_viewer' }),
      await call(sandbox, 'POST', '/api/auth/login', { body: {} }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 401, 404, 405, 403, 400]);
    for (const answer of answers) {
      expect(answer.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-reset')).toBe(String(FIRST_RESET));
    }
  });

  it('count down per request', async () => {
    const sandbox = testSandbox();
    const first = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin' });
    const second = await call(sandbox, 'GET', '/api/nope', { token: 'sdk_sandbox_admin' });
    expect(limits(first)).toEqual({ limit: '1000', remaining: '999', reset: String(FIRST_RESET) });
    expect(limits(second)).toEqual({ limit: '1000', remaining: '998', reset: String(FIRST_RESET) });
  });
});

describe('limits per plan', () => {
  it('gives Acme (BUSINESS) 1000 per minute, by token and by cookie', async () => {
    const sandbox = testSandbox();
    expect(limits(await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' })).limit).toBe('1000');
    const cookie = await login(sandbox, 'operator@acme.test');
    expect(limits(await call(sandbox, 'GET', '/api/auth/me', { cookie })).limit).toBe('1000');
  });

  it('gives Hobby (FREE) 60 per minute, by token and by cookie', async () => {
    const sandbox = testSandbox();
    expect(limits(await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' }))).toMatchObject({ limit: '60', remaining: '59' });
    const cookie = await login(sandbox, 'owner@hobby.test');
    expect(limits(await call(sandbox, 'GET', '/api/auth/me', { cookie }))).toMatchObject({ limit: '60', remaining: '59' });
  });

  it('gives anonymous callers 60 per minute per client address', async () => {
    const sandbox = testSandbox();
    const anonymous = await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '10.0.0.1' });
    expect(anonymous.status).toBe(401);
    expect(limits(anonymous)).toMatchObject({ limit: '60', remaining: '59' });
  });

  it('counts a request with bad credentials against the client address', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '10.0.0.9' });
    const bad = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_unknown', clientAddress: '10.0.0.9' });
    expect(bad.status).toBe(401);
    expect(limits(bad)).toMatchObject({ limit: '60', remaining: '58' });
  });
});

describe('429', () => {
  it('answers the 61st Hobby call in a window with 429, Retry-After and the Spring body', async () => {
    const sandbox = testSandbox();
    const sixtieth = await repeat(sandbox, 60, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(sixtieth.status).toBe(200);
    expect(limits(sixtieth).remaining).toBe('0');
    const response = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(response.status).toBe(429);
    expect(response.json).toEqual({
      status: 429,
      error: 'Too Many Requests',
      message: expect.stringContaining('60 requests per minute'),
      timestamp: TEST_NOW,
      path: '/api/auth/me',
      requestId: response.headers.get('x-request-id'),
    });
    expect(response.headers.get('retry-after')).toBe('60');
    expect(limits(response)).toEqual({ limit: '60', remaining: '0', reset: String(FIRST_RESET) });
  });

  it('answers 429 before routing, so unknown routes are limited too', async () => {
    const sandbox = testSandbox();
    await repeat(sandbox, 60, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect((await call(sandbox, 'GET', '/api/nope', { token: 'sdk_sandbox_hobby' })).status).toBe(429);
  });

  it('resets at the end of the current minute of the sandbox clock and then succeeds again', async () => {
    const sandbox = testSandbox();
    sandbox.clock.advance(30_500); // 12:00:30.500, still in the 12:00 window
    await repeat(sandbox, 60, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    const limited = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(limited.status).toBe(429);
    expect(limits(limited).reset).toBe(String(FIRST_RESET));
    expect(limited.headers.get('retry-after')).toBe('30'); // 29.5 s, rounded up
    sandbox.clock.advance(29_499); // 12:00:59.999
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' })).status).toBe(429);
    sandbox.clock.advance(1); // 12:01:00.000: a new window
    const again = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(again.status).toBe(200);
    expect(limits(again)).toEqual({ limit: '60', remaining: '59', reset: String(unix('2026-11-01T12:02:00.000Z')) });
  });

  it('keeps separate windows for two principals of the same team', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'owner@hobby.test');
    await repeat(sandbox, 61, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' })).status).toBe(429);
    const owner = await call(sandbox, 'GET', '/api/auth/me', { cookie });
    expect(owner.status).toBe(200);
    expect(limits(owner).remaining).toBe('59');
    const acme = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { token: 'sdk_sandbox_admin' });
    expect(acme.status).toBe(200);
    expect(limits(acme).remaining).toBe('999');
  });

  it('keeps separate windows for two client addresses', async () => {
    const sandbox = testSandbox();
    const last = await repeat(sandbox, 60, 'GET', '/api/auth/me', { clientAddress: '192.0.2.1' });
    expect(last.status).toBe(401);
    expect(limits(last).remaining).toBe('0');
    const limited = await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '192.0.2.1' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    const other = await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '192.0.2.2' });
    expect(other.status).toBe(401);
    expect(limits(other)).toMatchObject({ limit: '60', remaining: '59' });
    // The limited address cannot even log in, while the other can.
    const body = { email: 'owner@hobby.test', password: 'sandbox' };
    expect((await call(sandbox, 'POST', '/api/auth/login', { body, clientAddress: '192.0.2.1' })).status).toBe(429);
    expect((await call(sandbox, 'POST', '/api/auth/login', { body, clientAddress: '192.0.2.2' })).status).toBe(200);
  });

  it('starts with fresh windows after reset', async () => {
    const sandbox = testSandbox();
    await repeat(sandbox, 61, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    await sandbox.reset();
    const after = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(after.status).toBe(200);
    expect(limits(after).remaining).toBe('59');
  });
});
