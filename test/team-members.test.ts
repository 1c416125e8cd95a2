import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, fixedUser, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { call, expectSpringError, login, TEST_NOW, testSandbox } from './helpers.ts';

/** Team members: `/api/teams/:teamId/members[/:userId]` (nodeloom-api.md 3.9 #6-#9, [INF] beyond the list). */

const admin = { token: 'sdk_sandbox_admin' };
const MEMBERS = `/api/teams/${ACME_TEAM_ID}/members`;
const member = (userId: string) => `${MEMBERS}/${userId}`;
const ADMIN_ID = fixedUser('admin@acme.test').id;
const BUILDER_ID = fixedUser('builder@acme.test').id;

async function ready() {
  const sandbox = testSandbox();
  await sandbox.ready;
  return sandbox;
}
type S = Awaited<ReturnType<typeof ready>>;
const lastAudit = (sandbox: S, teamId = ACME_TEAM_ID) => sandbox.state.db.auditLogs.filter((e) => e.teamId === teamId).at(-1);

describe('GET /api/teams/:teamId/members', () => {
  it('returns every member, earliest joined first, to an ADMIN', async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'GET', MEMBERS, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toHaveLength(sandbox.state.db.memberships.filter((m) => m.teamId === ACME_TEAM_ID).length);
    expect(response.json).toContainEqual({ userId: ADMIN_ID, email: 'admin@acme.test', firstName: 'Ada', lastName: 'Admin', role: 'ADMIN', joinedAt: '2025-08-18T12:00:00.000Z' });
    expect(response.json).toContainEqual(expect.objectContaining({ email: 'compliance@acme.test', role: 'COMPLIANCE_OFFICER' }));
    const joined = response.json.map((m: { joinedAt: string }) => m.joinedAt);
    expect(joined).toEqual([...joined].sort());
  });

  it('returns 403 to a BUILDER and to another team, with the RBAC decision journaled', async () => {
    const sandbox = await ready();
    expect(expectSpringError(await call(sandbox, 'GET', MEMBERS, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', MEMBERS)).toContain('ADMIN');
    expect(sandbox.journal.list({ limit: 1 })[0]!.rbac).toEqual({ teamId: ACME_TEAM_ID, role: 'BUILDER', permission: 'members:manage', allowed: false });
    expectSpringError(await call(sandbox, 'GET', MEMBERS, { token: 'sdk_sandbox_hobby' }), 403, 'Forbidden', MEMBERS);
  });
});

describe('POST /api/teams/:teamId/members', () => {
  it('adds an existing user by email with a role: 201 Member, and records MEMBER_ADDED', async () => {
    const sandbox = await ready();
    const holly = fixedUser('owner@hobby.test');
    const response = await call(sandbox, 'POST', MEMBERS, { ...admin, body: { email: 'Owner@Hobby.test', role: 'OPERATOR' } });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ userId: holly.id, email: 'owner@hobby.test', firstName: 'Holly', lastName: 'Owner', role: 'OPERATOR', joinedAt: TEST_NOW });
    expect(lastAudit(sandbox)).toMatchObject({ action: 'MEMBER_ADDED', resourceType: 'MEMBER', resourceId: holly.id, details: { email: 'owner@hobby.test', role: 'OPERATOR', invited: false } });
    // At once: the new member sees the team and acts in it with the role.
    const cookie = await login(sandbox, 'owner@hobby.test');
    expect((await call(sandbox, 'GET', '/api/teams', { cookie })).json.map((t: { id: string; role: string }) => [t.id, t.role])).toEqual([
      [HOBBY_TEAM_ID, 'ADMIN'],
      [ACME_TEAM_ID, 'OPERATOR'],
    ]);
    expect((await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { cookie })).status).toBe(200);
  });

  it('invites an email no user has: a new user with a seeded id, who cannot log in', async () => {
    const ids: string[] = [];
    for (const sandbox of [await ready(), await ready()]) {
      const response = await call(sandbox, 'POST', MEMBERS, { ...admin, body: { email: 'new.hire@acme.test', role: 'VIEWER' } });
      expect(response.status).toBe(201);
      expect(response.json).toEqual({ userId: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'new.hire@acme.test', firstName: '', lastName: '', role: 'VIEWER', joinedAt: TEST_NOW });
      expect(lastAudit(sandbox)!.details).toEqual({ email: 'new.hire@acme.test', role: 'VIEWER', invited: true });
      expect((await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'new.hire@acme.test', password: 'sandbox' } })).status).toBe(401);
      ids.push(response.json.userId);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('returns 409 given a user who is already a member', async () => {
    const sandbox = await ready();
    const count = sandbox.state.db.memberships.count();
    const message = expectSpringError(await call(sandbox, 'POST', MEMBERS, { ...admin, body: { email: 'builder@acme.test', role: 'VIEWER' } }), 409, 'Conflict', MEMBERS);
    expect(message).toContain(`PUT ${MEMBERS}/${BUILDER_ID}`);
    expect(sandbox.state.db.memberships.count()).toBe(count);
  });

  it.each([
    [{ email: 'x@acme.test', role: 'OWNER' }, 'role must be one of ADMIN, BUILDER, OPERATOR, VIEWER, COMPLIANCE_OFFICER, got "OWNER"'],
    [{ email: 'x@acme.test' }, 'role is required: role must be one of ADMIN, BUILDER, OPERATOR, VIEWER, COMPLIANCE_OFFICER'],
    [{ role: 'VIEWER' }, 'email is required: the address of the user to add'],
    [{ email: 'not-an-email', role: 'VIEWER' }, 'email must be an email address such as new.member@acme.test'],
  ])('returns 400 given %j', async (body, message) => {
    const sandbox = await ready();
    expect(expectSpringError(await call(sandbox, 'POST', MEMBERS, { ...admin, body }), 400, 'Bad Request', MEMBERS)).toBe(message);
  });
});

