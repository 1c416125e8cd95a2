import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { RECOUNT_EVERY } from '../src/namespace-memory-bound.ts';
import { call, testSandbox } from './helpers.ts';

/**
 * The namespaces' memory bound (`maxNamespaceRecords`, src/namespace-memory-bound.ts) on the
 * default data set: a namespace that wrote nothing weighs a twentieth of its records.
 */
const ADMIN = 'sdk_sandbox_admin';
const me = (sandbox: ReturnType<typeof testSandbox>, namespace: string) =>
  call(sandbox, 'GET', '/api/auth/me', { token: ADMIN, headers: { 'x-sandbox-namespace': namespace } });
const names = async (sandbox: ReturnType<typeof testSandbox>) => (await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces as string[];

/** The weight of a namespace that has written nothing: a twentieth of the default data set's records. */
async function unwrittenWeight(): Promise<number> {
  const tables = (await testSandbox().snapshot()).datasets.default!.tables;
  return Object.values(tables).reduce((sum, records) => sum + records!.length, 0) / 20;
}

describe('the namespaces memory bound', () => {
  it('drops the least recently used namespaces past the bound, never the one just used', async () => {
    const weight = await unwrittenWeight();
    const sandbox = testSandbox({ maxNamespaceRecords: Math.floor(2.5 * weight) });
    for (const name of ['a', 'b', 'c']) expect((await me(sandbox, name)).status).toBe(200);
    expect(await names(sandbox)).toEqual(['default', 'b', 'c']);
    expect((await me(sandbox, 'b')).status).toBe(200); // b is now the most recently used
    expect((await me(sandbox, 'd')).status).toBe(200);
    expect(await names(sandbox)).toEqual(['default', 'b', 'd']);
  });

  it('keeps the namespace just used even when it alone is over the bound', async () => {
    const sandbox = testSandbox({ maxNamespaceRecords: 1 });
    for (const name of ['a', 'b']) expect((await me(sandbox, name)).status).toBe(200);
    expect(await names(sandbox)).toEqual(['default', 'b']);
  });

  it('never drops a namespace with a request in flight', async () => {
    const sandbox = testSandbox({ maxNamespaceRecords: 1 });
    sandbox.namespace('slow').scenarios.use({ name: 'lag', description: 'Every call waits 100 ms.', rules: [{ name: 'wait', effect: { type: 'latency', ms: 100 } }] });
    const pending = call(sandbox, 'POST', '/api/workflows', { token: ADMIN, headers: { 'x-sandbox-namespace': 'slow' }, body: { name: 'Kept', teamId: ACME_TEAM_ID } });
    expect((await me(sandbox, 'quick')).status).toBe(200); // over the bound: would drop slow
    expect(await names(sandbox)).toEqual(['default', 'slow', 'quick']);
    const created = await pending;
    expect(created.status).toBe(201);
    expect((await call(sandbox, 'GET', `/api/workflows/${created.json.id}`, { token: ADMIN, headers: { 'x-sandbox-namespace': 'slow' } })).status).toBe(200);
  });

  it('counts the writes of the namespace just used at once', async () => {
    const weight = await unwrittenWeight();
    const sandbox = testSandbox({ maxNamespaceRecords: Math.round(2 * weight) + 10 });
    for (const name of ['a', 'b']) await me(sandbox, name);
    // Each create writes the workflow and its audit entry: b passes the bound's slack of 10 records
    // within a few calls, and the call that does drops a.
    for (let i = 0; i < 8; i++) {
      const created = await call(sandbox, 'POST', '/api/workflows', { token: ADMIN, headers: { 'x-sandbox-namespace': 'b' }, body: { name: `Grows ${i}`, teamId: ACME_TEAM_ID } });
      expect(created.status).toBe(201);
    }
    expect(await names(sandbox)).toEqual(['default', 'b']);
  });

  it('drops nothing on a stale total: a deleted namespace no longer counts', async () => {
    const weight = await unwrittenWeight();
    const sandbox = testSandbox({ maxNamespaceRecords: Math.round(3 * weight) + 3 });
    for (const name of ['a', 'b', 'c']) await me(sandbox, name);
    expect(sandbox.deleteNamespace('a')).toBe(true);
    // The total last counted still holds a; c's writes take it over the bound. The recount before
    // anything is dropped finds b and c under it, so b stays.
    for (let i = 0; i < 3; i++) {
      const created = await call(sandbox, 'POST', '/api/workflows', { token: ADMIN, headers: { 'x-sandbox-namespace': 'c' }, body: { name: `Bound ${i}`, teamId: ACME_TEAM_ID } });
      expect(created.status).toBe(201);
    }
    expect(await names(sandbox)).toEqual(['default', 'b', 'c']);
  });

  it(`counts a namespace grown outside API calls within ${RECOUNT_EVERY} calls`, async () => {
    const weight = await unwrittenWeight();
    const sandbox = testSandbox({ maxNamespaceRecords: Math.floor(2.5 * weight) });
    for (const name of ['a', 'b']) await me(sandbox, name);
    // a writes records in code, not through an API call to a: each written record counts whole,
    // so a now weighs more than the bound's slack, which only a recount sees.
    const { db } = sandbox.namespace('a').state;
    const executions = db.executions.all().slice(0, Math.ceil(weight));
    expect(executions).toHaveLength(Math.ceil(weight));
    for (const execution of executions) await db.executions.update(execution.id, { errorMessage: execution.errorMessage });
    for (let i = 1; i < RECOUNT_EVERY; i++) await me(sandbox, 'b');
    expect(await names(sandbox)).toEqual(['default', 'a', 'b']); // not counted yet
    await me(sandbox, 'b');
    expect(await names(sandbox)).toEqual(['default', 'b']);
  });
});
