import { describe, expect, it } from 'vitest';
import { call, testSandbox } from './helpers.ts';

const HOBBY = { token: 'sdk_sandbox_hobby' }; // FREE plan: 60 requests per minute

describe('restored rate windows are checked', () => {
  it('refuses a negative rate-window count (which gave a billion remaining requests), naming the field, and changes nothing', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', HOBBY);
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    const bad = JSON.parse(current);
    expect(bad.rateWindows).toHaveLength(1);
    bad.rateWindows[0][2] = -1_000_000_000;
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/snapshot' });
    expect(refused.json.message).toBe('Invalid snapshot: rateWindows.0.2: count must be a non-negative integer');
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
    expect((await call(sandbox, 'GET', '/api/auth/me', HOBBY)).headers.get('x-ratelimit-remaining')).toBe('58');
  });

  it.each([
    ['a fractional count', (w: any[]) => (w[2] = 1.5), /rateWindows\.0\.2: count must be a non-negative integer/],
    ['a window start that is not a whole minute', (w: any[]) => (w[1] += 1), /rateWindows\.0\.1: window start must be a whole minute/],
    ['a window start past year 9999', (w: any[]) => (w[1] = 253402300800000), /rateWindows\.0\.1: window start must be within the years 0000-9999/],
    ['a window start beyond safe integers', (w: any[]) => (w[1] = 1e300), /rateWindows\.0\.1: window start must be an integer/],
    ['an empty key', (w: any[]) => (w[0] = ''), /rateWindows\.0\.0: rate window key must not be empty/],
  ])('refuses %s, naming the field', async (_what, mutate, message) => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', HOBBY);
    const bad = await sandbox.snapshot();
    mutate(bad.rateWindows[0] as any[]);
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(message);
  });
});
