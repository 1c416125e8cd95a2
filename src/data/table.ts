import type { z } from 'zod';
import { derivedOf, derivedValue, type Derived } from './derived.ts';

/**
 * One in-memory collection of records validated by a zod schema, in insertion order, with an id
 * index. Records are stored as the API returns them (camelCase, ISO-8601).
 *
 * Copy on write per record: {@link Table.load} hands the table a data set's records (frozen, shared
 * by every namespace of the process) without copying them. A write copies the array of record
 * references once (~1 ms for 100,000) and stores only the records it creates or changes; the id
 * index is a small per-table overlay over the shared one. Before this, the first write moved every
 * shared record into an @msw/data collection, whose `create` deep-copies a record (~50 µs for an
 * execution): 6.7 s and +250 MB of RSS for the `large` data set's 100,000 executions (issue 13).
 * @msw/data gave nothing else the tables use (its queries scan, `findFirst` by id is linear and
 * `findMany` pages before sorting; design.md), so the table keeps its own array.
 *
 * Indexes built from the records ({@link Table.derived}) are shared the same way: built once per
 * loaded data set, copied by a namespace's first write and kept up to date record by record.
 *
 * Records returned are the stored objects: treat them as read-only (shared ones are frozen) and
 * change them through {@link Table.update}, which validates the result and keeps the index in step.
 */
export class Table<S extends z.ZodType<{ id: string }>> {
  /** Records in insertion order: the loaded array itself until the first write (see `#own`). */
  #records: ReadonlyArray<z.output<S>> = [];
  /** Whether `#records` is this table's own array (false: the loaded, shared one). */
  #owned = true;
  /** Id index of the loaded records (shared when they were frozen). */
  #baseById: ReadonlyMap<string, z.output<S>> = new Map();
  /** Records written since the load, by id; `GONE` marks a deleted loaded record. */
  #overlay = new Map<string, z.output<S> | typeof GONE>();
  #count = 0;
  /** Indexes this table owns (after a write), by their definition. */
  #derived = new Map<Derived<z.output<S>, unknown>, unknown>();

  constructor(
    readonly name: string,
    /** The record schema (also used to check snapshot records before they are loaded). */
    readonly schema: S,
  ) {}

