import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login } from './helpers.ts';
import { ADMIN, appliedOf, expectSpringError, fresh, VIEWER } from './scenario-hosts.ts';

/**
 * Stacking (several scenarios at once) and precedence: the `X-Sandbox-Scenario` header (or
 * `?__scenario=`) beats a principal binding, which beats the server-wide set. And the proof a
 * developer can tell an injected failure from a real one: `X-Sandbox-Scenario-Applied` on every
 * changed response, `scenarioApplied` in the journal, and neither on an untouched response.
 */

const me = (sandbox: Sandbox, options: Parameters<typeof call>[3] = { token: ADMIN }) => call(sandbox, 'GET', '/api/auth/me', options);
const SLOW = /^slow\/latency \(latency (\d+)ms\)$/;

describe('stacking', () => {
  it('X-Sandbox-Scenario: slow,server-error adds the latency and answers 500, naming both', async () => {
    const sandbox = await fresh(27); // any seed passes; 27 draws a short latency first (faster)
    const started = performance.now();
    const response = await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'slow, server-error' } });
    const elapsed = performance.now() - started;
    expectSpringError(response, 500, 'Internal Server Error', '/api/auth/me');
    const [slow, error] = appliedOf(response)!.split(', ');
    expect(error).toBe('server-error/error-500 (error 500)');
    const ms = Number(SLOW.exec(slow!)?.[1]);
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThanOrEqual(1500);
    expect(elapsed).toBeGreaterThanOrEqual(ms - 5);
    expect(sandbox.journal.list()[0]!.scenarioApplied).toEqual([slow, error]);
  });

  it('the first scenario with a terminal effect answers: unavailable,server-error is a 503', async () => {
    const sandbox = await fresh();
    const response = await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'unavailable,server-error' } });
    expectSpringError(response, 503, 'Service Unavailable', '/api/auth/me');
    expect(appliedOf(response)).toBe('unavailable/error-503 (error 503)');
  });

  it('stacks a data scenario with an error scenario over the control plane', async () => {
    const sandbox = await fresh();
    const put = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['empty', 'forbidden'] } });
    expect(put.json.names).toEqual(['empty', 'forbidden']);
    const list = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token: ADMIN });
    expect(list.json.totalElements).toBe(0);
    expect(appliedOf(list)).toBe('empty (dataset empty)');
    const create = await call(sandbox, 'POST', '/api/workflows', { token: ADMIN, body: { name: 'x', teamId: ACME_TEAM_ID } });
    expectSpringError(create, 403, 'Forbidden', '/api/workflows');
    expect(appliedOf(create)).toBe('empty (dataset empty), forbidden/viewer-writes (forbidden)');
  });

  it('a header naming a scenario twice applies it once', async () => {
    const sandbox = await fresh();
    const response = await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'server-error,server-error' } });
    expect(appliedOf(response)).toBe('server-error/error-500 (error 500)');
  });
});

