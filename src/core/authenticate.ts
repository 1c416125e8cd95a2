import { HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';
import type { CoreState } from './route.ts';
import { readSessionCookie, verifySession } from './session.ts';
import type { ApiRequest } from './api-request.ts';

/** The outcome of reading a request's credentials: a principal, an error to answer 401 with, or neither. */
export interface Authentication {
  principal: Principal | null;
  /** Credentials were sent but are bad; answered as 401 on every non-public route. */
  error: HttpError | null;
  /** Whether the credential came from the session cookie (a 401 then clears it). */
  viaCookie: boolean;
}

/**
 * Finds the caller from the request's credentials (nodeloom-api.md 1.2, mock rules [INF]):
 * `Authorization: Bearer sdk_...` → token principal; else `Bearer <jwt>` or the session cookie →
 * user principal; no credentials → neither. Credentials that are present but bad (unknown or
 * revoked token, token whose creator left the team, malformed/expired/wrongly signed/`alg:none`
 * JWT) yield a 401 {@link HttpError} instead of a principal; a wrong credential never falls back
 * to another. Token lookups are by exact value in a hashed index, not a scan with early exit.
 */
export async function authenticate(request: ApiRequest, state: CoreState): Promise<Authentication> {
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      return fail('The Authorization header must be "Bearer <token>", e.g. "Authorization: Bearer sdk_sandbox_admin".');
    }
    const credential = match[1]!;
    if (credential.startsWith('sdk_')) return authenticateToken(credential, state);
    return authenticateJwt(credential, state, false);
  }
  const jwt = readSessionCookie(request.headers.get('cookie'));
  if (jwt !== undefined) return authenticateJwt(jwt, state, true);
  return { principal: null, error: null, viaCookie: false };
}

function fail(message: string, viaCookie = false): Authentication {
  return { principal: null, error: new HttpError(401, message), viaCookie };
}

function authenticateToken(value: string, state: CoreState): Authentication {
  const token = state.directory.tokenByValue(value);
  if (!token) return fail('Unknown SDK token. Use one of the sandbox tokens (GET /__sandbox/identities or the README), e.g. sdk_sandbox_admin.');
  if (token.revoked) return fail(`SDK token "${token.name}" has been revoked. Create a new token (POST /api/sdk/tokens) or use sdk_sandbox_admin.`);
  const creator = state.directory.user(token.createdBy);
  if (!creator || state.directory.roleIn(token.teamId, token.createdBy) === undefined) {
    // nodeloom-api.md 2.3 [INF]: the creator is no longer in the team, so the token is invalid.
    return fail(`SDK token "${token.name}" is no longer valid: the user who created it is not a member of its team.`);
  }
  state.directory.tokenUsed(token.id, state.clock.iso());
  return { principal: { kind: 'token', token, creator }, error: null, viaCookie: false };
}

async function authenticateJwt(jwt: string, state: CoreState, viaCookie: boolean): Promise<Authentication> {
  const result = await verifySession(jwt, state.clock.now(), state.jwtKey);
  const where = viaCookie ? 'session cookie' : 'bearer JWT';
  if ('failure' in result) {
    return fail(
      result.failure === 'expired'
        ? `Your ${where} has expired. Log in again with POST /api/auth/login.`
        : `The ${where} is not a valid sandbox session. Log in with POST /api/auth/login, or send Authorization: Bearer sdk_sandbox_admin.`,
      viaCookie,
    );
  }
  const user = state.directory.user(result.userId);
  if (!user) return fail(`The ${where} names a user that does not exist. Log in again with POST /api/auth/login.`, viaCookie);
  return { principal: { kind: 'user', user }, error: null, viaCookie };
}

/**
 * The widget principal of a public widget route (nodeloom-api.md 3.6 [INF]): the embed token in
 * the path must belong to a live widget.
 * @throws HttpError 401 for an unknown, deleted or regenerated token
 */
export function authenticateWidget(token: string, state: CoreState): Extract<Principal, { kind: 'widget' }> {
  const widget = state.directory.widgetByToken(token);
  if (!widget) {
    throw new HttpError(401, 'Unknown widget token: the widget was deleted or its token regenerated. Copy the current embed code (GET /api/teams/:teamId/widgets/:id/embed-code).');
  }
  return { kind: 'widget', widget, token };
}
