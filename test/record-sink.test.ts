import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deepFreeze } from '../src/core/deep-freeze.ts';
import { RecordSink } from '../src/data/record-sink.ts';
import { createSandbox } from 'nodeloom-sandbox';
import { TEST_NOW } from './helpers.ts';

const schema = z.object({ id: z.string(), tags: z.array(z.string()), nested: z.object({ list: z.array(z.object({ n: z.number() })) }) });
const values = () => ({ id: ['a', 'b', 'c'].join('-'), tags: ['x'], nested: { list: [{ n: 1 }] } });

function expectDeeplyFrozen(value: unknown, path = 'record'): void {
  if (value === null || typeof value !== 'object') return;
  expect(Object.isFrozen(value), `${path} is frozen`).toBe(true);
  for (const [key, child] of Object.entries(value)) expectDeeplyFrozen(child, `${path}.${key}`);
}

describe('seeded records are frozen as they are generated (src/core/deep-freeze.ts)', () => {
  it('a record sink stores each record frozen all through, with its values unchanged', async () => {
    for (const keepInput of [false, true]) {
      const sink = new RecordSink('things', schema, { keepInput });
      const stored = await sink.insert(values());
      expect(stored).toEqual(values());
      expectDeeplyFrozen(stored);
      expect(() => (stored.tags as string[]).push('y')).toThrow(TypeError);
      expect(sink.get('a-b-c')).toBe(stored);
    }
  });

  it('deepFreeze keeps every string value and stops at what is already frozen', () => {
    const shared = Object.freeze({ inner: { n: 1 } });
    const record = deepFreeze({ id: `exe-${'0'.repeat(8)}-${1 + 1}`, shared, list: [`a${1}`, 'b'] });
    expect(record).toEqual({ id: 'exe-00000000-2', shared: { inner: { n: 1 } }, list: ['a1', 'b'] });
    expect(Object.isFrozen(record.list)).toBe(true);
    expect(Object.isFrozen(shared.inner)).toBe(false); // frozen by its owner, who answers for it
  });

  it('the seeded data set a sandbox starts from is frozen all through (tables share it copy-on-write)', async () => {
    const sandbox = createSandbox({ now: TEST_NOW });
    await sandbox.ready;
    for (const table of ['executions', 'workflows', 'auditLogs'] as const) {
      const records = sandbox.state.db[table].all();
      expect(records.length).toBeGreaterThan(0);
      for (const record of records.slice(0, 20)) expectDeeplyFrozen(record, table);
    }
  });
});
