import { describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { call } from './helpers.ts';

describe('reset with a real-time clock', () => {
  it('brings back the data as seeded at start, so the generated data set is reused', async () => {
    const sandbox = createSandbox(); // no `now`: the clock runs in real time
    const names = async () => (await call(sandbox, 'GET', '/api/workflows?size=100', { token: 'sdk_sandbox_admin' })).json.content.map((w: { id: string; name: string }) => `${w.id} ${w.name}`);
    const before = await names();
    const created = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { name: 'Gone after reset' } });
    expect(created.status).toBe(201);
    await sandbox.reset();
    expect(await names()).toEqual(before);
    expect(sandbox.clock.frozen).toBe(false);
  });
});
