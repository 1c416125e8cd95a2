import { describe, expect, it, vi } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };

/** A sandbox with some history: a created workflow and a run of it, a login, a few requests. */
async function usedSandbox() {
  const sandbox = testSandbox();
  const workflow = (await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Before the snapshot', teamId: ACME_TEAM_ID } })).json;
  const run = (await call(sandbox, 'POST', `/api/workflows/${workflow.id}/execute`, { ...admin, body: {} })).json;
  const cookie = await login(sandbox, 'builder@acme.test');
  for (let i = 0; i < 5; i++) await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
  return { sandbox, workflowId: workflow.id as string, executionId: run.id as string, cookie };
}

/** Reads many things; every answer as status, headers and body text. */
async function readEverything(sandbox: Sandbox, ids: { workflowId: string; executionId: string; cookie: string }) {
  const reads: Array<[string, { token?: string; cookie?: string }]> = [
    [`/api/workflows?teamId=${ACME_TEAM_ID}&size=100`, admin],
    [`/api/workflows/${ids.workflowId}`, admin],
    [`/api/executions/${ids.executionId}`, admin],
    [`/api/executions?teamId=${ACME_TEAM_ID}&size=50`, admin],
    ['/api/credentials', admin],
    ['/api/auth/me', { cookie: ids.cookie }],
    ['/api/auth/me', { token: 'sdk_sandbox_hobby' }],
    ['/api/auth/me', { token: 'sdk_sandbox_viewer' }],
    ['/__sandbox/clock', {}],
    ['/__sandbox/scenario', {}],
  ];
  const answers = [];
  for (const [path, auth] of reads) {
    const answer = await call(sandbox, 'GET', path, auth);
    answers.push({ path, status: answer.status, headers: [...answer.headers], text: answer.text });
  }
  return answers;
}

describe('GET /__sandbox/snapshot', () => {
  it('returns the whole state as JSON, the same as sandbox.snapshot()', async () => {
    const { sandbox } = await usedSandbox();
    const answer = await call(sandbox, 'GET', '/__sandbox/snapshot');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      format: 'nodeloom-sandbox-snapshot/1',
      seed: sandbox.seed,
      epoch: TEST_NOW,
      clock: { now: TEST_NOW, frozen: true },
      requestCount: 8,
      scenarios: { names: [], since: null, bindings: [], counters: [] },
    });
    expect(answer.json.rateWindows).toContainEqual(['token:00000000-0000-4000-8000-0000000c0005', Date.parse(TEST_NOW), 5]);
    expect(Object.keys(answer.json.datasets)).toEqual(['default']);
    expect(answer.json.datasets.default.tables.workflows.map((w: { name: string }) => w.name)).toContain('Before the snapshot');
    expect(answer.json).toEqual(await sandbox.snapshot());
  });
});

