import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };
/** End of the first rate-limit window (TEST_NOW is 12:00:00), Unix seconds. */
const FIRST_RESET = Date.parse(TEST_NOW) / 1000 + 60;

const journal = async (sandbox: Sandbox, query = '') => (await call(sandbox, 'GET', `/__sandbox/requests${query}`)).json;

describe('GET /__sandbox/requests', () => {
  it('lists entries newest first with every field', async () => {
    const sandbox = testSandbox();
    const ok = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=2`, admin);
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '61s' } });
    await call(sandbox, 'GET', '/api/credentials', { token: 'sdk_sandbox_viewer' });
    await call(sandbox, 'GET', '/api/auth/me', { clientAddress: '10.1.2.3' });

    const listed = await journal(sandbox);
    expect(listed).toMatchObject({ namespace: 'default', capacity: 500, size: 3 });
    const [anonymous, forbidden, allowed] = listed.entries;
    expect(listed.entries.map((e: { requestId: string }) => e.requestId)).toEqual(['req_000003', 'req_000002', 'req_000001']);
    expect(allowed).toEqual({
      requestId: ok.headers.get('x-request-id'),
      time: TEST_NOW,
      method: 'GET',
      path: '/api/workflows',
      query: `?teamId=${ACME_TEAM_ID}&size=2`,
      status: 200,
      outcome: 'complete',
      durationMs: expect.any(Number),
      principal: 'token:sandbox-admin',
      scenarioApplied: [],
      rbac: { teamId: ACME_TEAM_ID, role: 'ADMIN', permission: 'workflows:view', allowed: true },
      rateLimit: { limit: 1000, remaining: 999, reset: FIRST_RESET, exceeded: false },
      request: { headers: { authorization: 'Bearer sdk_sand…' }, body: null },
      response: {
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-request-id': ok.headers.get('x-request-id') }),
        body: ok.text,
      },
    });
    expect(allowed.durationMs).toBeGreaterThanOrEqual(0);
    expect(forbidden).toMatchObject({
      time: '2026-11-01T12:01:01.000Z',
      path: '/api/credentials',
      status: 403,
      principal: 'token:sandbox-viewer',
      rbac: { permission: 'credentials:manage', allowed: false },
      rateLimit: { limit: 1000, remaining: 999, reset: FIRST_RESET + 60, exceeded: false },
    });
    expect(anonymous).toMatchObject({ status: 401, principal: 'anonymous', rbac: null, rateLimit: { limit: 60, remaining: 59 } });
  });

  it('labels a cookie user by email and records the role that allowed the call', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'viewer@acme.test');
    await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { cookie });
    const [entry] = (await journal(sandbox, '?limit=1')).entries;
    expect(entry).toMatchObject({
      principal: 'user:viewer@acme.test',
      status: 200,
      rbac: { teamId: ACME_TEAM_ID, role: 'VIEWER', permission: 'workflows:view', allowed: true },
    });
  });

  it('records the rate-limit state of a 429', async () => {
    const sandbox = testSandbox();
    for (let i = 0; i < 61; i++) await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    const [limited, last] = (await journal(sandbox, '?limit=2')).entries;
    expect(limited).toMatchObject({ status: 429, principal: 'token:sandbox-hobby', rateLimit: { limit: 60, remaining: 0, reset: FIRST_RESET, exceeded: true } });
    expect(last).toMatchObject({ status: 200, rateLimit: { limit: 60, remaining: 0, exceeded: false } });
  });

  it('records the scenario rule that changed a response, as the header names it', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'] } });
    const failed = await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'DELETE', '/__sandbox/scenario');
    await call(sandbox, 'GET', '/api/auth/me', admin);
    const [clean, injected] = (await journal(sandbox)).entries;
    expect(injected).toMatchObject({ status: 500, scenarioApplied: [failed.headers.get('x-sandbox-scenario-applied')] });
    expect(injected.scenarioApplied[0]).toContain('server-error');
    expect(clean).toMatchObject({ status: 200, scenarioApplied: [] });
  });

  it('leaves control requests out', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/__sandbox/clock');
    await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'GET', '/__sandbox/identities');
    expect((await journal(sandbox)).entries.map((e: { path: string }) => e.path)).toEqual(['/api/auth/me']);
  });

  it('matches sandbox.journal.list() in code', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'GET', '/api/nope', admin);
    expect((await journal(sandbox)).entries).toEqual(sandbox.journal.list());
    expect((await journal(sandbox, '?status=404')).entries).toEqual(sandbox.journal.list({ status: 404 }));
  });
});

describe('journal filters', () => {
  /** Six requests over three sandbox minutes: ids 1-6. */
  async function filled(): Promise<Sandbox> {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin); // 1, 12:00
    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'A', teamId: ACME_TEAM_ID } }); // 2 (201)
    sandbox.clock.advance('1m');
    await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, admin); // 3, 12:01
    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { teamId: ACME_TEAM_ID } }); // 4 (400)
    sandbox.clock.advance('1m');
    await call(sandbox, 'GET', '/api/credentials', { token: 'sdk_sandbox_viewer' }); // 5 (403), 12:02
    await call(sandbox, 'GET', '/api/executions/nope', admin); // 6
    return sandbox;
  }
  const ids = async (sandbox: Sandbox, query: string) =>
    (await journal(sandbox, query)).entries.map((e: { requestId: string }) => Number(e.requestId.slice(4)));

  it.each([
    ['', [6, 5, 4, 3, 2, 1]],
    ['?method=POST', [4, 2]],
    ['?method=post', [4, 2]],
    ['?path=/api/workflows', [4, 3, 2]],
    ['?path=workflows', [4, 3, 2]],
    ['?path=/api/e*', [6]],
    ['?status=400', [4]],
    ['?status=201', [2]],
    ['?since=2026-11-01T12:01:00.000Z', [6, 5, 4, 3]],
    ['?since=2026-11-01T12:02:00Z', [6, 5]],
    ['?limit=2', [6, 5]],
    ['?limit=0', []],
    ['?method=GET&path=/api/workflows&since=2026-11-01T12:00:30Z', [3]],
    ['?method=POST&limit=1', [4]],
  ])('filters with %s', async (query, expected) => {
    expect(await ids(await filled(), query)).toEqual(expected);
  });

  it.each([['?status=abc', 'status'], ['?status=4000', 'status'], ['?limit=-1', 'limit'], ['?since=yesterday', 'since'], ['?since=2026-02-30T00:00:00Z', 'since must be an ISO-8601 time'], ['?since=2026-11-01T12:00:00', 'since must be an ISO-8601 time with a zone'], ['?since=2026-11-01T12:00:00+01:00', 'send the zone\'s "+" as %2B']])(
    'answers 400 for %s',
    async (query, field) => {
      const answer = await call(testSandbox(), 'GET', `/__sandbox/requests${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json.message).toContain(field);
    },
  );
});

