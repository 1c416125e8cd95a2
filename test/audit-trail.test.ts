import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { verifyChain } from '../src/resources/audit/chain.ts';
import { call, login, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };
const auditOf = (sandbox: ReturnType<typeof testSandbox>, teamId: string) => sandbox.state.db.auditLogs.filter((e) => e.teamId === teamId);

describe('the audit step of the pipeline', () => {
  it('records one entry with actor, team, address and details for a successful write', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const before = auditOf(sandbox, ACME_TEAM_ID).length;
    const created = await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Audited', teamId: ACME_TEAM_ID }, clientAddress: '10.0.0.7' });
    expect(created.status).toBe(201);
    const entries = auditOf(sandbox, ACME_TEAM_ID);
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({
      teamId: ACME_TEAM_ID,
      action: 'WORKFLOW_CREATED',
      resourceType: 'WORKFLOW',
      resourceId: created.json.id,
      userId: '00000000-0000-4000-8000-0000000a0001',
      userName: 'Ada Admin',
      ipAddress: '10.0.0.7',
      details: { workflowName: 'Audited' },
      createdAt: '2026-11-01T12:00:00.000Z',
    });
    expect(verifyChain(entries).valid).toBe(true);
  });

  it('records nothing for a refused, invalid or failed write', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const before = sandbox.state.db.auditLogs.count();
    expect((await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_viewer', body: { name: 'x', teamId: ACME_TEAM_ID } })).status).toBe(403);
    expect((await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { teamId: ACME_TEAM_ID } })).status).toBe(400);
    expect((await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'x', teamId: ACME_TEAM_ID }, headers: { 'x-sandbox-scenario': 'server-error' } })).status).toBe(500);
    expect((await call(sandbox, 'DELETE', '/api/workflows/nope', admin)).status).toBe(404);
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });

  it('records a login in each of the user\'s teams and a logout with a session', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const cookie = await login(sandbox, 'owner@hobby.test');
    expect(auditOf(sandbox, HOBBY_TEAM_ID).at(-1)).toMatchObject({ action: 'USER_LOGIN', userName: 'Holly Owner', resourceType: 'USER' });
    expect((await call(sandbox, 'POST', '/api/auth/logout', { cookie })).status).toBe(200);
    expect(auditOf(sandbox, HOBBY_TEAM_ID).at(-1)).toMatchObject({ action: 'USER_LOGOUT', userName: 'Holly Owner' });
    const count = sandbox.state.db.auditLogs.count();
    expect((await call(sandbox, 'POST', '/api/auth/logout')).status).toBe(200);
    expect(sandbox.state.db.auditLogs.count()).toBe(count);
    expect(verifyChain(auditOf(sandbox, HOBBY_TEAM_ID)).valid).toBe(true);
  });

  it('records nothing with audit switched off (the bench baseline)', async () => {
    const sandbox = testSandbox({ audit: false });
    await sandbox.ready;
    const before = sandbox.state.db.auditLogs.count();
    expect((await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Quiet', teamId: ACME_TEAM_ID } })).status).toBe(201);
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });
});
