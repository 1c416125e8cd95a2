import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, fixedUser } from 'nodeloom-sandbox';
import { banner } from '../src/hosts/banner.ts';
import { call, expectSpringError, login, testSandbox } from './helpers.ts';

/**
 * The COMPLIANCE_OFFICER role (nodeloom-api.md 2.1, self-hosted docs; [INF] wire value): reads what
 * a VIEWER reads plus the audit reads, writes nothing. Fixed identities: compliance@acme.test and
 * sdk_sandbox_compliance. (Every route × this role is in test/rbac-generated.test.ts.)
 */

describe('the COMPLIANCE_OFFICER identities', () => {
  it('logs in as compliance@acme.test with the role in Acme', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'compliance@acme.test', password: 'sandbox' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      id: fixedUser('compliance@acme.test').id,
      firstName: 'Carla',
      lastName: 'Compliance',
      email: 'compliance@acme.test',
      teams: [{ teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', role: 'COMPLIANCE_OFFICER' }],
    });
  });

  it('authenticates sdk_sandbox_compliance with the role in Acme', async () => {
    const response = await call(testSandbox(), 'GET', '/api/teams', { token: 'sdk_sandbox_compliance' });
    expect(response.json).toEqual([expect.objectContaining({ id: ACME_TEAM_ID, role: 'COMPLIANCE_OFFICER' })]);
  });

  it('lists both in /__sandbox/identities and the start banner', async () => {
    const { json } = await call(testSandbox(), 'GET', '/__sandbox/identities');
    expect(json.users).toContainEqual(expect.objectContaining({ email: 'compliance@acme.test', role: 'COMPLIANCE_OFFICER', teamId: ACME_TEAM_ID, password: 'sandbox' }));
    expect(json.tokens).toContainEqual(expect.objectContaining({ token: 'sdk_sandbox_compliance', role: 'COMPLIANCE_OFFICER', teamId: ACME_TEAM_ID }));
    const text = banner('http://127.0.0.1:4010', 1);
    expect(text).toMatch(/compliance@acme\.test +COMPLIANCE_OFFICER +Acme Robotics/);
    expect(text).toMatch(/sdk_sandbox_compliance +COMPLIANCE_OFFICER +Acme Robotics/);
  });
});

describe('what a COMPLIANCE_OFFICER may do', () => {
  it('reads workflows, executions and the team like a VIEWER', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'compliance@acme.test');
    for (const path of [`/api/workflows?teamId=${ACME_TEAM_ID}`, `/api/executions/team/${ACME_TEAM_ID}`, `/api/teams/${ACME_TEAM_ID}`]) {
      expect((await call(sandbox, 'GET', path, { cookie })).status, path).toBe(200);
      expect((await call(sandbox, 'GET', path, { token: 'sdk_sandbox_compliance' })).status, path).toBe(200);
    }
  });

  it('gets 403 for writes, credentials, members and tokens, naming its role', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'compliance@acme.test');
    const denied = await call(sandbox, 'POST', '/api/workflows', { cookie, body: { name: 'x', teamId: ACME_TEAM_ID } });
    expect(expectSpringError(denied, 403, 'Forbidden', '/api/workflows')).toContain('you have COMPLIANCE_OFFICER');
    for (const path of [`/api/credentials?teamId=${ACME_TEAM_ID}`, `/api/teams/${ACME_TEAM_ID}/members`, `/api/sdk/tokens?teamId=${ACME_TEAM_ID}`]) {
      expectSpringError(await call(sandbox, 'GET', path, { token: 'sdk_sandbox_compliance' }), 403, 'Forbidden', path.split('?')[0]!);
    }
  });
});
