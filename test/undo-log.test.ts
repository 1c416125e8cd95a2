import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { Table } from '../src/data/table.ts';
import { withUndoLog } from '../src/data/undo-log.ts';
import { executeWorkflow } from '../src/resources/workflows/service.ts';
import { dumpTables } from '../src/namespace.ts';
import { testSandbox } from './helpers.ts';

const item = z.object({ id: z.string(), name: z.string().min(1), tags: z.array(z.string()).default([]) });
type Item = z.output<typeof item>;

const RECORDS: Item[] = ['a', 'b', 'c', 'd'].map((id) => Object.freeze({ id, name: `Item ${id}`, tags: Object.freeze([id]) as string[] }));

/** A table holding RECORDS: shared (loaded, not yet copied) or materialized (written to once). */
async function tableOf(kind: 'shared' | 'materialized'): Promise<Table<typeof item>> {
  const table = new Table('items', item);
  if (kind === 'shared') {
    await table.load(RECORDS);
  } else {
    for (const record of RECORDS) await table.insert(record);
  }
  return table;
}

/** Everything a reader can see of a table. */
function view(table: Table<typeof item>) {
  return { all: table.all().map((r) => ({ ...r })), byId: RECORDS.map((r) => table.get(r.id) ?? null), extra: table.get('e') ?? null, count: table.count() };
}

describe.each(['shared', 'materialized'] as const)('withUndoLog over a %s table', (kind) => {
  it('rolls back an insert and an update: all() and get() as before', async () => {
    const table = await tableOf(kind);
    const before = view(table);
    const log = withUndoLog({ items: table });
    await log.db.items.insert({ id: 'e', name: 'Item e' });
    await log.db.items.update('b', { name: 'Renamed b', tags: ['x'] });
    await log.db.items.update('b', { name: 'Renamed twice' });
    expect(table.get('b')!.name).toBe('Renamed twice'); // writes go to the real table at once
    expect(log.db.items.get('e')).toMatchObject({ name: 'Item e' }); // and reads see them
    await log.rollback();
    expect(view(table)).toEqual(before);
  });

  it('rolls back a delete in the middle, putting the record back at its place', async () => {
    const table = await tableOf(kind);
    const before = view(table);
    const log = withUndoLog({ items: table });
    expect(await log.db.items.delete('b')).toBe(true);
    expect(await log.db.items.delete('nope')).toBe(false);
    expect(table.all().map((r) => r.id)).toEqual(['a', 'c', 'd']);
    await log.rollback();
    expect(view(table)).toEqual(before);
  });

  it('rolls back deleteWhere and mixed writes in reverse order', async () => {
    const table = await tableOf(kind);
    const before = view(table);
    const log = withUndoLog({ items: table });
    await log.db.items.update('c', { name: 'Changed c' });
    expect(await log.db.items.deleteWhere((r) => r.id !== 'b')).toBe(3);
    await log.db.items.insert({ id: 'a', name: 'A new a' }); // reuses a deleted id
    await log.rollback();
    expect(view(table)).toEqual(before);
  });

  it('leaves a table that validates and indexes normally after a rollback', async () => {
    const table = await tableOf(kind);
    const log = withUndoLog({ items: table });
    await log.db.items.update('a', { name: 'x' });
    await log.db.items.delete('d');
    await log.rollback();
    await log.rollback(); // a second rollback has nothing left to undo
    await expect(table.update('a', { name: '' })).rejects.toThrow();
    expect(await table.update('d', { name: 'Still indexed' })).toMatchObject({ id: 'd', name: 'Still indexed' });
    expect(await table.delete('d')).toBe(true);
    expect(table.all().map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('withUndoLog', () => {
  it('keeps writes made outside the log and forwards every read', async () => {
    const table = await tableOf('materialized');
    const log = withUndoLog({ items: table });
    await log.db.items.insert({ id: 'e', name: 'Item e' });
    await table.insert({ id: 'f', name: 'Written by another request' });
    expect(log.db.items.count()).toBe(6);
    expect(log.db.items.filter((r) => r.id > 'd').map((r) => r.id)).toEqual(['e', 'f']);
    expect(log.db.items.positionOf('f')).toBe(5);
    expect(log.db.items.schema).toBe(item);
    expect(log.db.items).toBeInstanceOf(Table);
    await log.rollback();
    expect(table.all().map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('refuses clear() and load(), which cannot be undone', async () => {
    const log = withUndoLog({ items: await tableOf('shared') });
    expect(() => log.db.items.clear()).toThrow(/cannot be undone/);
  });

  it('undoes a service call that inserts and updates (execute: new execution, workflow.lastExecutionId)', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const state = sandbox.state;
    const before = JSON.stringify(dumpTables(state.db));
    const workflow = state.db.workflows.filter((w) => w.teamId === ACME_TEAM_ID && w.nodes.length > 2)[0]!;
    const user = state.db.users.all()[0]!;
    const log = withUndoLog(state.db);
    await executeWorkflow({ ...state, db: log.db }, workflow, { kind: 'user', user }, { q: 1 });
    expect(JSON.stringify(dumpTables(state.db))).not.toBe(before);
    await log.rollback();
    expect(JSON.stringify(dumpTables(state.db))).toBe(before);
  });
});
