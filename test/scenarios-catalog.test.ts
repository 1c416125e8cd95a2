import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { BUILT_IN_SCENARIOS } from '../scenarios/index.ts';
import { ScenarioRegistry } from '../src/scenarios/registry.ts';
import { TEST_NOW } from './helpers.ts';
import { ADMIN, appliedOf, expectSpringError, HOBBY, loginVia, SCENARIO_HOST, useHosts, VIEWER } from './scenario-hosts.ts';

/**
 * The built-in error and data scenarios (scenarios/*.ts), through the scenario host (express over
 * loopback; msw answers the same: test/conformance.test.ts). Faults — flaky, slow, timeout — are
 * in scenarios-faults.test.ts; `large` is in large-dataset.test.ts, where its data set is built once.
 */

const start = useHosts();
const CLEARED_COOKIE = 'access_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax';
const WORKFLOWS = `/api/workflows?teamId=${ACME_TEAM_ID}`;

/** Ids of seeded Acme records (same seed, same ids in every test sandbox). */
function acmeIds(sandbox: Sandbox) {
  const { db } = sandbox.state;
  return {
    workflow: db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id,
    execution: db.executions.all().find((e) => e.teamId === ACME_TEAM_ID)!.id,
    credential: db.credentials.all().find((c) => c.teamId === ACME_TEAM_ID)!.id,
  };
}

