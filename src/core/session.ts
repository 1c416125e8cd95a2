import { base64UrlDecode, base64UrlEncode, signHs256, verifyHs256 } from './jwt-hs256.ts';
import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * Session JWTs and the cookie that carries them.
 * Source: nodeloom-api.md 1.2 — JWT in an httpOnly cookie, 24 h lifetime (SELF docs/security.md);
 * cookie name `access_token`, SameSite=Lax, Path=/, Max-Age=86400 are [INF] (§1.2).
 */

/** Cookie name ([INF] nodeloom-api.md 1.2). */
export const SESSION_COOKIE = 'access_token';
/** Session lifetime in seconds (24 h). */
export const SESSION_TTL_SECONDS = 86_400;

/**
 * The HS256 key of session JWTs as a JSON Web Key (`{kty: "oct", k: <base64url secret>}`): a plain
 * object is realm-safe (jose refused a `Uint8Array` made in another realm, which jsdom, happy-dom
 * and Jest environments hand out), and JWT libraries such as jose accept it as it is (tests sign
 * tokens with it). Signing itself is src/core/jwt-hs256.ts.
 */
export interface SessionKey {
  readonly kty: 'oct';
  /** The secret, base64url without padding. */
  readonly k: string;
}

/**
 * Makes the session key of a secret (ASCII text). Synchronous and free of `node:*`, so it runs in
 * any host and test environment.
 */
export function sessionKey(secret: string): SessionKey {
  if (!/^[\x20-\x7e]*$/.test(secret)) throw new TypeError('session key secrets are ASCII text');
  return Object.freeze({ kty: 'oct' as const, k: base64UrlEncode(new TextEncoder().encode(secret)) });
}

/**
 * Signs a session JWT (HS256) for a user.
 * @param userId the `sub` claim
 * @param nowMs sandbox time, epoch ms (`iat`; `exp` = iat + 24 h)
 * @returns the compact JWT
 */
export async function signSession(userId: string, email: string, nowMs: number, key: SessionKey): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return signHs256({ email, sub: userId, iss: 'nodeloom-sandbox', iat, exp: iat + SESSION_TTL_SECONDS }, base64UrlDecode(key.k));
}

/** Why a session JWT was refused. */
export type SessionFailure = 'expired' | 'invalid';

/**
 * Verifies a session JWT against the sandbox key and clock. Only HS256 is accepted, so
 * `alg: none` and tokens signed with another key or algorithm fail.
 * @returns `{ userId }` or `{ failure }`
 */
export async function verifySession(
  jwt: string,
  nowMs: number,
  key: SessionKey,
): Promise<{ userId: string } | { failure: SessionFailure }> {
  const claims = verifyHs256(jwt, base64UrlDecode(key.k));
  if (!claims || claims.iss !== 'nodeloom-sandbox' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return { failure: 'invalid' };
  const now = Math.floor(nowMs / 1000);
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) return { failure: 'invalid' };
  if (claims.exp <= now) return { failure: 'expired' };
  return { userId: claims.sub };
}

/** Reads the session JWT from a `Cookie` header, or undefined. */
export function readSessionCookie(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[SESSION_COOKIE] || undefined;
}

/** The `Set-Cookie` value that stores a session JWT (httpOnly, SameSite=Lax, Path=/, 24 h). */
export function sessionCookie(jwt: string, secure = false): string {
  return stringifySetCookie(SESSION_COOKIE, jwt, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: SESSION_TTL_SECONDS,
    secure,
  });
}

/** The `Set-Cookie` value that clears the session cookie. */
export function clearedSessionCookie(secure = false): string {
  return stringifySetCookie(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 0,
    expires: new Date(0),
    secure,
  });
}
