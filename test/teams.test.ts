import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, fixedUser, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { verifyChain } from '../src/resources/audit/chain.ts';
import { call, expectSpringError, login, TEST_NOW, testSandbox } from './helpers.ts';

/** Teams: `/api/teams` and `/api/teams/:teamId` (nodeloom-api.md 3.9 #1-#5). */

const ACME_CREATED = '2025-08-08T12:00:00.000Z';
const admin = { token: 'sdk_sandbox_admin' };
const teamPath = (id: string) => `/api/teams/${id}`;

async function ready() {
  const sandbox = testSandbox();
  await sandbox.ready;
  return sandbox;
}

/** How many records of each table (audit trail aside) belong to a team. */
function ownedCounts(sandbox: Awaited<ReturnType<typeof ready>>, teamId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(sandbox.state.db)) {
    if (name === 'auditLogs') continue;
    counts[name] = (table.all() as ReadonlyArray<{ teamId?: string }>).filter((r) => r.teamId === teamId).length;
  }
  return counts;
}

describe('GET /api/teams', () => {
  it("returns the caller's teams with the caller's role and the team's plan", async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'GET', '/api/teams', { cookie: await login(sandbox, 'builder@acme.test') });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const memberCount = sandbox.state.db.memberships.filter((m) => m.teamId === ACME_TEAM_ID).length;
    expect(response.json).toEqual([{ id: ACME_TEAM_ID, name: 'Acme Robotics', memberCount, plan: 'BUSINESS', role: 'BUILDER', createdAt: ACME_CREATED }]);
  });

  it('returns every team of a user in several teams, each with its own role', async () => {
    const sandbox = await ready();
    await sandbox.state.db.memberships.insert({ id: 'm-extra', teamId: HOBBY_TEAM_ID, userId: fixedUser('viewer@acme.test').id, role: 'OPERATOR', joinedAt: TEST_NOW });
    const response = await call(sandbox, 'GET', '/api/teams', { cookie: await login(sandbox, 'viewer@acme.test') });
    expect(response.json.map((t: { id: string; role: string; plan: string }) => [t.id, t.role, t.plan])).toEqual([
      [ACME_TEAM_ID, 'VIEWER', 'BUSINESS'],
      [HOBBY_TEAM_ID, 'OPERATOR', 'FREE'],
    ]);
  });

  it("returns only an SDK token's own team, with the token's effective role", async () => {
    const sandbox = await ready();
    await sandbox.state.db.memberships.insert({ id: 'm-extra', teamId: HOBBY_TEAM_ID, userId: fixedUser('admin@acme.test').id, role: 'ADMIN', joinedAt: TEST_NOW });
    const response = await call(sandbox, 'GET', '/api/teams', { token: 'sdk_sandbox_operator' });
    expect(response.status).toBe(200);
    expect(response.json.map((t: { id: string; role: string }) => [t.id, t.role])).toEqual([[ACME_TEAM_ID, 'OPERATOR']]);
  });

  it('returns 401 without credentials', async () => {
    expectSpringError(await call(await ready(), 'GET', '/api/teams'), 401, 'Unauthorized', '/api/teams');
  });
});

describe('GET /api/teams/:teamId', () => {
  it('returns the team with its member, workflow and credential counts to any member', async () => {
    const sandbox = await ready();
    const { db } = sandbox.state;
    const response = await call(sandbox, 'GET', teamPath(ACME_TEAM_ID), { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      id: ACME_TEAM_ID,
      name: 'Acme Robotics',
      description: 'Warehouse robotics and AI-assisted support operations.',
      memberCount: db.memberships.filter((m) => m.teamId === ACME_TEAM_ID).length,
      plan: 'BUSINESS',
      workflowCount: db.workflows.filter((w) => w.teamId === ACME_TEAM_ID).length,
      credentialCount: db.credentials.filter((c) => c.teamId === ACME_TEAM_ID).length,
      createdAt: ACME_CREATED,
      updatedAt: ACME_CREATED,
    });
    expect(response.json.workflowCount).toBeGreaterThan(0);
  });

  it('returns 404 given a team the caller is not in, and given an unknown id', async () => {
    const sandbox = await ready();
    expect(expectSpringError(await call(sandbox, 'GET', teamPath(HOBBY_TEAM_ID), admin), 404, 'Not Found', teamPath(HOBBY_TEAM_ID))).toBe(`Team ${HOBBY_TEAM_ID} not found.`);
    expectSpringError(await call(sandbox, 'GET', teamPath('no-such-team'), admin), 404, 'Not Found', teamPath('no-such-team'));
  });
});