  /**
   * Gives an empty table records that were validated before (a seeded data set, or a snapshot
   * checked against {@link Table.schema}), sharing them until the first write. A frozen array is
   * taken to be shared by other tables: its id index is built once per process (see {@link shared}).
   * @param records must not change afterwards (seeded sets are frozen)
   * @throws Error when the table is not empty or an id repeats
   */
  async load(records: ReadonlyArray<z.output<S>>): Promise<void> {
    if (this.#count > 0) throw new Error(`${this.name}: load needs an empty table`);
    this.clear();
    this.#baseById = idIndex(this.name, records);
    this.#records = records;
    this.#owned = false;
    this.#count = records.length;
  }

  /**
   * Inserts a record after validating it against the schema.
   * @throws Error when the record does not match the schema (a programming error: request bodies
   *   are validated before they reach a service), or when the id is already taken.
   */
  async insert(values: z.input<S>): Promise<z.output<S>> {
    const id = (values as { id?: unknown }).id;
    if (typeof id === 'string' && this.get(id)) throw new Error(`${this.name}: duplicate id ${id}`);
    const record = this.schema.parse(values) as z.output<S>;
    if (this.get(record.id)) throw new Error(`${this.name}: duplicate id ${record.id}`);
    this.#own().push(record);
    this.#set(record.id, record);
    this.#count += 1;
    this.#changed(undefined, record);
    return record;
  }

  /** The record with this id, or undefined. O(1). */
  get(id: string): z.output<S> | undefined {
    const written = this.#overlay.get(id);
    if (written !== undefined) return written === GONE ? undefined : written;
    return this.#baseById.get(id);
  }

  /** All records in insertion order (the stored array; do not mutate). */
  all(): ReadonlyArray<z.output<S>> {
    return this.#records;
  }

  /** Records for which `predicate` is true, in insertion order. */
  filter(predicate: (record: z.output<S>) => boolean): Array<z.output<S>> {
    return this.#records.filter(predicate);
  }

  /** Whether the table still serves the loaded records without having written to them. */
  get shared(): boolean {
    return !this.#owned;
  }

  /** Records this table holds apart from the loaded ones (written since the load). */
  get written(): number {
    return this.#overlay.size;
  }

  /** Number of records. */
  count(): number {
    return this.#count;
  }

  /**
   * A value derived from the records (an index), built on first use and kept in step with every
   * write through `definition.apply`. While the table has not been written to, tables loaded with
   * the same frozen records share one value; the first write copies it (`definition.copy`).
   * @returns the value: read it, never change it
   */
  derived<T>(definition: Derived<z.output<S>, T>): T {
    const own = this.#derived.get(definition as Derived<z.output<S>, unknown>);
    if (own !== undefined) return own as T;
    if (!this.#owned && Object.isFrozen(this.#records)) return derivedValue(this.#records, definition);
    const built = definition.build(this.#records, true);
    this.#derived.set(definition as Derived<z.output<S>, unknown>, built);
    return built;
  }

  /**
   * Replaces fields of the record with this id with those in `patch`.
   * @returns the updated record, or undefined when no record has this id
   * @throws Error when the result would not match the schema (nothing is changed then)
   */
  async update(id: string, patch: Partial<z.output<S>>): Promise<z.output<S> | undefined> {
    const current = this.get(id);
    if (!current) return undefined;
    const updated = this.schema.parse({ ...current, ...patch, id }) as z.output<S>;
    const records = this.#own();
    records[records.indexOf(current)] = updated;
    this.#set(id, updated);
    this.#changed(current, updated);
    return updated;
  }

  /** Deletes the record with this id. @returns whether a record was deleted */
  async delete(id: string): Promise<boolean> {
    const current = this.get(id);
    if (!current) return false;
    const records = this.#own();
    records.splice(records.indexOf(current), 1);
    this.#set(id, undefined);
    this.#count -= 1;
    this.#changed(current, undefined);
    return true;
  }

  /**
   * Deletes every record for which `predicate` is true, in one pass over the array.
   * @returns how many were deleted
   */
  async deleteWhere(predicate: (record: z.output<S>) => boolean): Promise<number> {
    const doomed: Array<z.output<S>> = [];
    const survivors: Array<z.output<S>> = [];
    for (const record of this.#records) (predicate(record) ? doomed : survivors).push(record);
    if (doomed.length === 0) return 0;
    if (doomed.length <= 16) {
      for (const record of doomed) await this.delete(record.id);
      return doomed.length;
    }
    // Many: the survivors become the table's records, with their own id index and fresh indexes.
    this.clear();
    await this.load(survivors);
    this.#owned = true;
    return doomed.length;
  }

  /** Position of the record with this id in {@link Table.all} order, or -1. O(n). */
  positionOf(id: string): number {
    const record = this.get(id);
    return record === undefined ? -1 : this.#records.indexOf(record);
  }

  /**
   * Puts back a record exactly as it was, for undoing a write (data/undo-log.ts): replaces the
   * record with the same id where it stands, or, when there is none, inserts it at `position`
   * (default: the end), so {@link Table.all} returns the same order as before the write.
   * Skips validation: the record was valid when it was stored.
   * @param record a record this table held before (a stored or loaded one)
   * @param position index in {@link Table.all} order for a record that is not present
   */
  async restore(record: z.output<S>, position?: number): Promise<void> {
    const current = this.get(record.id);
    const records = this.#own();
    const index = current === undefined ? -1 : records.indexOf(current);
    if (index >= 0) records[index] = record;
    else records.splice(Math.min(Math.max(position ?? records.length, 0), records.length), 0, record);
    if (index < 0) this.#count += 1;
    this.#set(record.id, record);
    this.#changed(current, record);
  }

  /** Removes every record. */
  clear(): void {
    this.#records = [];
    this.#owned = true;
    this.#baseById = new Map();
    this.#overlay = new Map();
    this.#count = 0;
    this.#derived.clear();
  }

  /** The table's own record array, copying the shared one (and its indexes) on the first write. */
  #own(): Array<z.output<S>> {
    if (!this.#owned) {
      const shared = this.#records;
      if (Object.isFrozen(shared)) {
        for (const [definition, value] of sharedDerived(shared)) this.#derived.set(definition, definition.copy(value));
      }
      this.#records = shared.slice();
      this.#owned = true;
    }
    return this.#records as Array<z.output<S>>;
  }

  /** Records `record` (undefined: deleted) under `id` in the overlay. */
  #set(id: string, record: z.output<S> | undefined): void {
    if (record === undefined) {
      if (this.#baseById.has(id)) this.#overlay.set(id, GONE);
      else this.#overlay.delete(id);
    } else if (this.#baseById.get(id) === record) {
      this.#overlay.delete(id);
    } else {
      this.#overlay.set(id, record);
    }
  }

  #changed(before: z.output<S> | undefined, after: z.output<S> | undefined): void {
    for (const [definition, value] of this.#derived) definition.apply(value, before, after);
  }
}

const GONE = Symbol('deleted');

/** Id indexes of frozen (shared) record arrays: one per data set and table in the process. */
const sharedIds = new WeakMap<ReadonlyArray<{ id: string }>, ReadonlyMap<string, { id: string }>>();

function idIndex<R extends { id: string }>(name: string, records: ReadonlyArray<R>): ReadonlyMap<string, R> {
  const cached = sharedIds.get(records);
  if (cached) return cached as ReadonlyMap<string, R>;
  const byId = new Map<string, R>();
  for (const record of records) {
    if (byId.has(record.id)) throw new Error(`${name}: duplicate id ${record.id}`);
    byId.set(record.id, record);
  }
  if (Object.isFrozen(records)) sharedIds.set(records, byId);
  return byId;
}

function sharedDerived<R>(records: ReadonlyArray<R>): Array<[Derived<R, unknown>, unknown]> {
  return [...(derivedOf(records) ?? [])];
}
