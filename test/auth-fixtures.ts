import { expect } from 'vitest';
import { fixedUser, type Sandbox } from 'nodeloom-sandbox';
import { call, TEST_NOW, expectSpringError, type CallResult } from './helpers.ts';

/** Shared fixtures of the auth tests. */
export const ADMIN = fixedUser('admin@acme.test');
export const NOW_S = Date.parse(TEST_NOW) / 1000;

export const expectError = (response: CallResult, status: number, error: string, path: string): string =>
  expectSpringError(response, status, error, path);

export const expect401 = (response: CallResult, path = '/api/auth/me') => expectError(response, 401, 'Unauthorized', path);

/** The `Set-Cookie` attributes as a list (`['access_token=…', 'Max-Age=86400', 'Path=/', …]`). */
export function cookieParts(response: CallResult): string[] {
  const header = response.headers.get('set-cookie');
  expect(header).not.toBeNull();
  return header!.split(/;\s*/);
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export async function me(sandbox: Sandbox, options: { cookie?: string; headers?: Record<string, string>; token?: string }) {
  return call(sandbox, 'GET', '/api/auth/me', options);
}