describe('precedence: request header > principal binding > server-wide set', () => {
  /** Server: unavailable (503); the viewer token: server-error (500); header: expired-session (401). */
  async function layered(): Promise<Sandbox> {
    const sandbox = await fresh();
    expect((await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['unavailable'] } })).status).toBe(200);
    expect((await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'], token: VIEWER } })).status).toBe(200);
    return sandbox;
  }

  it('answers the header scenario to a bound token that sends one', async () => {
    const sandbox = await layered();
    const response = await me(sandbox, { token: VIEWER, headers: { 'x-sandbox-scenario': 'expired-session' } });
    expectSpringError(response, 401, 'Unauthorized', '/api/auth/me');
    expect(appliedOf(response)).toBe('expired-session/expire (expired-session)');
    const byQuery = await call(sandbox, 'GET', '/api/auth/me?__scenario=expired-session', { token: VIEWER });
    expect(appliedOf(byQuery)).toBe('expired-session/expire (expired-session)');
  });

  it('answers the binding to the bound token without a header', async () => {
    const response = await me(await layered(), { token: VIEWER });
    expectSpringError(response, 500, 'Internal Server Error', '/api/auth/me');
    expect(appliedOf(response)).toBe('server-error/error-500 (error 500)');
  });

  it('answers the server-wide set to everyone else', async () => {
    const sandbox = await layered();
    for (const options of [{ token: ADMIN }, { token: 'sdk_sandbox_operator' }, {}]) {
      const response = await me(sandbox, options);
      expectSpringError(response, 503, 'Service Unavailable', '/api/auth/me');
      expect(appliedOf(response)).toBe('unavailable/error-503 (error 503)');
    }
  });

  it('replaces, not adds: a header scenario that does not match the request lets it through', async () => {
    const sandbox = await layered();
    for (const token of [VIEWER, ADMIN]) {
      const response = await me(sandbox, { token, headers: { 'x-sandbox-scenario': 'forbidden' } });
      expect(response.status).toBe(200);
      expect(appliedOf(response)).toBeNull();
    }
  });

  it('the header wins over ?__scenario= on the same request', async () => {
    const sandbox = await fresh();
    const response = await call(sandbox, 'GET', '/api/auth/me?__scenario=unavailable', { token: ADMIN, headers: { 'x-sandbox-scenario': 'server-error' } });
    expect(response.status).toBe(500);
  });

  it('a user binding beats the server-wide set for that user’s session only', async () => {
    const sandbox = await fresh();
    const viewer = await login(sandbox, 'viewer@acme.test');
    const builder = await login(sandbox, 'builder@acme.test');
    sandbox.scenarios.use('unavailable');
    sandbox.scenarios.useFor('viewer@acme.test', 'conflict');
    const create = await call(sandbox, 'POST', '/api/workflows', { cookie: viewer, body: { name: 'x', teamId: ACME_TEAM_ID } });
    expectSpringError(create, 409, 'Conflict', '/api/workflows');
    const read = await me(sandbox, { cookie: viewer });
    expect(read.status).toBe(200);
    expect(appliedOf(read)).toBeNull();
    expect((await me(sandbox, { cookie: builder })).status).toBe(503);
  });

  it('a data scenario bound to one token serves its data to that token only', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.useFor(VIEWER, 'empty');
    const path = `/api/workflows?teamId=${ACME_TEAM_ID}`;
    const bound = await call(sandbox, 'GET', path, { token: VIEWER });
    expect(bound.json.totalElements).toBe(0);
    expect(appliedOf(bound)).toBe('empty (dataset empty)');
    const other = await call(sandbox, 'GET', path, { token: ADMIN });
    expect(other.json.totalElements).toBeGreaterThan(0);
    expect(appliedOf(other)).toBeNull();
  });
});

describe('telling injected answers from real ones', () => {
  it('marks every injected response and its journal entry, and no other', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.useFor(VIEWER, 'forbidden');
    await me(sandbox); // real 200
    await call(sandbox, 'GET', '/api/auth/me'); // real 401 (anonymous)
    await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_builder', body: { teamId: ACME_TEAM_ID } }); // real 400
    await call(sandbox, 'POST', '/api/workflows', { token: VIEWER, body: { name: 'x', teamId: ACME_TEAM_ID } }); // injected 403
    await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'rate-limited' } }); // injected 429
    await call(sandbox, 'GET', '/api/auth/me?__scenario=unavailable', { token: ADMIN }); // injected 503
    await call(sandbox, 'GET', '/__sandbox/scenario'); // control plane: not journaled

    const entries = sandbox.journal.list().reverse();
    expect(entries.map((e) => [e.method, e.path, e.status, e.scenarioApplied])).toEqual([
      ['GET', '/api/auth/me', 200, []],
      ['GET', '/api/auth/me', 401, []],
      ['POST', '/api/workflows', 400, []],
      ['POST', '/api/workflows', 403, ['forbidden/viewer-writes (forbidden)']],
      ['GET', '/api/auth/me', 429, ['rate-limited/at-limit (rate-limited)']],
      ['GET', '/api/auth/me', 503, ['unavailable/error-503 (error 503)']],
    ]);
    expect(entries[3]).toMatchObject({ principal: 'token:sandbox-viewer' });
    const overHttp = await call(sandbox, 'GET', '/__sandbox/requests?status=429');
    expect(overHttp.json.entries).toEqual([expect.objectContaining({ status: 429, scenarioApplied: ['rate-limited/at-limit (rate-limited)'] })]);
  });

  it('sends X-Sandbox-Scenario-Applied exactly when the journal says a scenario applied', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.use({ name: 'some', description: 'About half the calls fail.', rules: [{ name: 'odd', when: 'GET /api/auth/me', probability: 0.5, effect: { type: 'error', status: 500 } }] });
    const headers: Array<string | null> = [];
    for (let i = 0; i < 12; i++) headers.push(appliedOf(await me(sandbox)));
    const journal = sandbox.journal.list().reverse().map((e) => (e.scenarioApplied.length ? e.scenarioApplied.join(', ') : null));
    expect(journal).toEqual(headers);
    expect(headers).toContain(null);
    expect(headers).toContain('some/odd (error 500)');
  });
});