describe.each([SCENARIO_HOST])('built-in scenarios via %s', (hostName) => {
  it('expired-session answers 401 to a cookie session and clears the cookie, while login still works', async () => {
    const host = await start(hostName, { scenarios: ['expired-session'] });
    const login = await host.send('POST', '/api/auth/login', { body: { email: 'viewer@acme.test', password: 'sandbox' } });
    expect(login.status).toBe(200);
    expect(login.json.email).toBe('viewer@acme.test');
    expect(appliedOf(login)).toBeNull();
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

    const me = await host.send('GET', '/api/auth/me', { cookie });
    expect(expectSpringError(me, 401, 'Unauthorized', '/api/auth/me')).toMatch(/session cookie has expired.*POST \/api\/auth\/login/);
    expect(me.headers.getSetCookie()).toEqual([CLEARED_COOKIE]);
    expect(appliedOf(me)).toBe('expired-session/expire (expired-session)');

    const again = await host.send('POST', '/api/auth/login', { body: { email: 'viewer@acme.test', password: 'sandbox' } });
    expect(again.status).toBe(200);
    expect(again.headers.getSetCookie()[0]).toMatch(/^access_token=[\w.-]+; Max-Age=86400;/);
  });

  it('expired-session answers 401 to an SDK token as a revoked token, without Set-Cookie', async () => {
    const host = await start(hostName, { scenarios: ['expired-session'] });
    const me = await host.send('GET', '/api/auth/me', { token: ADMIN });
    expect(expectSpringError(me, 401, 'Unauthorized', '/api/auth/me')).toContain('SDK token "sandbox-admin" has been revoked');
    expect(me.headers.getSetCookie()).toEqual([]);
    expect(appliedOf(me)).toBe('expired-session/expire (expired-session)');
    const list = await host.send('GET', WORKFLOWS, { token: ADMIN });
    expectSpringError(list, 401, 'Unauthorized', '/api/workflows');
  });

  it('expired-session leaves anonymous calls to the real 401', async () => {
    const host = await start(hostName, { scenarios: ['expired-session'] });
    const me = await host.send('GET', '/api/auth/me');
    expect(expectSpringError(me, 401, 'Unauthorized', '/api/auth/me')).toMatch(/^Authentication required/);
    expect(appliedOf(me)).toBeNull();
  });

  it('forbidden answers 403 to writes as a VIEWER would, and lets reads and auth calls through', async () => {
    const host = await start(hostName, { scenarios: ['forbidden'] });
    const ids = acmeIds(host.sandbox);
    const create = await host.send('POST', '/api/workflows', { token: ADMIN, body: { name: 'Blocked', teamId: ACME_TEAM_ID } });
    expect(expectSpringError(create, 403, 'Forbidden', '/api/workflows')).toContain('VIEWER');
    expect(appliedOf(create)).toBe('forbidden/viewer-writes (forbidden)');
    expectSpringError(await host.send('PUT', `/api/workflows/${ids.workflow}`, { token: ADMIN, body: { name: 'x' } }), 403, 'Forbidden', `/api/workflows/${ids.workflow}`);
    expectSpringError(await host.send('DELETE', `/api/credentials/${ids.credential}`, { token: ADMIN }), 403, 'Forbidden', `/api/credentials/${ids.credential}`);

    const read = await host.send('GET', `/api/workflows/${ids.workflow}`, { token: ADMIN });
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(ids.workflow);
    expect(appliedOf(read)).toBeNull();
    expect((await host.send('GET', WORKFLOWS, { token: ADMIN })).status).toBe(200);

    const cookie = await loginVia(host, 'admin@acme.test');
    const logout = await host.send('POST', '/api/auth/logout', { cookie });
    expect(logout.status).toBe(200);
    expect(appliedOf(logout)).toBeNull();

    // Anonymous: the real 401 first, as Spring Security answers before any role check.
    const anonymous = await host.send('POST', '/api/workflows', { body: { name: 'Blocked', teamId: ACME_TEAM_ID } });
    expect(expectSpringError(anonymous, 401, 'Unauthorized', '/api/workflows')).toMatch(/^Authentication required/);
    expect(appliedOf(anonymous)).toBeNull();
  });

  it('conflict answers 409 to creates, renames and cancel, and leaves reads alone', async () => {
    const host = await start(hostName, { scenarios: ['conflict'] });
    const ids = acmeIds(host.sandbox);
    const cases = [
      ['POST', '/api/workflows', { name: 'Dup', teamId: ACME_TEAM_ID }, 'conflict/workflow-name (error 409)', /workflow with this name already exists/],
      ['PUT', `/api/workflows/${ids.workflow}`, { name: 'Dup' }, 'conflict/workflow-rename (error 409)', /workflow with this name already exists/],
      ['POST', '/api/credentials', { name: 'Dup', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-1234567890' } }, 'conflict/credential-name (error 409)', /credential with this name already exists/],
      ['POST', `/api/executions/${ids.execution}/cancel`, undefined, 'conflict/cancel-finished (error 409)', /already finished/],
    ] as const;
    for (const [method, path, body, label, message] of cases) {
      const response = await host.send(method, path, { token: ADMIN, body });
      expect(expectSpringError(response, 409, 'Conflict', path), `${method} ${path}`).toMatch(message);
      expect(appliedOf(response)).toBe(label);
    }
    for (const path of [WORKFLOWS, `/api/workflows/${ids.workflow}`, `/api/executions/${ids.execution}`, `/api/credentials?teamId=${ACME_TEAM_ID}`]) {
      const response = await host.send('GET', path, { token: ADMIN });
      expect(response.status, path).toBe(200);
      expect(appliedOf(response)).toBeNull();
    }
  });

  it('rate-limited answers 429 with X-RateLimit-Reset and Retry-After from the clock, and passes once the clock is past the reset', async () => {
    const host = await start(hostName, { scenarios: ['rate-limited'] });
    host.sandbox.clock.advance('15.5s'); // 12:00:15.500: the window ends at 12:01:00
    const resetS = Date.parse(TEST_NOW) / 1000 + 60;
    for (let i = 0; i < 3; i++) {
      const response = await host.send('GET', '/api/auth/me', { token: ADMIN });
      const message = expectSpringError(response, 429, 'Too Many Requests', '/api/auth/me', '2026-11-01T12:00:15.500Z');
      expect(message).toBe(`Rate limit of 1000 requests per minute exceeded. Retry after 45 s (X-RateLimit-Reset ${resetS}).`);
      expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(response.headers.get('x-ratelimit-reset')).toBe(String(resetS));
      expect(response.headers.get('retry-after')).toBe('45');
      expect(appliedOf(response)).toBe('rate-limited/at-limit (rate-limited)');
    }
    host.sandbox.clock.advance('44s'); // 12:00:59.500: still inside the window
    const late = await host.send('GET', '/api/auth/me', { token: ADMIN });
    expect(late.status).toBe(429);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.headers.get('x-ratelimit-reset')).toBe(String(resetS));

    host.sandbox.clock.advance(Number(late.headers.get('retry-after')) * 1000); // past X-RateLimit-Reset
    expect(host.sandbox.clock.now()).toBeGreaterThanOrEqual(resetS * 1000);
    const after = await host.send('GET', '/api/auth/me', { token: ADMIN });
    expect(after.status).toBe(200);
    expect(after.json.email).toBe('admin@acme.test');
    expect(after.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(after.headers.get('x-ratelimit-remaining')).toBe('999');
    expect(after.headers.get('x-ratelimit-reset')).toBe(String(resetS + 60));
    expect(after.headers.has('retry-after')).toBe(false);
    expect(appliedOf(after)).toBeNull();
  });

  it('rate-limited answers the same 429 headers and message as the real limiter at its limit', async () => {
    const real = await start(hostName);
    const injected = await start(hostName, { scenarios: ['rate-limited'] });
    for (const host of [real, injected]) host.sandbox.clock.advance('20s');
    let exhausted = await real.send('GET', '/api/auth/me', { token: HOBBY });
    for (let i = 0; i < 60 && exhausted.status === 200; i++) exhausted = await real.send('GET', '/api/auth/me', { token: HOBBY });
    const scenario = await injected.send('GET', '/api/auth/me', { token: HOBBY });
    for (const response of [exhausted, scenario]) expectSpringError(response, 429, 'Too Many Requests', '/api/auth/me', '2026-11-01T12:00:20.000Z');
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
      expect(scenario.headers.get(name), name).toBe(exhausted.headers.get(name));
    }
    expect(scenario.headers.get('retry-after')).toBe('40');
    expect(scenario.json.message).toBe(exhausted.json.message);
    expect(appliedOf(exhausted)).toBeNull();
    expect(appliedOf(scenario)).toBe('rate-limited/at-limit (rate-limited)');
  });

  it('server-error answers 500 with the Spring body to reads and writes, but not outside /api', async () => {
    const host = await start(hostName, { scenarios: ['server-error'] });
    for (const [method, path] of [['GET', '/api/auth/me'], ['POST', '/api/workflows'], ['GET', '/api/no-such-route']] as const) {
      const response = await host.send(method, path, { token: ADMIN, body: method === 'POST' ? { name: 'x', teamId: ACME_TEAM_ID } : undefined });
      expect(expectSpringError(response, 500, 'Internal Server Error', path)).toBe('Internal server error (injected by the server-error scenario).');
      expect(appliedOf(response)).toBe('server-error/error-500 (error 500)');
    }
    const health = await host.send('GET', '/actuator/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'UP' });
    expect(appliedOf(health)).toBeNull();
  });

  it('unavailable answers 503 with Retry-After: 30', async () => {
    const host = await start(hostName, { scenarios: ['unavailable'] });
    const response = await host.send('GET', WORKFLOWS, { token: VIEWER });
    expect(expectSpringError(response, 503, 'Service Unavailable', '/api/workflows')).toMatch(/injected by the unavailable scenario/);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(appliedOf(response)).toBe('unavailable/error-503 (error 503)');
  });

  it('empty serves Acme with no workflows, executions or credentials, and the same identities', async () => {
    const host = await start(hostName, { scenarios: ['empty'] });
    const workflows = await host.send('GET', WORKFLOWS, { token: ADMIN });
    expect(workflows.status).toBe(200);
    expect(workflows.json).toMatchObject({ content: [], totalElements: 0, number: 0, size: 20 });
    expect(appliedOf(workflows)).toBe('empty (dataset empty)');
    const executions = await host.send('GET', `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`, { token: ADMIN });
    expect(executions.status).toBe(200);
    expect(executions.json).toMatchObject({ content: [], totalElements: 0 });
    const byTeam = await host.send('GET', `/api/executions/team/${ACME_TEAM_ID}`, { token: ADMIN });
    expect(byTeam.json.totalElements).toBe(0);
    const credentials = await host.send('GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { token: ADMIN });
    expect(credentials.status).toBe(200);
    expect(credentials.json).toEqual([]);

    const me = await host.send('GET', '/api/auth/me', { token: ADMIN });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ email: 'admin@acme.test', teams: [{ teamId: ACME_TEAM_ID, role: 'ADMIN' }] });
    const cookie = await loginVia(host, 'viewer@acme.test');
    expect((await host.send('GET', '/api/auth/me', { cookie })).json.email).toBe('viewer@acme.test');
  });

  it('answers without the scenario header once the scenarios are reset', async () => {
    const host = await start(hostName, { scenarios: ['server-error'] });
    expect((await host.send('GET', '/api/auth/me', { token: ADMIN })).status).toBe(500);
    host.sandbox.scenarios.reset();
    const me = await host.send('GET', '/api/auth/me', { token: ADMIN });
    expect(me.status).toBe(200);
    expect(appliedOf(me)).toBeNull();
  });
});

describe('the built-in catalogue compiled once per process (src/scenarios/registry.ts addBuiltIn)', () => {
  it('gives every registry the same frozen compilation, and a user scenario of the same name replaces it in its own registry only', () => {
    const slow = BUILT_IN_SCENARIOS.find((s) => s.name === 'slow')!;
    const first = new ScenarioRegistry();
    const second = new ScenarioRegistry();
    first.addBuiltIn(slow, 'scenarios/slow.ts');
    second.addBuiltIn(slow, 'scenarios/slow.ts');
    const [shared] = first.resolve(['slow']);
    expect(second.resolve(['slow'])[0]).toBe(shared);
    expect(Object.isFrozen(shared!.scenario.rules[0])).toBe(true);
    second.add({ name: 'slow', description: 'mine', rules: [{ when: 'GET /api/**', effect: { type: 'latency', ms: 1 } }] }, 'code');
    expect(second.resolve(['slow'])[0]!.scenario.description).toBe('mine');
    expect(first.resolve(['slow'])[0]).toBe(shared);
  });
});
