import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { call, captureData, expectSameData, testSandbox } from './helpers.ts';

// The fuzz and required-body tests rest on captureData and expectSameData to prove that a refused
// write changed nothing.
describe('captureData and expectSameData (test/helpers.ts)', () => {
  it('pass for unchanged data, and for records restored as equal copies', async () => {
    const sandbox = testSandbox();
    const before = captureData((await sandbox.snapshot()).datasets);
    expectSameData((await sandbox.snapshot()).datasets, before);
    expectSameData(structuredClone((await sandbox.snapshot()).datasets), before);
  });

  it("leave out a token's lastUsedAt (authenticating is no write), and catch its other fields", async () => {
    const sandbox = testSandbox();
    const before = captureData((await sandbox.snapshot()).datasets);
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_viewer' })).status).toBe(200);
    const used = (await sandbox.snapshot()).datasets;
    expect(JSON.stringify(used)).not.toBe(JSON.stringify((await testSandbox().snapshot()).datasets)); // the use is in the snapshot
    expectSameData(used, before);
    const revoked = structuredClone(used);
    const index = revoked.default!.tables.sdkTokens!.findIndex((token) => token.name === 'sandbox-viewer');
    revoked.default!.tables.sdkTokens![index]!.revoked = true;
    expect(() => expectSameData(revoked, before)).toThrow(`default.sdkTokens[${index}].revoked: false -> true`);
  });

  it('name the first difference: a changed field, an added record, a moved counter', async () => {
    const sandbox = testSandbox();
    const snapshot = (await sandbox.snapshot()).datasets;
    const before = captureData(snapshot);
    const workflows = snapshot.default!.tables.workflows!;
    const index = workflows.findLastIndex((workflow) => workflow.teamId === ACME_TEAM_ID);
    const renamed = await call(sandbox, 'PUT', `/api/workflows/${workflows[index]!.id}`, { token: 'sdk_sandbox_admin', body: { name: 'Renamed by the test' } });
    expect(renamed.status).toBe(200);
    const after = (await sandbox.snapshot()).datasets;
    expect(() => expectSameData(after, before, { tablesOnly: true, message: 'after the rename' })).toThrow(
      `after the rename: the data changed: default.workflows[${index}].name: ${JSON.stringify(workflows[index]!.name)} -> "Renamed by the test"`,
    );

    const added = structuredClone(snapshot);
    added.default!.tables.workflows!.push({ ...workflows[0]!, id: 'an-extra-record' });
    expect(() => expectSameData(added, before, { tablesOnly: true })).toThrow(`default.workflows: ${workflows.length} records -> ${workflows.length + 1}`);

    const deleted = structuredClone(snapshot);
    deleted.default!.tables.workflows!.splice(index, 1);
    expect(() => expectSameData(deleted, before, { tablesOnly: true })).toThrow(`default.workflows: ${workflows.length} records -> ${workflows.length - 1}`);

    const counted = structuredClone(snapshot);
    counted.default!.counters = { ...counted.default!.counters, ids: 12345 } as never;
    expect(() => expectSameData(counted, before)).toThrow(/default\.counters: .* -> \{"ids":12345/);
    expectSameData(counted, before, { tablesOnly: true });
  });

  it('see a change made in place to a nested value of a record written at run time (not frozen, unlike seeded ones)', async () => {
    const sandbox = testSandbox();
    const created = await call(sandbox, 'POST', '/api/workflows', {
      token: 'sdk_sandbox_admin',
      body: { name: 'Written at run time', teamId: ACME_TEAM_ID, nodes: [{ id: 'n1', type: 'MANUAL_TRIGGER', name: 'Start', parameters: {} }], edges: [] },
    });
    expect(created.status).toBe(201);
    const stored = sandbox.state.db.workflows.get(created.json.id)!;
    expect(Object.isFrozen(stored.nodes)).toBe(false);
    expect(Object.isFrozen(sandbox.state.db.workflows.all()[0]!.nodes)).toBe(true); // seeded
    const before = captureData((await sandbox.snapshot()).datasets);
    (stored.nodes[0] as { name: string }).name = 'Changed in place';
    const after = (await sandbox.snapshot()).datasets;
    expect(() => expectSameData(after, before)).toThrow(/\.nodes: \[\{"id":"n1".*"name":"Start".* -> \[\{"id":"n1".*"name":"Changed in place"/);
  });

  it('show where a long value first differs, not only its start', async () => {
    const sandbox = testSandbox();
    const snapshot = (await sandbox.snapshot()).datasets;
    const before = captureData(snapshot);
    const changed = structuredClone(snapshot);
    const workflow = changed.default!.tables.workflows![0]! as { nodes: Array<{ name: string }> };
    expect(JSON.stringify(workflow.nodes).length).toBeGreaterThan(400);
    workflow.nodes.at(-1)!.name = 'The last node, renamed';
    expect(() => expectSameData(changed, before)).toThrow(/default\.workflows\[0\]\.nodes: ….*-> ….*"name":"The last node, renamed"/);
  });
});
