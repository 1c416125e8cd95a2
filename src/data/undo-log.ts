import type { Table } from './table.ts';

/**
 * Atomic writes (design.md "Writes are atomic: a request either applies fully or leaves no
 * trace"): a per-request view of the database that records how to undo every write it makes.
 *
 * Usage (the pipeline, around a write handler):
 * ```ts
 * const log = withUndoLog(state.db);
 * try {
 *   response = await route.handler({ ...ctx, state: { ...state, db: log.db } });
 * } catch (error) {
 *   await log.rollback();
 *   throw error;
 * }
 * ```
 * Reads go straight to the real tables, so a handler sees its own writes. Writes made by other
 * requests meanwhile are not in this log and are kept; but a rollback puts back this request's
 * "before" value of a record another request changed in between (last writer wins, as without
 * the log). Ids and random draws a failed request took (`state.counters`) are not given back,
 * like a database sequence: putting them back could hand the same id to two requests.
 */

/** A step that undoes one write. */
type Undo = () => Promise<unknown>;

/**
 * Wraps every table of `db` so its writes are recorded for {@link rollback}:
 * `insert` (undone by deleting the record), `update` (by putting the previous record back in
 * place), `delete` and `deleteWhere` (by putting each deleted record back at its position).
 * Everything else (`get`, `all`, `filter`, `count`, `positionOf`, `schema`, `name`, `collection`)
 * reads the real table. `clear` and `load` cannot be undone and throw.
 * @param db the tables of one state, e.g. `state.db`
 * @returns `db`: same shape and types as the input, for the handler; `rollback()`: applies the
 *   undo steps in reverse order (each once; a second call does nothing) and rejects with an
 *   AggregateError naming how many steps failed, after trying all of them
 */
export function withUndoLog<D extends Record<string, Table<any>>>(db: D): { db: D; rollback(): Promise<void> } {
  const steps: Undo[] = [];
  const wrapped: Record<string, Table<any>> = {};
  for (const [name, table] of Object.entries(db)) wrapped[name] = logged(table, steps);
  return {
    db: wrapped as D,
    async rollback() {
      const failures: unknown[] = [];
      for (let undo = steps.pop(); undo; undo = steps.pop()) {
        try {
          await undo();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw new AggregateError(failures, `Rollback: ${failures.length} undo step(s) failed; the data may be inconsistent (reset the sandbox).`);
    },
  };
}

/** A table whose writes push undo steps onto `steps`. */
function logged<T extends Table<any>>(table: T, steps: Undo[]): T {
  const writes = {
    async insert(values: unknown) {
      const record = await table.insert(values as never);
      steps.push(() => table.delete(record.id));
      return record;
    },
    async update(id: string, patch: unknown) {
      const previous = table.get(id);
      const updated = await table.update(id, patch as never);
      if (updated && previous) steps.push(() => table.restore(previous));
      return updated;
    },
    async delete(id: string) {
      const previous = table.get(id);
      const position = table.positionOf(id);
      const deleted = await table.delete(id);
      if (deleted && previous) steps.push(() => table.restore(previous, position));
      return deleted;
    },
    async deleteWhere(predicate: (record: unknown) => boolean) {
      const doomed = table.filter(predicate as never);
      for (const record of doomed) await writes.delete(record.id);
      return doomed.length;
    },
    clear() {
      throw new Error(`${table.name}: clear() cannot be undone, so a request handler must not call it`);
    },
    load() {
      throw new Error(`${table.name}: load() cannot be undone, so a request handler must not call it`);
    },
  };
  return new Proxy(table, {
    get(target, property) {
      if (Object.hasOwn(writes, property)) return writes[property as keyof typeof writes];
      // Private fields need the real table as `this`.
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
