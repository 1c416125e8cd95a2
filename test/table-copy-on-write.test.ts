import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Table } from '../src/data/table.ts';
import { withUndoLog } from '../src/data/undo-log.ts';

/**
 * Copy on write per record (src/data/table.ts): a table sharing frozen loaded records answers
 * exactly like a plain array model through any mix of writes and rolled-back requests, and the
 * shared records and the other table loaded from them stay as they were.
 */

const schema = z.object({ id: z.string(), n: z.number() });
type Row = z.output<typeof schema>;

function lcg(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000);
}

describe('Table copy on write per record', () => {
  it.each([1, 2, 3, 4])('matches a plain array through random writes and rollbacks (seed %i)', async (seed) => {
    const loaded = Object.freeze(Array.from({ length: 40 }, (_, i) => Object.freeze({ id: `r${i}`, n: i })));
    const table = new Table('rows', schema);
    const other = new Table('rows', schema);
    await table.load(loaded);
    await other.load(loaded);
    let model: Row[] = [...loaded];
    const random = lcg(seed);
    const pick = () => model[Math.floor(random() * model.length)];
    for (let step = 0; step < 300; step++) {
      const roll = random();
      const saved = model.slice();
      const log = withUndoLog({ rows: table });
      if (roll < 0.3) {
        const id = random() < 0.3 ? `r${Math.floor(random() * 40)}` : `new${step}`; // loaded ids come back after deletes
        if (!model.some((r) => r.id === id)) {
          await log.db.rows.insert({ id, n: -step });
          model.push({ id, n: -step });
        }
      } else if (roll < 0.6) {
        const row = pick();
        if (row) {
          await log.db.rows.update(row.id, { n: step });
          model = model.map((r) => (r.id === row.id ? { ...r, n: step } : r));
        }
      } else if (roll < 0.85) {
        const row = pick();
        if (row) {
          await log.db.rows.delete(row.id);
          model = model.filter((r) => r.id !== row.id);
        }
      }
      if (random() < 0.25) {
        await log.rollback();
        model = saved;
      }
      if (step % 10 === 0 || step === 299) {
        expect(table.all().map((r) => ({ ...r }))).toEqual(model);
        expect(table.count()).toBe(model.length);
        for (const row of model) expect(table.get(row.id)).toEqual(row);
      }
    }
    expect(other.all()).toBe(loaded);
    expect(loaded.map((r) => r.n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
