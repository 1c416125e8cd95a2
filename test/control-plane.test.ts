import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { call, TEST_NOW, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };
const WORKFLOWS = `/api/workflows?teamId=${ACME_TEAM_ID}&size=100`;

/** Names of the first page of Acme workflows. */
async function workflowNames(sandbox: Sandbox): Promise<string[]> {
  return (await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=10`, admin)).json.content.map((w: { name: string }) => w.name);
}

describe('POST /__sandbox/reset', () => {
  it('returns the data to the seed after creating and deleting workflows, request ids included', async () => {
    const sandbox = testSandbox();
    const before = await call(sandbox, 'GET', WORKFLOWS, admin);
    const seeded = before.json.content[0].id as string;
    expect((await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Temp', teamId: ACME_TEAM_ID } })).status).toBe(201);
    expect((await call(sandbox, 'DELETE', `/api/workflows/${seeded}`, admin)).status).toBe(204);
    expect((await call(sandbox, 'GET', WORKFLOWS, admin)).text).not.toBe(before.text);

    const reset = await call(sandbox, 'POST', '/__sandbox/reset');
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ namespace: 'default', seed: sandbox.seed, clock: { now: TEST_NOW, frozen: true } });
    const after = await call(sandbox, 'GET', WORKFLOWS, admin);
    expect(after.text).toBe(before.text);
    expect([...after.headers]).toEqual([...before.headers]);
    expect(after.headers.get('x-request-id')).toBe('req_000001');
  });

  it('puts the clock back to the start time, frozen', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '2h' } });
    await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: false } });
    await call(sandbox, 'POST', '/__sandbox/reset');
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).json).toEqual({ now: TEST_NOW, epochMs: Date.parse(TEST_NOW), frozen: true });
  });

  it('clears the rate-limit windows', async () => {
    const sandbox = testSandbox();
    for (let i = 0; i < 60; i++) await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' })).status).toBe(429);
    await call(sandbox, 'POST', '/__sandbox/reset', { body: {} });
    const next = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-remaining')).toBe('59');
  });

  it('clears the journal', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    expect((await call(sandbox, 'GET', '/__sandbox/requests')).json.size).toBe(1);
    await call(sandbox, 'POST', '/__sandbox/reset');
    expect((await call(sandbox, 'GET', '/__sandbox/requests')).json).toMatchObject({ size: 0, entries: [] });
  });

  it('reseeds with {seed} and goes back to the configured seed without it', async () => {
    const sandbox = testSandbox();
    const original = await workflowNames(sandbox);
    const reseeded = await call(sandbox, 'POST', '/__sandbox/reset', { body: { seed: 7 } });
    expect(reseeded.json.seed).toBe(7);
    const other = await workflowNames(sandbox);
    expect(other).not.toEqual(original);
    expect(await workflowNames(testSandbox({ seed: 7 }))).toEqual(other);
    await call(sandbox, 'POST', '/__sandbox/reset');
    expect(await workflowNames(sandbox)).toEqual(original);
  });

  it('switches a scenario on with {scenario: "server-error"}, and off again on the next plain reset', async () => {
    const sandbox = testSandbox();
    const reset = await call(sandbox, 'POST', '/__sandbox/reset', { body: { scenario: 'server-error' } });
    expect(reset.json.scenarios).toMatchObject({ names: ['server-error'] });
    const failing = await call(sandbox, 'GET', '/api/auth/me', admin);
    expect(failing.status).toBe(500);
    expect(failing.headers.get('x-sandbox-scenario-applied')).toContain('server-error');
    await call(sandbox, 'POST', '/__sandbox/reset');
    expect((await call(sandbox, 'GET', '/api/auth/me', admin)).status).toBe(200);
  });

  it('answers 400 listing the known scenarios for an unknown one, and changes nothing', async () => {
    const sandbox = testSandbox();
    const created = await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Keep me', teamId: ACME_TEAM_ID } });
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '61s' } });
    await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'] } });
    const journalBefore = (await call(sandbox, 'GET', '/__sandbox/requests')).text;

    const refused = await call(sandbox, 'POST', '/__sandbox/reset', { body: { scenario: 'nope' } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/reset' });
    expect(refused.json.message).toMatch(/nope.*server-error/s);

    expect((await call(sandbox, 'GET', '/__sandbox/requests')).text).toBe(journalBefore);
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).json.now).toBe('2026-11-01T12:01:01.000Z');
    expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json.names).toEqual(['forbidden']);
    expect((await call(sandbox, 'GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(200);
  });

  it.each([['abc'], ['7'], [1.5], [2 ** 60]])('answers 400 saying the seed must be an integer given %j', async (seed) => {
    const sandbox = testSandbox();
    const refused = await call(sandbox, 'POST', '/__sandbox/reset', { body: { seed } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe('seed must be an integer, such as {"seed": 42}');
  });
});

describe('GET /__sandbox/identities', () => {
  it('lists the fixed users, password, tokens and teams, the same for every seed', async () => {
    const answer = await call(testSandbox(), 'GET', '/__sandbox/identities');
    expect(answer.status).toBe(200);
    expect(answer.json.password).toBe('sandbox');
    expect(answer.json.teams).toEqual([
      expect.objectContaining({ id: '0a1c3e00-0000-4000-8000-00000000ac01', name: 'Acme Robotics', plan: 'BUSINESS', rateLimitPerMinute: 1000 }),
      expect.objectContaining({ id: '0b0b1e00-0000-4000-8000-00000000b001', name: 'Hobby Lab', plan: 'FREE', rateLimitPerMinute: 60 }),
    ]);
    expect(answer.json.users.map((u: { email: string; role: string; password: string }) => [u.email, u.role, u.password])).toEqual([
      ['admin@acme.test', 'ADMIN', 'sandbox'],
      ['builder@acme.test', 'BUILDER', 'sandbox'],
      ['operator@acme.test', 'OPERATOR', 'sandbox'],
      ['viewer@acme.test', 'VIEWER', 'sandbox'],
      ['owner@hobby.test', 'ADMIN', 'sandbox'],
      ['compliance@acme.test', 'COMPLIANCE_OFFICER', 'sandbox'],
    ]);
    expect(answer.json.tokens.map((t: { token: string; teamId: string }) => [t.token, t.teamId])).toEqual([
      ['sdk_sandbox_admin', ACME_TEAM_ID],
      ['sdk_sandbox_builder', ACME_TEAM_ID],
      ['sdk_sandbox_operator', ACME_TEAM_ID],
      ['sdk_sandbox_viewer', ACME_TEAM_ID],
      ['sdk_sandbox_hobby', HOBBY_TEAM_ID],
      ['sdk_sandbox_compliance', ACME_TEAM_ID],
    ]);
    expect((await call(testSandbox({ seed: 99 }), 'GET', '/__sandbox/identities')).text).toBe(answer.text);
  });

  it('lists identities that log in and call the API', async () => {
    const sandbox = testSandbox();
    const { json } = await call(sandbox, 'GET', '/__sandbox/identities');
    for (const user of json.users) {
      expect((await call(sandbox, 'POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(200);
    }
    for (const token of json.tokens) expect((await call(sandbox, 'GET', '/api/auth/me', { token: token.token })).status).toBe(200);
  });
});

describe('control plane access', () => {
  it('answers 404 under /__sandbox with admin: false while /api keeps working', async () => {
    const sandbox = testSandbox({ admin: false });
    for (const [method, path] of [['GET', '/__sandbox/identities'], ['POST', '/__sandbox/reset'], ['GET', '/__sandbox/clock']] as const) {
      const answer = await call(sandbox, method, path);
      expect(answer.status).toBe(404);
      expect(answer.json).toMatchObject({ status: 404, error: 'Not Found', path });
    }
    expect((await call(sandbox, 'GET', '/api/auth/me', admin)).status).toBe(200);
  });

  it('answers 401 without X-Sandbox-Admin-Token, 403 with a wrong one and 200 with the right one', async () => {
    const sandbox = testSandbox({ admin: { token: 's3cret' } });
    const missing = await call(sandbox, 'GET', '/__sandbox/clock');
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ status: 401, error: 'Unauthorized', path: '/__sandbox/clock' });
    expect(missing.json.message).toContain('X-Sandbox-Admin-Token');
    expect((await call(sandbox, 'POST', '/__sandbox/reset', { headers: { 'x-sandbox-admin-token': 'guess' } })).status).toBe(403);
    expect((await call(sandbox, 'GET', '/__sandbox/clock', { headers: { 'x-sandbox-admin-token': 's3cret' } })).status).toBe(200);
    expect((await call(sandbox, 'GET', '/api/auth/me', admin)).status).toBe(200);
  });

  it('never serves control routes under /api', async () => {
    const sandbox = testSandbox();
    for (const path of ['/api/__sandbox/identities', '/api/identities', '/api/reset', '/api/__sandbox/clock']) {
      const answer = await call(sandbox, 'GET', path, admin);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('x-request-id')).toMatch(/^req_/);
    }
    expect((await call(sandbox, 'POST', '/api/__sandbox/reset', admin)).status).toBe(404);
  });

  it('keeps control requests out of the journal and the rate limit', async () => {
    const sandbox = testSandbox();
    const clock = await call(sandbox, 'GET', '/__sandbox/clock');
    expect(clock.headers.has('x-ratelimit-limit')).toBe(false);
    expect(clock.headers.has('x-request-id')).toBe(false);
    expect((await call(sandbox, 'GET', '/__sandbox/requests')).json.entries).toEqual([]);
  });

  it.each([
    ['DELETE', '/__sandbox/reset', 'POST'],
    ['PATCH', '/__sandbox/clock', 'GET, PUT'],
    ['GET', '/__sandbox/clock/advance', 'POST'],
    ['POST', '/__sandbox/requests', 'GET, DELETE'],
    ['POST', '/__sandbox/identities', 'GET'],
  ])('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const answer = await call(testSandbox(), method, path);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(allow);
    expect(answer.json).toMatchObject({ status: 405, error: 'Method Not Allowed', path });
  });

  it('answers 404 with the Spring body for an unknown control route', async () => {
    const answer = await call(testSandbox(), 'GET', '/__sandbox/nope');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ status: 404, error: 'Not Found', path: '/__sandbox/nope', timestamp: TEST_NOW });
  });
});

describe('control plane over express', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.close(resolve), s.closeAllConnections()))));
  });
  async function serve(sandbox: Sandbox): Promise<string> {
    const server = await new Promise<Server>((resolve) => {
      const s = createApp(sandbox).listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const json = { 'content-type': 'application/json' };

  it('resets with a JSON body, advances the clock and lists the journal', async () => {
    const base = await serve(testSandbox());
    await fetch(`${base}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    const advanced = await fetch(`${base}/__sandbox/clock/advance`, { method: 'POST', headers: json, body: '{"ms":"61s"}' });
    expect(await advanced.json()).toMatchObject({ now: '2026-11-01T12:01:01.000Z' });
    expect((await (await fetch(`${base}/__sandbox/requests`)).json()).size).toBe(1);
    const reset = await fetch(`${base}/__sandbox/reset`, { method: 'POST', headers: json, body: '{"scenario":"server-error"}' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ clock: { now: TEST_NOW }, scenarios: { names: ['server-error'] } });
    expect((await fetch(`${base}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } })).status).toBe(500);
  });

  it('checks the admin token and answers 405 with Allow', async () => {
    const base = await serve(testSandbox({ admin: { token: 't' } }));
    expect((await fetch(`${base}/__sandbox/clock`)).status).toBe(401);
    expect((await fetch(`${base}/__sandbox/clock`, { headers: { 'x-sandbox-admin-token': 'x' } })).status).toBe(403);
    const wrong = await fetch(`${base}/__sandbox/reset`, { headers: { 'x-sandbox-admin-token': 't' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('keeps namespaces apart', async () => {
    const base = await serve(testSandbox());
    const headers = { ...json, authorization: 'Bearer sdk_sandbox_admin', 'x-sandbox-namespace': 'worker-1' };
    const created = await fetch(`${base}/api/workflows`, { method: 'POST', headers, body: JSON.stringify({ name: 'Only in worker-1', teamId: ACME_TEAM_ID }) });
    const { id } = await created.json();
    expect((await fetch(`${base}/api/workflows/${id}`, { headers })).status).toBe(200);
    expect((await fetch(`${base}/api/workflows/${id}`, { headers: { ...headers, 'x-sandbox-namespace': 'worker-2' } })).status).toBe(404);
    expect(await (await fetch(`${base}/__sandbox/namespaces`)).json()).toEqual({ namespaces: ['default', 'worker-1', 'worker-2'] });
  });
});
