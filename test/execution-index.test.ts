import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { Table } from '../src/data/table.ts';
import { executionIndex, matchesAt, queryExecutions } from '../src/resources/executions/execution-index.ts';
import { exportStream, executionsCsv, EXPORT_CHUNK_ROWS } from '../src/resources/executions/export.ts';
import { executionRecord, EXECUTION_STATUSES, type ExecutionRecord } from '../src/resources/executions/records.ts';
import type { ExecutionFilter } from '../src/resources/executions/schema.ts';
import { toExecutionSummary } from '../src/resources/executions/view.ts';
import { execution, NOW } from './execution-fixtures.ts';
import { testSandbox } from './helpers.ts';

/**
 * The team/time index (src/resources/executions/execution-index.ts) against the plain definition:
 * every record tested with `matchesAt`, sorted newest first. Same answers for every filter at
 * clock times before, during and after the runs, on a shared (loaded) table and after writes.
 */

const MIN = 60_000;
/** A small deterministic generator (no Math.random in the suite). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000);
}

function records(count: number, seed: number, shiftMs = 0): ExecutionRecord[] {
  const random = lcg(seed);
  const out: ExecutionRecord[] = [];
  for (let i = 0; i < count; i++) {
    const created = shiftMs - Math.floor(random() * 600) * MIN + (i % 3) * 17; // equal times happen too
    const roll = random();
    const outcome = roll < 0.2 ? 'FAILED' : 'SUCCESS';
    const record = execution(`ex-${String(i).padStart(4, '0')}`, created, {
      teamId: random() < 0.8 ? ACME_TEAM_ID : HOBBY_TEAM_ID,
      workflowId: `wf-${Math.floor(random() * 5)}`,
      durationMs: Math.floor(random() * 120) * MIN,
      outcome,
      startDelayMs: Math.floor(random() * 3) * MIN,
    });
    const cancelled = roll > 0.9 ? new Date(NOW + created + Math.floor((random() - 0.3) * 30) * MIN).toISOString() : null;
    out.push(Object.freeze({ ...record, cancelledAt: cancelled }));
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}

function oracle(all: readonly ExecutionRecord[], teamId: string, filter: ExecutionFilter, now: number): string[] {
  return all
    .filter((r) => r.teamId === teamId && matchesAt(r, filter, now))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((r) => r.id);
}

const FILTERS: ExecutionFilter[] = [
  {},
  ...EXECUTION_STATUSES.map((status) => ({ status })),
  { workflowId: 'wf-2' },
  { workflowId: 'wf-9' },
  { workflowId: 'wf-1', status: 'SUCCESS' },
  { from: NOW - 300 * MIN },
  { to: NOW - 100 * MIN },
  { from: NOW - 400 * MIN, to: NOW - 200 * MIN, status: 'FAILED' },
  { from: NOW - 5 * MIN, status: 'RUNNING' },
  { from: NOW - 500 * MIN, to: NOW - 2 * MIN, workflowId: 'wf-3', status: 'CANCELLED' },
];
const TIMES = [NOW - 700 * MIN, NOW - 300 * MIN, NOW - 30 * MIN, NOW, NOW + 200 * MIN];

function expectSameAsOracle(table: Table<typeof executionRecord>, label: string): void {
  const index = table.derived(executionIndex);
  for (const now of TIMES) {
    for (const filter of FILTERS) {
      for (const teamId of [ACME_TEAM_ID, HOBBY_TEAM_ID, 'no-such-team']) {
        const list = queryExecutions(index, teamId, filter, now);
        const expected = oracle(table.all(), teamId, filter, now);
        expect(list.slice(0, list.total).map((r) => r.id), `${label} ${JSON.stringify(filter)} at ${now - NOW}`).toEqual(expected);
        expect(list.total).toBe(expected.length);
        expect(list.slice(3, 7).map((r) => r.id)).toEqual(expected.slice(3, 7));
      }
    }
  }
}

describe('the executions team/time index', () => {
  it('answers every filter as a full scan would, at clock times before, during and after the runs', () => {
    const table = new Table('executions', executionRecord);
    void table.load(Object.freeze(records(400, 1)));
    expectSameAsOracle(table, 'loaded');
    // Created long before the clock times: the index (not its exact fallback) answers at all of them.
    const older = new Table('executions', executionRecord);
    void older.load(Object.freeze(records(400, 5, -800 * MIN)));
    expect(older.derived(executionIndex).horizon).toBeLessThan(TIMES[0]!);
    expectSameAsOracle(older, 'older');
  });

  it('stays exact through inserts, updates, deletes and a restore, and leaves the shared index alone', async () => {
    const shared = Object.freeze(records(300, 2));
    const table = new Table('executions', executionRecord);
    const other = new Table('executions', executionRecord);
    await table.load(shared);
    await other.load(shared);
    const sharedIndex = other.derived(executionIndex);
    expect(table.derived(executionIndex)).toBe(sharedIndex); // built once for both tables
    for (const record of records(60, 3)) await table.insert({ ...record, id: `new-${record.id}` });
    const some = shared.filter((_, i) => i % 7 === 0);
    for (const record of some.slice(0, 10)) await table.update(record.id, { cancelledAt: new Date(NOW - 10 * MIN).toISOString() });
    for (const record of some.slice(10, 20)) await table.delete(record.id);
    await table.restore(some[12]!, 5);
    expect(table.derived(executionIndex)).not.toBe(sharedIndex);
    expectSameAsOracle(table, 'written');
    expectSameAsOracle(other, 'other table');
    expect(other.count()).toBe(300);
    expect(await table.deleteWhere((r) => r.workflowId === 'wf-0')).toBeGreaterThan(16);
    expectSameAsOracle(table, 'after deleteWhere');
  });

  it('keeps pages right after executes in a sandbox whose clock is frozen (new runs stay PENDING)', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const workflow = sandbox.state.db.workflows.filter((w) => w.teamId === ACME_TEAM_ID)[0]!;
    for (let i = 0; i < 70; i++) {
      const response = await sandbox.fetch(
        new Request(`http://sandbox.test/api/workflows/${workflow.id}/execute`, { method: 'POST', headers: { authorization: 'Bearer sdk_sandbox_admin' } }),
      );
      expect(response.status).toBe(200);
    }
    expectSameAsOracle(sandbox.state.db.executions, 'after executes');
    const now = sandbox.clock.now();
    expect(queryExecutions(sandbox.state.db.executions.derived(executionIndex), ACME_TEAM_ID, { status: 'PENDING' }, now).total).toBeGreaterThanOrEqual(70);
  });

  it('stores seeded executions exactly as the schema outputs them (the seed sink keeps its input, src/database.ts)', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    for (const record of sandbox.state.db.executions.all().slice(0, 50)) expect(executionRecord.parse(record)).toEqual(record);
  });
});

describe('the streamed export', () => {
  const many = records(EXPORT_CHUNK_ROWS * 2 + 7, 4);

  it('writes the same CSV bytes in chunks as in one piece, the header once', async () => {
    const text = await new Response(exportStream(many, 'csv', NOW)).text();
    expect(text).toBe(executionsCsv(many, NOW));
    expect(text.match(/^id,workflowId/gm)).toHaveLength(1);
    expect(await new Response(exportStream([], 'csv', NOW)).text()).toBe(executionsCsv([], NOW));
  });

  it('writes the same JSON array in chunks as JSON.stringify does', async () => {
    const text = await new Response(exportStream(many, 'json', NOW)).text();
    expect(text).toBe(JSON.stringify(many.map((r) => toExecutionSummary(r, NOW))));
    expect(await new Response(exportStream([], 'json', NOW)).text()).toBe('[]');
    expect(await new Response(exportStream(many.slice(0, EXPORT_CHUNK_ROWS), 'json', NOW)).text()).toBe(JSON.stringify(many.slice(0, EXPORT_CHUNK_ROWS).map((r) => toExecutionSummary(r, NOW))));
  });

  it('renders a chunk only when the reader asks for it', async () => {
    const reader = exportStream(many, 'csv', NOW).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).split('\r\n')).toHaveLength(EXPORT_CHUNK_ROWS + 2); // header, rows, ''
    await reader.cancel();
  });
});
