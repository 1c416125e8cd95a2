import { afterEach, describe, expect, it, vi } from 'vitest';
import { sameSecret } from '../src/core/same-secret.ts';
import { call, testSandbox } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the admin token check is timing-safe', () => {
  it('compares the admin token through fixed-length SHA-256 digests instead of !==', async () => {
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const sandbox = testSandbox({ admin: { token: 's3cret-token' } });
    const header = (token: string) => ({ headers: { 'x-sandbox-admin-token': token } });
    expect((await call(sandbox, 'GET', '/__sandbox/clock', header('s3cret-tokeX'))).status).toBe(403);
    expect((await call(sandbox, 'GET', '/__sandbox/clock', header('s3cret'))).status).toBe(403);
    expect((await call(sandbox, 'GET', '/__sandbox/clock', header('s3cret-token-and-more'))).status).toBe(403);
    expect((await call(sandbox, 'GET', '/__sandbox/clock', header('s3cret-token'))).status).toBe(200);
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).status).toBe(401);
    const hashed = digest.mock.calls.map(([algorithm, data]) => [algorithm, new TextDecoder().decode(data as Uint8Array)]);
    expect(hashed).toContainEqual(['SHA-256', 's3cret-tokeX']);
    expect(hashed).toContainEqual(['SHA-256', 's3cret-token']);
  });

  it('tells equal secrets from different ones of any length', async () => {
    expect(await sameSecret('abc', 'abc')).toBe(true);
    expect(await sameSecret('', '')).toBe(true);
    expect(await sameSecret('tökén-ü', 'tökén-ü')).toBe(true);
    for (const [a, b] of [['abc', 'abd'], ['abc', 'ab'], ['', 'x'], ['abc', 'ABC'], ['é', 'e\u0301']]) expect(await sameSecret(a!, b!), `${a} vs ${b}`).toBe(false);
  });
});
