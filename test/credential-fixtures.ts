import { expect } from 'vitest';
import { type Sandbox } from 'nodeloom-sandbox';
import { call, TEST_NOW } from './helpers.ts';

/** Shared fixtures of the credentials tests. */
export const ADMIN = 'sdk_sandbox_admin';
export const BUILDER = 'sdk_sandbox_builder';
export const HOBBY = 'sdk_sandbox_hobby';
export const CREDENTIAL_FIELDS = ['id', 'name', 'type', 'teamId', 'createdAt', 'updatedAt', 'lastTestedAt', 'testStatus'];

export function seeded(sandbox: Sandbox, name: string) {
  const record = sandbox.state.db.credentials.all().find((c) => c.name === name);
  if (!record) throw new Error(`no seeded credential ${name}`);
  return record;
}

export async function create(sandbox: Sandbox, body: Record<string, unknown>, token = BUILDER) {
  return call(sandbox, 'POST', '/api/credentials', { token, body });
}

export function expectSpringError(response: Awaited<ReturnType<typeof call>>, status: number, path: string) {
  expect(response.status).toBe(status);
  expect(response.json).toMatchObject({ status, path, timestamp: TEST_NOW });
  expect(typeof response.json.error).toBe('string');
  expect(typeof response.json.message).toBe('string');
}
