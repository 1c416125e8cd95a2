import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, FIXED_TOKENS } from 'nodeloom-sandbox';
import { call, login, testSandbox } from './helpers.ts';
import { ADMIN, NOW_S, expect401, base64url, me } from './auth-fixtures.ts';

describe('401 for bad credentials', () => {
  it('returns 401 given no credentials, telling how to authenticate', async () => {
    const sandbox = testSandbox();
    const message = expect401(await me(sandbox, {}));
    expect(message).toContain('POST /api/auth/login');
    expect(message).toContain('sdk_sandbox_admin');
  });

  it.each(['Basic YWRtaW46c2FuZGJveA==', 'Bearer', 'Bearer a b', 'sdk_sandbox_admin', 'Token sdk_sandbox_admin'])(
    'returns 401 given a malformed Authorization header (%s)',
    async (authorization) => {
      const sandbox = testSandbox();
      expect(expect401(await me(sandbox, { headers: { authorization } }))).toContain('Bearer');
    },
  );

  it('returns 401 given an unknown sdk_ token', async () => {
    const sandbox = testSandbox();
    expect(expect401(await me(sandbox, { token: 'sdk_does_not_exist' }))).toContain('Unknown SDK token');
  });

  it('returns 401 given a revoked token', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    await sandbox.state.db.sdkTokens.update(FIXED_TOKENS[0]!.id, { revoked: true });
    expect(expect401(await me(sandbox, { token: 'sdk_sandbox_admin' }))).toContain('revoked');
    expect((await me(sandbox, { token: 'sdk_sandbox_builder' })).status).toBe(200);
  });

  it('returns 401 given a token whose creator left the team', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const removed = await sandbox.state.db.memberships.deleteWhere((m) => m.userId === ADMIN.id && m.teamId === ACME_TEAM_ID);
    expect(removed).toBe(1);
    expect(expect401(await me(sandbox, { token: 'sdk_sandbox_viewer' }))).toContain('no longer valid');
    expect((await me(sandbox, { token: 'sdk_sandbox_hobby' })).status).toBe(200);
  });

  it('returns 401 given an expired session cookie or bearer JWT', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    sandbox.clock.advance(86_400_001);
    expect(expect401(await me(sandbox, { cookie }))).toContain('expired');
    const jwt = cookie.slice('access_token='.length);
    expect(expect401(await me(sandbox, { headers: { authorization: `Bearer ${jwt}` } }))).toContain('expired');
  });

  it('accepts a session until its last second', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    sandbox.clock.advance(86_399_999);
    expect((await me(sandbox, { cookie })).status).toBe(200);
  });

  it('returns 401 given a JWT signed with another key', async () => {
    const sandbox = testSandbox();
    const forged = await new SignJWT({ email: ADMIN.email })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(ADMIN.id)
      .setIssuer('nodeloom-sandbox')
      .setIssuedAt(NOW_S)
      .setExpirationTime(NOW_S + 3_600)
      .sign(new TextEncoder().encode('not-the-sandbox-key-not-the-sandbox-key-0123456'));
    expect(expect401(await me(sandbox, { cookie: `access_token=${forged}` }))).toContain('not a valid sandbox session');
    expect401(await me(sandbox, { headers: { authorization: `Bearer ${forged}` } }));
  });

  it('returns 401 given an alg:none JWT', async () => {
    const sandbox = testSandbox();
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      sub: ADMIN.id,
      email: ADMIN.email,
      iss: 'nodeloom-sandbox',
      iat: NOW_S,
      exp: NOW_S + 3_600,
    })}.`;
    expect401(await me(sandbox, { cookie: `access_token=${unsigned}` }));
    expect401(await me(sandbox, { headers: { authorization: `Bearer ${unsigned}` } }));
  });

  it('returns 401 given a correctly signed JWT for a user that does not exist', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const ghost = await new SignJWT({ email: 'ghost@acme.test' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('ghost-user')
      .setIssuer('nodeloom-sandbox')
      .setIssuedAt(NOW_S)
      .setExpirationTime(NOW_S + 3_600)
      .sign(sandbox.state.jwtKey);
    expect(expect401(await me(sandbox, { cookie: `access_token=${ghost}` }))).toContain('does not exist');
  });

  it.each(['garbage', 'a.b.c', '%%%'])('returns 401 given garbage in the session cookie (%s)', async (value) => {
    const sandbox = testSandbox();
    expect401(await me(sandbox, { cookie: `theme=dark; access_token=${value}` }));
  });

  it('returns 401 given a bad Authorization header even with a valid cookie (no fallback)', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'admin@acme.test');
    expect401(await me(sandbox, { cookie, token: 'sdk_does_not_exist' }));
  });

  it('lets a public route through with bad credentials', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'POST', '/api/auth/login', {
      token: 'sdk_does_not_exist',
      body: { email: 'admin@acme.test', password: 'sandbox' },
    });
    expect(response.status).toBe(200);
  });
});