describe('POST /api/teams', () => {
  it('creates a FREE team, answers 201 and makes the creating user its ADMIN', async () => {
    const sandbox = await ready();
    const cookie = await login(sandbox, 'viewer@acme.test');
    const created = await call(sandbox, 'POST', '/api/teams', { cookie, body: { name: '  Side Project ', description: 'Weekend work' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Side Project', description: 'Weekend work', createdAt: TEST_NOW });
    const teams = await call(sandbox, 'GET', '/api/teams', { cookie });
    expect(teams.json).toContainEqual({ id: created.json.id, name: 'Side Project', memberCount: 1, plan: 'FREE', role: 'ADMIN', createdAt: TEST_NOW });
    // The creator can administer it at once.
    expect((await call(sandbox, 'GET', `${teamPath(created.json.id)}/members`, { cookie })).json).toEqual([
      expect.objectContaining({ userId: fixedUser('viewer@acme.test').id, role: 'ADMIN', joinedAt: TEST_NOW }),
    ]);
  });

  it('records TEAM_CREATED in the new team', async () => {
    const sandbox = await ready();
    const created = await call(sandbox, 'POST', '/api/teams', { cookie: await login(sandbox, 'admin@acme.test'), body: { name: 'Audited team' } });
    const entries = sandbox.state.db.auditLogs.filter((e) => e.teamId === created.json.id);
    expect(entries).toEqual([expect.objectContaining({ action: 'TEAM_CREATED', resourceType: 'TEAM', resourceId: created.json.id, userName: 'Ada Admin', details: { teamName: 'Audited team' } })]);
    expect(verifyChain(entries).valid).toBe(true);
  });

  it('gives the same team id for the same seed and requests', async () => {
    const ids = [];
    for (const sandbox of [await ready(), await ready()]) {
      ids.push((await call(sandbox, 'POST', '/api/teams', { cookie: await login(sandbox, 'admin@acme.test'), body: { name: 'Twin' } })).json.id);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('returns 400 given no name, with description null by default otherwise', async () => {
    const sandbox = await ready();
    const cookie = await login(sandbox, 'admin@acme.test');
    expect(expectSpringError(await call(sandbox, 'POST', '/api/teams', { cookie, body: { name: '  ' } }), 400, 'Bad Request', '/api/teams')).toBe('Team name is required');
    expect((await call(sandbox, 'POST', '/api/teams', { cookie, body: { name: 'No description' } })).json.description).toBeNull();
  });

  it('returns 403 given an SDK token: a token acts only in its own team', async () => {
    const sandbox = await ready();
    const before = sandbox.state.db.teams.count();
    const message = expectSpringError(await call(sandbox, 'POST', '/api/teams', { ...admin, body: { name: 'By token' } }), 403, 'Forbidden', '/api/teams');
    expect(message).toContain('POST /api/auth/login');
    expect(sandbox.state.db.teams.count()).toBe(before);
  });
});

describe('PUT /api/teams/:teamId', () => {
  it('updates name and description, moves updatedAt and records TEAM_UPDATED', async () => {
    const sandbox = await ready();
    sandbox.clock.advance('1h');
    const response = await call(sandbox, 'PUT', teamPath(ACME_TEAM_ID), { ...admin, body: { name: 'Acme Robotics GmbH', description: null } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: ACME_TEAM_ID, name: 'Acme Robotics GmbH', description: null, plan: 'BUSINESS', createdAt: ACME_CREATED, updatedAt: '2026-11-01T13:00:00.000Z' });
    expect((await call(sandbox, 'GET', '/api/teams', admin)).json[0].name).toBe('Acme Robotics GmbH');
    expect(sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID).at(-1)).toMatchObject({ action: 'TEAM_UPDATED', resourceType: 'TEAM', resourceId: ACME_TEAM_ID });
  });

  it('keeps updatedAt when nothing changes', async () => {
    const sandbox = await ready();
    sandbox.clock.advance('1h');
    const response = await call(sandbox, 'PUT', teamPath(ACME_TEAM_ID), { ...admin, body: { name: 'Acme Robotics' } });
    expect(response.json.updatedAt).toBe(ACME_CREATED);
  });

  it('returns 403 to a BUILDER and 400 given an empty name', async () => {
    const sandbox = await ready();
    const denied = expectSpringError(await call(sandbox, 'PUT', teamPath(ACME_TEAM_ID), { token: 'sdk_sandbox_builder', body: { name: 'x' } }), 403, 'Forbidden', teamPath(ACME_TEAM_ID));
    expect(denied).toContain('ADMIN');
    expectSpringError(await call(sandbox, 'PUT', teamPath(ACME_TEAM_ID), { ...admin, body: { name: '' } }), 400, 'Bad Request', teamPath(ACME_TEAM_ID));
    expect(sandbox.state.db.teams.get(ACME_TEAM_ID)!.name).toBe('Acme Robotics');
  });
});

describe('DELETE /api/teams/:teamId', () => {
  it('answers 200 with the documented message', async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'DELETE', teamPath(ACME_TEAM_ID), admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toEqual({ message: 'Team deleted successfully' });
    expect(sandbox.state.db.teams.get(ACME_TEAM_ID)).toBeUndefined();
  });

  it('deletes every record of every table with a teamId, and leaves other teams alone', async () => {
    const sandbox = await ready();
    const hobbyBefore = ownedCounts(sandbox, HOBBY_TEAM_ID);
    const acmeBefore = ownedCounts(sandbox, ACME_TEAM_ID);
    expect(acmeBefore).toMatchObject({ memberships: expect.any(Number), sdkTokens: 5, workflows: expect.any(Number), executions: expect.any(Number), credentials: expect.any(Number) });
    expect((await call(sandbox, 'DELETE', teamPath(ACME_TEAM_ID), admin)).status).toBe(200);
    const acmeAfter = ownedCounts(sandbox, ACME_TEAM_ID);
    expect(Object.values(acmeAfter).every((n) => n === 0)).toBe(true);
    expect(ownedCounts(sandbox, HOBBY_TEAM_ID)).toEqual(hobbyBefore);
    // Users stay, without the team.
    expect(sandbox.state.db.users.get(fixedUser('builder@acme.test').id)).toBeDefined();
  });

  it("ends the team's tokens and memberships: its token answers 401, its members see no team", async () => {
    const sandbox = await ready();
    const cookie = await login(sandbox, 'builder@acme.test');
    await call(sandbox, 'DELETE', teamPath(ACME_TEAM_ID), admin);
    expectSpringError(await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' }), 401, 'Unauthorized', '/api/auth/me');
    expect((await call(sandbox, 'GET', '/api/teams', { cookie })).json).toEqual([]);
    expectSpringError(await call(sandbox, 'GET', teamPath(ACME_TEAM_ID), { cookie }), 404, 'Not Found', teamPath(ACME_TEAM_ID));
  });

  it("keeps the team's audit trail and appends TEAM_DELETED to it", async () => {
    const sandbox = await ready();
    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Before the end', teamId: ACME_TEAM_ID } });
    const before = sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID).length;
    await call(sandbox, 'DELETE', teamPath(ACME_TEAM_ID), admin);
    const entries = sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID);
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ action: 'TEAM_DELETED', resourceType: 'TEAM', resourceId: ACME_TEAM_ID, details: { teamName: 'Acme Robotics' } });
    expect(verifyChain(entries).valid).toBe(true);
  });

  it('returns 403 to a BUILDER and 404 given another team, deleting nothing', async () => {
    const sandbox = await ready();
    expectSpringError(await call(sandbox, 'DELETE', teamPath(ACME_TEAM_ID), { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', teamPath(ACME_TEAM_ID));
    expectSpringError(await call(sandbox, 'DELETE', teamPath(HOBBY_TEAM_ID), admin), 404, 'Not Found', teamPath(HOBBY_TEAM_ID));
    expect(sandbox.state.db.teams.count()).toBe(2);
  });
});
