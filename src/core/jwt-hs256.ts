import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Compact HS256 JSON Web Tokens (RFC 7515/7519), signed and checked in plain JavaScript
 * (@noble/hashes HMAC-SHA-256). No WebCrypto: it needs no `crypto.subtle` (missing in Jest's jsdom
 * environment and on non-secure browser pages), no `node:crypto`, and no typed array of the
 * caller's realm, so sessions work in every host and test environment.
 */

/** base64url without padding, of bytes. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of a base64url text. @throws Error for text that is not base64url */
export function base64UrlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const encodeJson = (value: unknown) => base64UrlEncode(utf8ToBytes(JSON.stringify(value)));

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(part)));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Signs claims as a compact JWS with `{"alg":"HS256","typ":"JWT"}`. */
export function signHs256(claims: Record<string, unknown>, secret: Uint8Array): string {
  const input = `${encodeJson({ alg: 'HS256', typ: 'JWT' })}.${encodeJson(claims)}`;
  return `${input}.${base64UrlEncode(hmac(sha256, secret, utf8ToBytes(input)))}`;
}

/**
 * Checks a compact JWS: three parts, a header whose `alg` is exactly `HS256` (so `none` and other
 * algorithms fail) without `crit`, and an HMAC-SHA-256 signature matching `secret` (compared in
 * constant time).
 * @returns the claims, or undefined when the token is malformed or not signed with the secret
 */
export function verifyHs256(jwt: string, secret: Uint8Array): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head);
  if (!header || header.alg !== 'HS256' || 'crit' in header) return undefined;
  let given: Uint8Array;
  try {
    given = base64UrlDecode(signature);
  } catch {
    return undefined;
  }
  const expected = hmac(sha256, secret, utf8ToBytes(`${head}.${body}`));
  if (given.length !== expected.length) return undefined;
  let diff = 0;
  for (let i = 0; i < expected.length; i += 1) diff |= expected[i]! ^ given[i]!;
  return diff === 0 ? decodeJson(body) : undefined;
}
