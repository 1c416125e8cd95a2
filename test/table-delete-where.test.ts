import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Table } from '../src/data/table.ts';

/** `Table.deleteWhere`: a few deletes one by one, many by keeping the survivors (src/data/table.ts). */

const schema = z.object({ id: z.string(), teamId: z.string(), n: z.number() });
const records = (count: number, teamOf: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => Object.freeze({ id: `r${i}`, teamId: teamOf(i), n: i }));

describe('Table.deleteWhere', () => {
  it('deletes many records of a loaded table, keeping the others in order and writable', async () => {
    const table = new Table('things', schema);
    await table.load(records(5_000, (i) => (i % 10 === 0 ? 'b' : 'a')));
    const started = performance.now();
    expect(await table.deleteWhere((r) => r.teamId === 'a')).toBe(4_500);
    expect(performance.now() - started).toBeLessThan(1_000); // one by one: seconds
    expect(table.count()).toBe(500);
    expect(table.all().map((r) => r.n).slice(0, 3)).toEqual([0, 10, 20]);
    expect(table.get('r1')).toBeUndefined();
    expect(table.get('r10')).toMatchObject({ teamId: 'b' });
    await table.insert({ id: 'new', teamId: 'b', n: -1 });
    expect(await table.update('r10', { n: 99 })).toMatchObject({ n: 99 });
    expect(table.count()).toBe(501);
    expect(table.all().at(-1)).toMatchObject({ id: 'new' });
  });

  it('deletes a few records of a written table one by one', async () => {
    const table = new Table('things', schema);
    for (const record of records(40, (i) => (i < 3 ? 'x' : 'y'))) await table.insert(record);
    expect(await table.deleteWhere((r) => r.teamId === 'x')).toBe(3);
    expect(table.all().map((r) => r.id)).toEqual(records(40, () => '').slice(3).map((r) => r.id));
    expect(await table.deleteWhere(() => false)).toBe(0);
    expect(table.count()).toBe(37);
  });
});
