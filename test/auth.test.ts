import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, fixedUser, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';
import { ADMIN, NOW_S, expectError, expect401, cookieParts, me } from './auth-fixtures.ts';

describe('POST /api/auth/login', () => {
  it('returns the user object and sets the httpOnly session cookie', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'sandbox' } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      id: ADMIN.id,
      firstName: 'Ada',
      lastName: 'Admin',
      email: 'admin@acme.test',
      teams: [{ teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', role: 'ADMIN' }],
    });
    const parts = cookieParts(response);
    expect(parts[0]).toMatch(/^access_token=[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(parts).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=86400']));
    expect(parts).not.toContain('Secure');
    const claims = decodeJwt(parts[0]!.slice('access_token='.length));
    expect(claims).toMatchObject({ sub: ADMIN.id, iat: NOW_S, exp: NOW_S + 86_400 });
  });

  it('matches the email case-insensitively', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'Builder@ACME.test', password: 'sandbox' } });
    expect(response.status).toBe(200);
    expect(response.json.email).toBe('builder@acme.test');
  });

  it('gives the same 401 for a wrong password and an unknown email, without a cookie', async () => {
    const sandbox = testSandbox();
    const wrongPassword = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'nope' } });
    const unknownEmail = await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'nobody@acme.test', password: 'sandbox' } });
    const a = expect401(wrongPassword, '/api/auth/login');
    const b = expect401(unknownEmail, '/api/auth/login');
    expect(a).toBe(b);
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
    expect(unknownEmail.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    [{ password: 'sandbox' }, 'email is required'],
    [{ email: '', password: 'sandbox' }, 'email is required'],
    [{ email: 'admin@acme.test' }, 'password is required'],
    [{ email: 'admin@acme.test', password: '' }, 'password is required'],
  ])('returns 400 given a missing field (%j)', async (body, message) => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', { body });
    expect(expectError(response, 400, 'Bad Request', '/api/auth/login')).toBe(message);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('returns 400 given no body at all', async () => {
    const sandbox = testSandbox();
    expectError(await call(sandbox, 'POST', '/api/auth/login'), 400, 'Bad Request', '/api/auth/login');
  });
});

describe('GET /api/auth/me', () => {
  it('returns the user object given the session cookie', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'owner@hobby.test');
    const response = await me(sandbox, { cookie });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      id: fixedUser('owner@hobby.test').id,
      firstName: 'Holly',
      lastName: 'Owner',
      email: 'owner@hobby.test',
      teams: [{ teamId: HOBBY_TEAM_ID, teamName: 'Hobby Lab', role: 'ADMIN' }],
    });
  });

  it("returns the token creator with only the token's team, and the token's effective role there, given an SDK token", async () => {
    const sandbox = testSandbox();
    // Put the Acme admin into Hobby too, so the filter has something to drop.
    await sandbox.ready;
    await sandbox.state.db.memberships.insert({ id: 'extra-membership', teamId: HOBBY_TEAM_ID, userId: ADMIN.id, role: 'VIEWER', joinedAt: TEST_NOW });
    const response = await me(sandbox, { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.json.id).toBe(ADMIN.id);
    // The creator is ADMIN; the token's role (VIEWER) is the lesser, and what its calls are judged by.
    expect(response.json.teams).toEqual([{ teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', role: 'VIEWER' }]);
    for (const [token, role] of [['sdk_sandbox_admin', 'ADMIN'], ['sdk_sandbox_builder', 'BUILDER'], ['sdk_sandbox_operator', 'OPERATOR'], ['sdk_sandbox_compliance', 'COMPLIANCE_OFFICER']] as const) {
      expect((await me(sandbox, { token })).json.teams, token).toEqual([{ teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', role }]);
    }
    const cookie = await login(sandbox, 'admin@acme.test');
    expect((await me(sandbox, { cookie })).json.teams).toHaveLength(2);
  });

  it("follows the creator's role: an ADMIN token of a creator demoted to BUILDER shows BUILDER", async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const membership = sandbox.state.db.memberships.filter((m) => m.teamId === ACME_TEAM_ID && m.userId === ADMIN.id)[0]!;
    // Another ADMIN first, so the demotion does not leave the team without one.
    const builder = fixedUser('builder@acme.test');
    const other = sandbox.state.db.memberships.filter((m) => m.teamId === ACME_TEAM_ID && m.userId === builder.id)[0]!;
    await sandbox.state.db.memberships.update(other.id, { role: 'ADMIN' });
    await sandbox.state.db.memberships.update(membership.id, { role: 'BUILDER' });
    expect((await me(sandbox, { token: 'sdk_sandbox_admin' })).json.teams).toEqual([{ teamId: ACME_TEAM_ID, teamName: 'Acme Robotics', role: 'BUILDER' }]);
  });

  it('accepts the session JWT as a Bearer token', async () => {
    const sandbox = testSandbox();
    const jwt = (await login(sandbox, 'viewer@acme.test')).slice('access_token='.length);
    const response = await me(sandbox, { headers: { authorization: `Bearer ${jwt}` } });
    expect(response.status).toBe(200);
    expect(response.json.email).toBe('viewer@acme.test');
  });
});

describe('POST /api/auth/refresh', () => {
  it('issues a new cookie with a later expiry given a valid session', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    sandbox.clock.advance(5_000);
    const response = await call(sandbox, 'POST', '/api/auth/refresh', { cookie });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ message: 'Token refreshed successfully' });
    const parts = cookieParts(response);
    expect(parts).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=86400']));
    expect(parts[0]).not.toBe(cookie);
    const claims = decodeJwt(parts[0]!.slice('access_token='.length));
    expect(claims.exp).toBe(NOW_S + 5 + 86_400);
    expect((await me(sandbox, { cookie: parts[0] })).status).toBe(200);
  });

  it('keeps a refreshed session alive past the first cookie expiry', async () => {
    const sandbox = testSandbox();
    const first = await login(sandbox, 'admin@acme.test');
    sandbox.clock.advance(23 * 3_600_000);
    const refreshed = cookieParts(await call(sandbox, 'POST', '/api/auth/refresh', { cookie: first }))[0]!;
    sandbox.clock.advance(2 * 3_600_000);
    expect((await me(sandbox, { cookie: refreshed })).status).toBe(200);
    expect(expect401(await me(sandbox, { cookie: first }))).toContain('expired');
  });

  it('returns 401 once the 24 h session has expired', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    sandbox.clock.advance(86_400_001);
    const response = await call(sandbox, 'POST', '/api/auth/refresh', { cookie });
    expect(expect401(response, '/api/auth/refresh')).toContain('expired');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('returns 401 given an SDK token or no credentials', async () => {
    const sandbox = testSandbox();
    expect401(await call(sandbox, 'POST', '/api/auth/refresh', { token: 'sdk_sandbox_admin' }), '/api/auth/refresh');
    expect401(await call(sandbox, 'POST', '/api/auth/refresh'), '/api/auth/refresh');
  });
});

describe('POST /api/auth/logout', () => {
  it('clears the session cookie and confirms', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    const response = await call(sandbox, 'POST', '/api/auth/logout', { cookie });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ message: 'Logged out successfully' });
    const parts = cookieParts(response);
    expect(parts[0]).toBe('access_token=');
    expect(parts).toEqual(expect.arrayContaining(['Max-Age=0', 'Path=/', 'HttpOnly', 'SameSite=Lax']));
  });

  it('answers 200 without a session too', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/logout');
    expect(response.status).toBe(200);
    expect(cookieParts(response)).toContain('Max-Age=0');
  });
});