describe('journal size and clearing', () => {
  it('keeps only the last journalSize entries', async () => {
    const sandbox = testSandbox({ journalSize: 3 });
    for (let i = 0; i < 7; i++) await call(sandbox, 'GET', '/api/auth/me', admin);
    const listed = await journal(sandbox);
    expect(listed).toMatchObject({ capacity: 3, size: 3 });
    expect(listed.entries.map((e: { requestId: string }) => e.requestId)).toEqual(['req_000007', 'req_000006', 'req_000005']);
  });

  it('forgets every entry on DELETE and keeps recording afterwards', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'GET', '/api/auth/me', admin);
    const cleared = await call(sandbox, 'DELETE', '/__sandbox/requests');
    expect(cleared.status).toBe(204);
    expect(cleared.text).toBe('');
    expect(await journal(sandbox)).toMatchObject({ size: 0, entries: [] });
    await call(sandbox, 'GET', '/api/auth/me', admin);
    expect((await journal(sandbox)).entries.map((e: { requestId: string }) => e.requestId)).toEqual(['req_000003']);
  });

  it('refuses DELETE with a query instead of clearing more than a filter asked for, and keeps every entry', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    const refused = await call(sandbox, 'DELETE', '/__sandbox/requests?method=POST');
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe(
      'DELETE /__sandbox/requests clears the whole journal and takes no query parameter, got "method". Send it without a query; to read some entries, use GET /__sandbox/requests?method=&path=&status=&since=.',
    );
    expect(await journal(sandbox)).toMatchObject({ size: 1, entries: [{ requestId: 'req_000001' }] });
  });

  it('rejects a journalSize that is not a positive integer', () => {
    expect(() => testSandbox({ journalSize: 0 })).toThrow(TypeError);
  });
});