describe('PUT /api/teams/:teamId/members/:userId', () => {
  it("changes a member's role: 200 Member, MEMBER_ROLE_CHANGED with from and to", async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'ADMIN' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ userId: BUILDER_ID, email: 'builder@acme.test', firstName: 'Bob', lastName: 'Builder', role: 'ADMIN', joinedAt: '2025-08-19T12:00:00.000Z' });
    expect(lastAudit(sandbox)).toMatchObject({ action: 'MEMBER_ROLE_CHANGED', resourceType: 'MEMBER', resourceId: BUILDER_ID, details: { email: 'builder@acme.test', from: 'BUILDER', to: 'ADMIN' } });
  });

  it('records nothing when the role is unchanged', async () => {
    const sandbox = await ready();
    const count = sandbox.state.db.auditLogs.count();
    expect((await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'BUILDER' } })).json.role).toBe('BUILDER');
    expect(sandbox.state.db.auditLogs.count()).toBe(count);
  });

  it('returns 409 when it would demote the last ADMIN, and allows it once there is another', async () => {
    const sandbox = await ready();
    const message = expectSpringError(await call(sandbox, 'PUT', member(ADMIN_ID), { ...admin, body: { role: 'VIEWER' } }), 409, 'Conflict', member(ADMIN_ID));
    expect(message).toContain('last ADMIN');
    expect(sandbox.state.directory.roleIn(ACME_TEAM_ID, ADMIN_ID)).toBe('ADMIN');
    await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'ADMIN' } });
    expect((await call(sandbox, 'PUT', member(ADMIN_ID), { token: 'sdk_sandbox_builder', body: { role: 'VIEWER' } })).status).toBe(403); // builder token: lesser of BUILDER and ADMIN
    const cookie = await login(sandbox, 'builder@acme.test');
    expect((await call(sandbox, 'PUT', member(ADMIN_ID), { cookie, body: { role: 'VIEWER' } })).json.role).toBe('VIEWER');
  });

  it('returns 404 given a user who is not a member, and 400 given an unknown role', async () => {
    const sandbox = await ready();
    const hobbyOwner = fixedUser('owner@hobby.test').id;
    expect(expectSpringError(await call(sandbox, 'PUT', member(hobbyOwner), { ...admin, body: { role: 'VIEWER' } }), 404, 'Not Found', member(hobbyOwner))).toContain(`GET ${MEMBERS}`);
    expect(expectSpringError(await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'SUPERUSER' } }), 400, 'Bad Request', member(BUILDER_ID))).toContain('ADMIN, BUILDER, OPERATOR, VIEWER, COMPLIANCE_OFFICER');
  });
});

