/**
 * The recommended way to use nodeloom-sandbox in a vitest (or jest) suite.
 *
 * Copy this file as a starting point: one sandbox and one msw server for the whole file, a reset
 * before every test, and your code calling the real NodeLoom URL with plain `fetch` (or the SDK).
 * No fake timers and no hand-written mocks: scenarios make the API fail on purpose, and the
 * sandbox clock moves rate-limit windows, session expiry and execution progress.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// In your project: `from 'nodeloom-sandbox'` and `from 'nodeloom-sandbox/msw'`.
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';
import { createHandlers } from 'nodeloom-sandbox/msw';

// 1. One sandbox for the file. A fixed `now` freezes its clock there, so every run sees the same
//    data, the same timestamps and the same rate-limit windows (byte-identical responses).
const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });

// 2. One msw server that hands every NodeLoom request (any origin, /api/** and /__sandbox/**) to
//    the sandbox. Your own `server.use(...)` overrides still run first, as msw users expect.
const server = setupServer(...createHandlers(sandbox));

// 'error' makes a request that nothing answers fail the test instead of reaching the network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

// 3. Back to the seeded state before each test: data, clock, rate windows, journal and scenarios.
//    It takes about 20 ms for the default data set (see `npm run bench`).
beforeEach(() => sandbox.reset());

/** What your app would do: call NodeLoom with an SDK token. */
function nodeloom(path: string, token = 'sdk_sandbox_admin') {
  return fetch(`https://api.nodeloom.io${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('using the sandbox from tests', () => {
  it('answers the real API URL with seeded data', async () => {
    const response = await nodeloom(`/api/workflows?teamId=${ACME_TEAM_ID}&size=5`);

    expect(response.status).toBe(200);
    const page = await response.json();
    expect(page.content).toHaveLength(5);
    expect(page.content[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  });

  it('fails on purpose when a scenario is switched on', async () => {
    // Every API call now answers 500 with the Spring error body, as the real server would.
    sandbox.scenarios.use('server-error');

    const response = await nodeloom('/api/auth/me');

    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 500, error: 'Internal Server Error', path: '/api/auth/me' });
    // The sandbox says the failure was injected, so nobody chases a bug that is not there.
    expect(response.headers.get('x-sandbox-scenario-applied')).toContain('server-error');
  });

  it('is clean again in the next test, thanks to the reset', async () => {
    expect((await nodeloom('/api/auth/me')).status).toBe(200);
    expect(sandbox.scenarios.current().names).toEqual([]);
  });

  it('recovers from a 429 once the clock passes X-RateLimit-Reset', async () => {
    // Hobby Lab is on the FREE plan: 60 requests per minute.
    const hobby = 'sdk_sandbox_hobby';
    for (let i = 0; i < 60; i++) expect((await nodeloom('/api/auth/me', hobby)).status).toBe(200);

    const limited = await nodeloom('/api/auth/me', hobby);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    // X-RateLimit-Reset is in Unix seconds. Move the sandbox clock there instead of waiting.
    const resetAtMs = Number(limited.headers.get('x-ratelimit-reset')) * 1000;
    sandbox.clock.advance(resetAtMs - sandbox.clock.now());

    const again = await nodeloom('/api/auth/me', hobby);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('59');
  });

  it('starts every test with the rate windows and the clock reset too', async () => {
    expect(sandbox.clock.iso()).toBe('2026-11-01T12:00:00.000Z');
    expect((await nodeloom('/api/auth/me', 'sdk_sandbox_hobby')).headers.get('x-ratelimit-remaining')).toBe('59');
  });
});