describe('X-Sandbox-Scenario: none (the reserved name for no scenario)', () => {
  const WORKFLOWS = `/api/workflows?teamId=${ACME_TEAM_ID}`;

  it('runs one request with no scenario and the default data set, over the server set and a binding', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.use('server-error', 'empty');
    sandbox.scenarios.useFor('sdk_sandbox_viewer', 'forbidden');
    expectSpringError(await me(sandbox), 500, 'Internal Server Error', '/api/auth/me');
    for (const headers of [{ 'x-sandbox-scenario': 'none' }, { 'x-sandbox-scenario': ' none ' }]) {
      const page = await call(sandbox, 'GET', WORKFLOWS, { token: ADMIN, headers });
      expect(page.status).toBe(200);
      expect(page.json.totalElements).toBeGreaterThan(0); // the default data set, not the server's empty one
      expect(appliedOf(page)).toBeNull();
    }
    const viaQuery = await call(sandbox, 'GET', `${WORKFLOWS}&__scenario=none`, { token: ADMIN });
    expect(viaQuery.status).toBe(200);
    expect(appliedOf(viaQuery)).toBeNull();
    expect(sandbox.journal.list()[0]!.scenarioApplied).toEqual([]);
    const viewerWrite = await call(sandbox, 'POST', '/api/workflows', { token: VIEWER, headers: { 'x-sandbox-scenario': 'none' }, body: { name: 'x', teamId: ACME_TEAM_ID } });
    expect(viewerWrite.status).toBe(403); // the real RBAC answer, not the binding's injected one
    expect(appliedOf(viewerWrite)).toBeNull();
  });

  it('stands alone: none with other names is a 400 that says so', async () => {
    const sandbox = await fresh();
    const response = await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'none, slow' } });
    expectSpringError(response, 400, 'Bad Request', '/api/auth/me');
    expect(response.json.message).toBe("'none' means no scenario and stands alone (in the X-Sandbox-Scenario header): send either none or the scenarios you want, such as slow.");
  });

  it('switches the server set off, is refused for one caller, and cannot name a definition', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.use('server-error');
    const off = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['none'] } });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ names: [], since: null });
    const bound = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['none'], token: 'sdk_sandbox_viewer' } });
    expectSpringError(bound, 400, 'Bad Request', '/__sandbox/scenario');
    expect(bound.json.message).toContain("'none' is for one request (X-Sandbox-Scenario: none) or the whole server, not one caller");
    expect(() => sandbox.scenarios.define({ name: 'none', description: 'mine', rules: [] } as never)).toThrow(/name "none" is reserved/);
    const unknown = await me(sandbox, { token: ADMIN, headers: { 'x-sandbox-scenario': 'nope' } });
    expect(unknown.json.message).toMatch(/\(or none for no scenario\)\.$/);
  });
});