describe('DELETE /api/teams/:teamId/members/:userId', () => {
  it('removes a member: 204 without a body, MEMBER_REMOVED recorded', async () => {
    const sandbox = await ready();
    const response = await call(sandbox, 'DELETE', member(BUILDER_ID), admin);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await call(sandbox, 'GET', MEMBERS, admin)).json.map((m: { userId: string }) => m.userId)).not.toContain(BUILDER_ID);
    expect(lastAudit(sandbox)).toMatchObject({ action: 'MEMBER_REMOVED', resourceType: 'MEMBER', resourceId: BUILDER_ID, details: { email: 'builder@acme.test', role: 'BUILDER' } });
  });

  it('returns 409 given the last ADMIN, and 404 given a non-member', async () => {
    const sandbox = await ready();
    expectSpringError(await call(sandbox, 'DELETE', member(ADMIN_ID), admin), 409, 'Conflict', member(ADMIN_ID));
    expectSpringError(await call(sandbox, 'DELETE', member('nobody'), admin), 404, 'Not Found', member('nobody'));
    expect(sandbox.state.directory.roleIn(ACME_TEAM_ID, ADMIN_ID)).toBe('ADMIN');
  });
});

describe('membership changes take effect at once', () => {
  it("judges a demoted member's next call by the new role", async () => {
    const sandbox = await ready();
    const cookie = await login(sandbox, 'builder@acme.test');
    const create = { cookie, body: { name: 'Before demotion', teamId: ACME_TEAM_ID } };
    expect((await call(sandbox, 'POST', '/api/workflows', create)).status).toBe(201);
    await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'VIEWER' } });
    expect(expectSpringError(await call(sandbox, 'POST', '/api/workflows', create), 403, 'Forbidden', '/api/workflows')).toContain('you have VIEWER');
    expect(sandbox.journal.list({ limit: 1 })[0]!.rbac).toEqual({ teamId: ACME_TEAM_ID, role: 'VIEWER', permission: 'workflows:manage', allowed: false });
  });

  it("makes an SDK token follow its creator's new role (the lesser of the two)", async () => {
    const sandbox = await ready();
    const workflowId = sandbox.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id;
    await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'ADMIN' } });
    // The Acme admin, creator of sdk_sandbox_admin, becomes an OPERATOR.
    expect((await call(sandbox, 'PUT', member(ADMIN_ID), { ...admin, body: { role: 'OPERATOR' } })).status).toBe(200);
    const denied = expectSpringError(await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'x', teamId: ACME_TEAM_ID } }), 403, 'Forbidden', '/api/workflows');
    expect(denied).toContain('you have OPERATOR (effective role of SDK token "sandbox-admin")');
    expect((await call(sandbox, 'POST', `/api/workflows/${workflowId}/execute`, { ...admin, body: {} })).status).toBe(200);
    expect((await call(sandbox, 'GET', '/api/teams', admin)).json[0].role).toBe('OPERATOR');
  });

  it("answers 404 on the team's resources and 403 on its lists to a removed member", async () => {
    const sandbox = await ready();
    const workflowId = sandbox.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id;
    const cookie = await login(sandbox, 'viewer@acme.test');
    expect((await call(sandbox, 'GET', `/api/workflows/${workflowId}`, { cookie })).status).toBe(200);
    await call(sandbox, 'DELETE', member(fixedUser('viewer@acme.test').id), admin);
    expectSpringError(await call(sandbox, 'GET', `/api/workflows/${workflowId}`, { cookie }), 404, 'Not Found', `/api/workflows/${workflowId}`);
    expectSpringError(await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { cookie }), 403, 'Forbidden', '/api/workflows');
    expect((await call(sandbox, 'GET', '/api/teams', { cookie })).json).toEqual([]);
  });

  it('answers 401 to a token whose creator left the team', async () => {
    const sandbox = await ready();
    await call(sandbox, 'PUT', member(BUILDER_ID), { ...admin, body: { role: 'ADMIN' } });
    expect((await call(sandbox, 'DELETE', member(ADMIN_ID), { token: 'sdk_sandbox_builder' })).status).toBe(403); // lesser of BUILDER and ADMIN
    expect((await call(sandbox, 'DELETE', member(ADMIN_ID), { cookie: await login(sandbox, 'builder@acme.test') })).status).toBe(204);
    for (const token of ['sdk_sandbox_admin', 'sdk_sandbox_viewer', 'sdk_sandbox_compliance']) {
      expect(expectSpringError(await call(sandbox, 'GET', '/api/teams', { token }), 401, 'Unauthorized', '/api/teams')).toContain('no longer valid');
    }
  });
});