describe('PUT /__sandbox/snapshot', () => {
  it('restores everything: every read answers byte-identical to before the changes', async () => {
    const { sandbox, ...ids } = await usedSandbox();
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    const before = await readEverything(sandbox, ids);

    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'After the snapshot', teamId: ACME_TEAM_ID } });
    await call(sandbox, 'DELETE', `/api/workflows/${ids.workflowId}`, admin);
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '61s' } });
    for (let i = 0; i < 61; i++) await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'] } });
    await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'], token: 'sdk_sandbox_viewer' } });
    expect(await readEverything(sandbox, ids)).not.toEqual(before);

    const restored = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot });
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ namespace: 'default', clock: { now: TEST_NOW, frozen: true } });
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(snapshot);
    expect(await readEverything(sandbox, ids)).toEqual(before);
  });

  it('continues the same id sequence after a restore, in the same and in another sandbox', async () => {
    const { sandbox } = await usedSandbox();
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).json;
    const createAndRun = async (target: Sandbox) => {
      const workflow = await call(target, 'POST', '/api/workflows', { ...admin, body: { name: 'Next', teamId: ACME_TEAM_ID } });
      const run = await call(target, 'POST', `/api/workflows/${workflow.json.id}/execute`, { ...admin, body: {} });
      return [workflow.text, run.text, workflow.headers.get('x-request-id')];
    };
    const first = await createAndRun(sandbox);
    await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot });
    expect(await createAndRun(sandbox)).toEqual(first);

    const other = testSandbox({ seed: 1 });
    await call(other, 'GET', '/api/auth/me', admin);
    expect((await call(other, 'PUT', '/__sandbox/snapshot', { body: snapshot })).status).toBe(200);
    expect(await createAndRun(other)).toEqual(first);
  });

  it("keeps each SDK token's lastUsedAt through a snapshot and restore", async () => {
    const sandbox = testSandbox();
    sandbox.clock.advance('1h');
    await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_builder' });
    const tokens = async () => (await call(sandbox, 'GET', `/api/sdk/tokens?teamId=${ACME_TEAM_ID}`, admin)).json as Array<{ name: string; lastUsedAt: string | null }>;
    const before = await tokens();
    expect(before.find((t) => t.name === 'sandbox-builder')!.lastUsedAt).toBe('2026-11-01T13:00:00.000Z');
    const snapshot = await sandbox.snapshot();
    sandbox.clock.advance('1h');
    await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_builder' });
    await sandbox.restore(snapshot);
    expect(await tokens()).toEqual(before); // the clock is back at 13:00 too
    expect(JSON.stringify(await sandbox.snapshot())).toContain('"lastUsedAt":"2026-11-01T13:00:00.000Z"');
  });

  it('restores a snapshot taken before the first request, like a fresh sandbox', async () => {
    const sandbox = testSandbox();
    const snapshot = await sandbox.snapshot();
    const fresh = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, admin);
    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Gone after restore', teamId: ACME_TEAM_ID } });
    await sandbox.restore(snapshot);
    const again = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, admin);
    expect([again.text, [...again.headers]]).toEqual([fresh.text, [...fresh.headers]]);
  });

  it('restores into a namespace a snapshot of another one', async () => {
    const sandbox = testSandbox();
    const a = { 'x-sandbox-namespace': 'a' };
    const created = await call(sandbox, 'POST', '/api/workflows', { ...admin, headers: a, body: { name: 'From a', teamId: ACME_TEAM_ID } });
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot', { headers: a })).text;
    const b = { 'x-sandbox-namespace': 'b' };
    expect((await call(sandbox, 'PUT', '/__sandbox/snapshot', { headers: b, body: snapshot })).json.namespace).toBe('b');
    expect((await call(sandbox, 'GET', `/api/workflows/${created.json.id}`, { ...admin, headers: b })).json.name).toBe('From a');
    expect((await call(sandbox, 'GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(404);
  });
});

describe('PUT /__sandbox/snapshot with a malformed snapshot', () => {
  type Mutation = (s: Record<string, any>) => unknown;
  it.each<[string, Mutation, RegExp]>([
    ['a wrong format', (s) => ({ ...s, format: 'v0' }), /format/],
    ['no seed', ({ seed: _seed, ...s }) => s, /seed/],
    ['a bad clock time', (s) => ({ ...s, clock: { now: 'noon', frozen: true } }), /clock\.now/],
    ['no clock.frozen', (s) => ({ ...s, clock: { now: TEST_NOW } }), /clock\.frozen/],
    ['a negative requestCount', (s) => ({ ...s, requestCount: -1 }), /requestCount/],
    ['rate windows that are not an array', (s) => ({ ...s, rateWindows: 'none' }), /rateWindows/],
    ['a malformed rate window', (s) => ({ ...s, rateWindows: [['k', 1]] }), /rateWindows\.0/],
    ['negative id counters', (s) => ({ ...s, datasets: { default: { ...s.datasets.default, counters: { ids: -1, random: 0 } } } }), /datasets\.default\.counters\.ids/],
    ['an unknown data set', (s) => ({ ...s, datasets: { huge: s.datasets.default } }), /datasets/],
    ['an unknown scenario', (s) => ({ ...s, scenarios: { names: ['nope'], since: null, bindings: [], counters: [] } }), /nope/],
    ['an array', () => [], /\(root\)/],
  ])('answers 400 naming the field for %s, and changes nothing', async (_label, mutate, field) => {
    const { sandbox, ...ids } = await usedSandbox();
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).json;
    await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '61s' } });
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;

    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: mutate(structuredClone(snapshot)) });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/snapshot' });
    expect(refused.json.message).toMatch(field);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
    expect((await call(sandbox, 'GET', `/api/workflows/${ids.workflowId}`, admin)).status).toBe(200);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const sandbox = testSandbox();
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: '{"format":' });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/JSON/);
  });

  it('answers 400 naming the field for a timestamp that is not ISO-8601, and changes nothing', async () => {
    const { sandbox } = await usedSandbox();
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).json;
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    snapshot.datasets.default.tables.executions[2].startedAt = 'garbage';
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^Invalid snapshot: datasets\.default\.tables\.executions\[2\]\.startedAt: /);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
  });

  it('answers 400 naming the table for a record that does not match its schema, and changes nothing', async () => {
    const { sandbox, workflowId } = await usedSandbox();
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).json;
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    snapshot.datasets.default.tables.workflows[0].id = 42;
    snapshot.datasets.default.tables.workflows.push({ name: 'half a record' });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined); // keeps the run quiet should anything log the issues
    try {
      const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot });
      expect(refused.status).toBe(400);
      expect(refused.json.message).toMatch(/^Invalid snapshot: datasets\.default\.tables\.workflows\[0\]\.id: /);
    } finally {
      quiet.mockRestore();
    }
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
    expect((await call(sandbox, 'GET', `/api/workflows/${workflowId}`, admin)).status).toBe(200);
  });
});
