import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { call, testSandbox } from './helpers.ts';

const ADMIN = { token: 'sdk_sandbox_admin' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a refused snapshot restore changes nothing', () => {
  it('keeps the seed and epoch when a snapshot with another seed has one bad record', async () => {
    const sandbox = testSandbox();
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    const bad = JSON.parse(current);
    bad.seed = 99;
    bad.epoch = '2030-01-01T00:00:00.000Z';
    bad.datasets.default.tables.workflows[3].createdAt = 'yesterday';
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^Invalid snapshot: datasets\.default\.tables\.workflows\[3\]\.createdAt: /);
    expect(sandbox.seed).toBe(20260217);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
    // A data set built after the refusal is seeded from the namespace's own seed and epoch.
    const fresh = testSandbox();
    const empty = { 'x-sandbox-scenario': 'empty' };
    const page = `/api/workflows?teamId=${ACME_TEAM_ID}`;
    expect((await call(sandbox, 'GET', page, { ...ADMIN, headers: empty })).text).toBe((await call(fresh, 'GET', page, { ...ADMIN, headers: empty })).text);
  });

  it('keeps everything when a table repeats an id (found only while loading the new tables)', async () => {
    const sandbox = testSandbox();
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    const bad = JSON.parse(current);
    bad.seed = 7;
    bad.requestCount = 1234;
    bad.clock.now = '2031-05-05T05:05:05.000Z';
    bad.scenarios.names = ['server-error'];
    bad.datasets.default.tables.workflows.push(bad.datasets.default.tables.workflows[0]);
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^Invalid snapshot: workflows: .*duplicate id/);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
  });
});

describe('copy-on-write of restored records (per record, src/data/table.ts)', () => {
  it('keeps every restored record on the first write after a restore, and leaves the snapshot object as it was', async () => {
    const sandbox = testSandbox();
    const snapshot = await sandbox.snapshot();
    const restoredNames = snapshot.datasets.default!.tables.workflows!.map((w) => w.name as string);
    const renamed = snapshot.datasets.default!.tables.workflows![5]!.id as string;
    await sandbox.restore(snapshot); // tables now share the snapshot's records until the first write
    const body = { name: 'Written after restore', teamId: ACME_TEAM_ID };
    const created = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body });
    expect(created.status).toBe(201);
    const updated = await call(sandbox, 'PUT', `/api/workflows/${renamed}`, { ...ADMIN, body: { name: 'Renamed after restore' } });
    expect(updated.status).toBe(200);
    expect(sandbox.state.db.workflows.all().map((w) => w.name)).toEqual([...restoredNames.map((name, i) => (i === 5 ? 'Renamed after restore' : name)), 'Written after restore']);
    expect(sandbox.state.db.workflows.count()).toBe(restoredNames.length + 1);
    // The snapshot's own records were shared, not written through.
    expect(snapshot.datasets.default!.tables.workflows!.map((w) => w.name)).toEqual(restoredNames);
  });
});
