import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox, type Sandbox } from 'nodeloom-sandbox';
import { LAST_RECORD_MS, MAX_TIME_MS, MIN_TIME_MS } from '../src/core/clock.ts';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';

const ADMIN = { token: 'sdk_sandbox_admin' };
const RANGE = '0002-01-01T00:00:00.000Z to 9998-12-31T23:59:59.999Z';

/** Creates, runs, cancels and logs in: every kind of record the sandbox stores at "now". */
async function useEverything(sandbox: Sandbox) {
  const workflow = await call(sandbox, 'POST', '/api/workflows', {
    ...ADMIN,
    body: { name: 'At the edge of time', teamId: ACME_TEAM_ID, nodes: [{ id: 't', type: 'MANUAL_TRIGGER' }, { id: 'a', type: 'AI_AGENT' }], edges: [{ source: 't', target: 'a' }] },
  });
  expect(workflow.status).toBe(201);
  const run = await call(sandbox, 'POST', `/api/workflows/${workflow.json.id}/execute`, { ...ADMIN, body: { q: 1 } });
  expect(run.status).toBe(200);
  const second = await call(sandbox, 'POST', `/api/workflows/${workflow.json.id}/execute`, { ...ADMIN, body: {} });
  expect((await call(sandbox, 'POST', `/api/executions/${second.json.id}/cancel`, ADMIN)).status).toBe(200);
  const credential = await call(sandbox, 'POST', '/api/credentials', { ...ADMIN, body: { name: 'k', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-1' } } });
  expect(credential.status).toBe(201);
  const cookie = await login(sandbox, 'admin@acme.test');
  expect((await call(sandbox, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
  expect((await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['slow'], token: 'sdk_sandbox_viewer' } })).status).toBe(200);
}

describe('clock times records cannot hold (years outside 0000-9999)', () => {
  it('answers 400 naming the range for PUT /__sandbox/clock in year 10000 or late 9999, and keeps the clock', async () => {
    const sandbox = testSandbox();
    for (const at of [Date.parse('9999-12-31T23:59:59.999Z') + 1, '9999-06-01T00:00:00Z', '0001-06-01T00:00:00Z']) {
      const refused = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { at } });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/clock' });
      expect(refused.json.message).toContain(RANGE);
    }
    expect(sandbox.clock.iso()).toBe(TEST_NOW);
    expect((await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'Still fine', teamId: ACME_TEAM_ID } })).status).toBe(201);
  });

  it('answers 400 naming the range for an advance past 9998-12-31, and keeps the clock', async () => {
    const sandbox = testSandbox();
    expect((await call(sandbox, 'PUT', '/__sandbox/clock', { body: { at: MAX_TIME_MS - 1000 } })).status).toBe(200);
    const refused = await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: '1d' } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain(RANGE);
    expect(sandbox.clock.now()).toBe(MAX_TIME_MS - 1000);
    expect(() => sandbox.clock.advance('2s')).toThrow(RangeError);
    expect(() => sandbox.clock.freeze('9999-01-02T00:00:00Z')).toThrow(/within 0002-01-01/);
  });

  it('refuses createSandbox({ now }) in year 10000 and in year 0001, naming the range', () => {
    expect(() => createSandbox({ now: '+010000-01-01T00:00:00.000Z' })).toThrow(RANGE);
    expect(() => createSandbox({ now: Date.parse('0001-01-01T00:00:00.000Z') })).toThrow(RANGE);
  });

  it('restores a snapshot taken at the latest settable time, with records created there', async () => {
    const sandbox = createSandbox({ now: MAX_TIME_MS });
    await useEverything(sandbox);
    const snapshot = await call(sandbox, 'GET', '/__sandbox/snapshot');
    expect(snapshot.json.clock.now).toBe('9998-12-31T23:59:59.999Z');
    const other = testSandbox();
    const restored = await call(other, 'PUT', '/__sandbox/snapshot', { body: snapshot.text });
    expect(restored.status).toBe(200);
    expect((await call(other, 'GET', '/__sandbox/snapshot')).text).toBe(snapshot.text);
    expect((await call(other, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'After restore', teamId: ACME_TEAM_ID } })).status).toBe(201);
  });

  it('restores a snapshot whose running clock went past the settable range (up to 9999-12-31)', async () => {
    const sandbox = testSandbox();
    const snapshot = await sandbox.snapshot();
    snapshot.clock = { now: new Date(LAST_RECORD_MS - 60_000).toISOString(), frozen: false };
    const other = testSandbox();
    expect((await call(other, 'PUT', '/__sandbox/snapshot', { body: snapshot })).status).toBe(200);
    expect(other.clock.frozen).toBe(false);
    expect(other.clock.now()).toBeGreaterThanOrEqual(LAST_RECORD_MS - 60_000);
  });

  it('seeds, stores and restores at the earliest settable time', async () => {
    const sandbox = createSandbox({ now: MIN_TIME_MS });
    await useEverything(sandbox);
    const snapshot = await call(sandbox, 'GET', '/__sandbox/snapshot');
    expect((await call(testSandbox(), 'PUT', '/__sandbox/snapshot', { body: snapshot.text })).status).toBe(200);
  });

  it('refuses a snapshot seeded at a time the clock cannot be set to, naming epoch, and changes nothing', async () => {
    const sandbox = testSandbox();
    const current = (await call(sandbox, 'GET', '/__sandbox/snapshot')).text;
    const bad = { ...JSON.parse(current), epoch: '0000-06-01T00:00:00.000Z' };
    const refused = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^Invalid snapshot: epoch: epoch must be within 0002-01-01/);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(current);
  });
});
