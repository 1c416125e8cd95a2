import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, FIXED_TOKENS, fixedUser, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { call, expectSpringError, login, TEST_NOW, testSandbox } from './helpers.ts';

/** SDK token management: `/api/sdk/tokens` (nodeloom-api.md 3.11.4 [INF]), ADMIN only. */

const admin = { token: 'sdk_sandbox_admin' };
const TOKENS = '/api/sdk/tokens';
const LIST = `${TOKENS}?teamId=${ACME_TEAM_ID}`;
const ADMIN_ID = fixedUser('admin@acme.test').id;
const SEEDED_AT = '2026-04-15T12:00:00.000Z';

async function ready() {
  const sandbox = testSandbox();
  await sandbox.ready;
  return sandbox;
}
type S = Awaited<ReturnType<typeof ready>>;
const create = (sandbox: S, body: unknown, auth: { token?: string; cookie?: string } = admin) => call(sandbox, 'POST', TOKENS, { ...auth, body });

describe('GET /api/sdk/tokens', () => {
  it("lists the team's seeded tokens with a prefix, never the value", async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'GET', LIST, { cookie: await login(sandbox, 'admin@acme.test') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    // The admin token ran the team's seeded API-triggered executions: last used at the latest.
    const apiRuns = sandbox.state.db.executions.filter((e) => e.teamId === ACME_TEAM_ID && e.triggerType === 'API').map((e) => e.createdAt).sort();
    expect(apiRuns.length).toBeGreaterThan(0);
    expect(response.json).toEqual(
      FIXED_TOKENS.filter((t) => t.teamId === ACME_TEAM_ID).map((t) => ({
        id: t.id,
        name: t.name,
        role: t.role,
        prefix: 'sdk_sand',
        createdBy: ADMIN_ID,
        createdAt: SEEDED_AT,
        lastUsedAt: t.name === 'sandbox-admin' ? apiRuns.at(-1) : null,
        revoked: false,
      })),
    );
    expect(response.json.map((t: { name: string }) => t.name)).toContain('sandbox-compliance');
    expect(response.text).not.toContain('sdk_sandbox_');
  });

  it('shows when each token last authenticated a request, on the sandbox clock', async () => {
    const sandbox = await ready();
    await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' });
    sandbox.clock.advance('5m');
    const tokens = (await call(sandbox, 'GET', LIST, admin)).json as Array<{ name: string; lastUsedAt: string | null }>;
    const lastUsed = Object.fromEntries(tokens.map((t) => [t.name, t.lastUsedAt]));
    expect(lastUsed).toMatchObject({ 'sandbox-viewer': TEST_NOW, 'sandbox-admin': '2026-11-01T12:05:00.000Z', 'sandbox-builder': null });
  });

  it("lists an SDK token's own team without teamId; a session needs it (400)", async () => {
    const sandbox = await ready();
    expect((await call(sandbox, 'GET', TOKENS, admin)).json).toHaveLength(5);
    expect((await call(sandbox, 'GET', TOKENS, { token: 'sdk_sandbox_hobby' })).json.map((t: { name: string }) => t.name)).toEqual(['sandbox-hobby']);
    expect(expectSpringError(await call(sandbox, 'GET', TOKENS, { cookie: await login(sandbox, 'admin@acme.test') }), 400, 'Bad Request', TOKENS)).toContain('teamId');
  });

  it('returns 403 to a BUILDER and to another team', async () => {
    const sandbox = await ready();
    expect(expectSpringError(await call(sandbox, 'GET', LIST, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', TOKENS)).toContain('ADMIN');
    expectSpringError(await call(sandbox, 'GET', LIST, { token: 'sdk_sandbox_hobby' }), 403, 'Forbidden', TOKENS);
  });
});

describe('POST /api/sdk/tokens', () => {
  it('creates a token: 201 with its metadata and its value, shown this once', async () => {
    const sandbox = await ready();
    const response = await create(sandbox, { teamId: ACME_TEAM_ID, name: ' ci-pipeline ', role: 'OPERATOR' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { token } = response.json;
    expect(token).toMatch(/^sdk_[0-9a-f]{32}$/);
    expect(response.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'ci-pipeline',
      role: 'OPERATOR',
      prefix: token.slice(0, 8),
      createdBy: ADMIN_ID,
      createdAt: TEST_NOW,
      lastUsedAt: null,
      revoked: false,
      token,
    });
    const list = await call(sandbox, 'GET', LIST, admin);
    expect(list.json.at(-1)).toEqual({ ...response.json, token: undefined });
    expect(list.text).not.toContain(token);
    expect(sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID).at(-1)).toMatchObject({
      action: 'SDK_TOKEN_CREATED',
      resourceType: 'SDK_TOKEN',
      resourceId: response.json.id,
      details: { tokenName: 'ci-pipeline', role: 'OPERATOR' },
    });
  });

  it('makes a token that authenticates with its role, in its team', async () => {
    const sandbox = await ready();
    const { token } = (await create(sandbox, { teamId: ACME_TEAM_ID, name: 'reader', role: 'VIEWER' })).json;
    expect((await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token })).status).toBe(200);
    expect(expectSpringError(await call(sandbox, 'POST', '/api/workflows', { token, body: { name: 'x' } }), 403, 'Forbidden', '/api/workflows')).toContain('you have VIEWER');
    expect((await call(sandbox, 'GET', '/api/teams', { token })).json).toEqual([expect.objectContaining({ id: ACME_TEAM_ID, role: 'VIEWER' })]);
  });

  it('gives the same value for the same seed and requests', async () => {
    const values = [];
    for (const sandbox of [await ready(), await ready()]) values.push((await create(sandbox, { teamId: ACME_TEAM_ID, name: 'twin', role: 'VIEWER' })).json.token);
    expect(values[0]).toBe(values[1]);
  });

  it("creates in an SDK token's own team without teamId, created by the token's creator", async () => {
    const sandbox = await ready();
    const response = await create(sandbox, { name: 'hobby-ci', role: 'BUILDER' }, { token: 'sdk_sandbox_hobby' });
    expect(response.status).toBe(201);
    expect(response.json.createdBy).toBe(fixedUser('owner@hobby.test').id);
    expect(sandbox.state.db.sdkTokens.get(response.json.id)!.teamId).toBe(HOBBY_TEAM_ID);
  });

  it.each([
    [{ teamId: ACME_TEAM_ID, role: 'VIEWER' }, 'Token name is required, e.g. "ci-pipeline"'],
    [{ teamId: ACME_TEAM_ID, name: 'x', role: 'ROOT' }, 'role must be one of ADMIN, BUILDER, OPERATOR, VIEWER, COMPLIANCE_OFFICER, got "ROOT"'],
  ])('returns 400 given %j', async (body, message) => {
    const sandbox = await ready();
    expect(expectSpringError(await create(sandbox, body), 400, 'Bad Request', TOKENS)).toBe(message);
  });

  it('returns 403 to a BUILDER, creating nothing', async () => {
    const sandbox = await ready();
    expectSpringError(await create(sandbox, { teamId: ACME_TEAM_ID, name: 'x', role: 'VIEWER' }, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', TOKENS);
    expect(sandbox.state.db.sdkTokens.count()).toBe(FIXED_TOKENS.length);
  });
});

describe('DELETE /api/sdk/tokens/:id', () => {
  const viewerTokenId = FIXED_TOKENS.find((t) => t.token === 'sdk_sandbox_viewer')!.id;

  it('revokes a token: 204, listed as revoked, and 401 from its next call', async () => {
    const sandbox = await ready();
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' })).status).toBe(200);
    const response = await call(sandbox, 'DELETE', `${TOKENS}/${viewerTokenId}`, admin);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await call(sandbox, 'GET', LIST, admin)).json.find((t: { id: string }) => t.id === viewerTokenId)).toMatchObject({ revoked: true, lastUsedAt: TEST_NOW });
    expect(expectSpringError(await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' }), 401, 'Unauthorized', '/api/auth/me')).toContain('revoked');
    expect(sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID).at(-1)).toMatchObject({ action: 'SDK_TOKEN_REVOKED', resourceType: 'SDK_TOKEN', resourceId: viewerTokenId });
  });

  it('lets a token revoke itself, answering 401 afterwards', async () => {
    const sandbox = await ready();
    const { id, token } = (await create(sandbox, { teamId: ACME_TEAM_ID, name: 'short-lived', role: 'ADMIN' })).json;
    expect((await call(sandbox, 'DELETE', `${TOKENS}/${id}`, { token })).status).toBe(204);
    expectSpringError(await call(sandbox, 'GET', LIST, { token }), 401, 'Unauthorized', TOKENS);
  });

  it('returns 409 given a revoked token', async () => {
    const sandbox = await ready();
    await call(sandbox, 'DELETE', `${TOKENS}/${viewerTokenId}`, admin);
    expect(expectSpringError(await call(sandbox, 'DELETE', `${TOKENS}/${viewerTokenId}`, admin), 409, 'Conflict', `${TOKENS}/${viewerTokenId}`)).toContain('already revoked');
  });

  it("returns 404 given another team's token or an unknown id, and 403 to a BUILDER", async () => {
    const sandbox = await ready();
    const hobbyTokenId = FIXED_TOKENS.find((t) => t.teamId === HOBBY_TEAM_ID)!.id;
    expectSpringError(await call(sandbox, 'DELETE', `${TOKENS}/${hobbyTokenId}`, admin), 404, 'Not Found', `${TOKENS}/${hobbyTokenId}`);
    expectSpringError(await call(sandbox, 'DELETE', `${TOKENS}/nope`, admin), 404, 'Not Found', `${TOKENS}/nope`);
    expectSpringError(await call(sandbox, 'DELETE', `${TOKENS}/${viewerTokenId}`, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', `${TOKENS}/${viewerTokenId}`);
    expect(sandbox.state.db.sdkTokens.all().every((t) => !t.revoked)).toBe(true);
  });
});
