import { describe, expect, it } from 'vitest';
import { call, login, testSandbox } from './helpers.ts';

describe('smoke', () => {
  it('logs in and reads me', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    const me = await call(sandbox, 'GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe('admin@acme.test');
  });
});
