import { describe, expect, it } from 'vitest';
import { call, expectSameData, testSandbox } from './helpers.ts';

// The fuzz and required-body tests rest on expectSameData to prove a refused write changed nothing.
describe('expectSameData (test/helpers.ts)', () => {
  it('passes for two snapshots of unchanged data, and for records restored as equal copies', async () => {
    const sandbox = testSandbox();
    const before = (await sandbox.snapshot()).datasets;
    expectSameData((await sandbox.snapshot()).datasets, before);
    const copies = structuredClone(before);
    expectSameData(copies, before);
  });

  it('fails, with both data sets as JSON for the diff, when a write changed a record, added one, or moved a counter', async () => {
    const sandbox = testSandbox();
    const before = (await sandbox.snapshot()).datasets;
    const [workflow] = before.default!.tables.workflows!;
    const renamed = await call(sandbox, 'PUT', `/api/workflows/${workflow!.id}`, { token: 'sdk_sandbox_admin', body: { name: 'Renamed by the test' } });
    expect(renamed.status).toBe(200);
    const after = (await sandbox.snapshot()).datasets;
    expect(() => expectSameData(after, before, { tablesOnly: true, message: 'after the rename' })).toThrow('after the rename: expected');

    const added = structuredClone(before);
    added.default!.tables.workflows!.push({ ...workflow!, id: 'an-extra-record' });
    expect(() => expectSameData(added, before, { tablesOnly: true })).toThrow('to be');

    const counted = structuredClone(before);
    counted.default!.counters = { ...counted.default!.counters, ids: 12345 } as never;
    expect(() => expectSameData(counted, before)).toThrow('"counters":{"ids":12345');
    expectSameData(counted, before, { tablesOnly: true });
  });
});
