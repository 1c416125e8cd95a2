import type { SandboxState } from '../state.ts';
import { HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';
import { readSessionCookie, verifySession } from './session.ts';

/**
 * Finds the caller from the request's credentials (nodeloom-api.md 1.2, mock rules [INF]):
 * `Authorization: Bearer sdk_...` → token principal; else `Bearer <jwt>` or the session cookie →
 * user principal; no credentials → null. Credentials that are present but bad (unknown or revoked
 * token, token whose creator left the team, malformed/expired/wrongly signed/`alg:none` JWT) yield
 * a 401 {@link HttpError} instead of a principal. A wrong credential never falls back to another.
 */
export async function authenticate(
  request: Request,
  state: SandboxState,
): Promise<{ principal: Principal | null; error: HttpError | null }> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      return fail('The Authorization header must be "Bearer <token>", e.g. "Authorization: Bearer sdk_sandbox_admin".');
    }
    const credential = match[1]!;
    if (credential.startsWith('sdk_')) return authenticateToken(credential, state);
    return authenticateJwt(credential, state, 'bearer');
  }
  const jwt = readSessionCookie(request.headers.get('cookie'));
  if (jwt !== undefined) return authenticateJwt(jwt, state, 'cookie');
  return { principal: null, error: null };
}

function fail(message: string) {
  return { principal: null, error: new HttpError(401, message) };
}

function authenticateToken(value: string, state: SandboxState) {
  const token = state.db.sdkTokens.all().find((t) => t.token === value);
  if (!token) return fail('Unknown SDK token. Use one of the sandbox tokens (GET /__sandbox/identities or the README), e.g. sdk_sandbox_admin.');
  if (token.revoked) return fail(`SDK token "${token.name}" has been revoked. Create a new token or use sdk_sandbox_admin.`);
  const creator = state.db.users.get(token.createdBy);
  const stillMember = state.db.memberships.all().some((m) => m.teamId === token.teamId && m.userId === token.createdBy);
  if (!creator || !stillMember) {
    // nodeloom-api.md 2.3 [INF]: the creator is no longer in the team, so the token is invalid.
    return fail(`SDK token "${token.name}" is no longer valid: the user who created it is not a member of its team.`);
  }
  return { principal: { kind: 'token', token, creator } as Principal, error: null };
}

async function authenticateJwt(jwt: string, state: SandboxState, via: 'cookie' | 'bearer') {
  const result = await verifySession(jwt, state.clock.now(), state.jwtKey);
  const where = via === 'cookie' ? 'session cookie' : 'bearer JWT';
  if ('failure' in result) {
    return fail(
      result.failure === 'expired'
        ? `Your ${where} has expired. Log in again with POST /api/auth/login.`
        : `The ${where} is not a valid sandbox session. Log in with POST /api/auth/login, or send Authorization: Bearer sdk_sandbox_admin.`,
    );
  }
  const user = state.db.users.get(result.userId);
  if (!user) return fail(`The ${where} names a user that does not exist. Log in again with POST /api/auth/login.`);
  return { principal: { kind: 'user', user } as Principal, error: null };
}
