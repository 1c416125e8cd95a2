import { z } from 'zod';
import { derivedValue, type Derived } from './derived.ts';

/**
 * One in-memory collection of records validated by a zod schema, in insertion order, with an id
 * index. Records are stored as the API returns them (camelCase, ISO-8601).
 *
 * Copy on write per record: {@link Table.load} hands the table a data set's records (frozen, shared
 * by every namespace of the process) without copying them. A write stores only the records it
 * creates, changes or deletes, in an overlay beside the shared records and their shared id index;
 * the array {@link Table.all} returns is assembled from both when next read (O(n) once per write). Before this, the first write moved every
 * shared record into an @msw/data collection, whose `create` deep-copies a record (~50 µs for an
 * execution): 6.7 s and +250 MB of RSS for the `large` data set's 100,000 executions (issue 13).
 * @msw/data gave nothing else the tables use (its queries scan, `findFirst` by id is linear and
 * `findMany` pages before sorting; design.md), so the table keeps its own array.
 *
 * Indexes built from the records ({@link Table.derived}) are shared the same way: built once per
 * loaded data set; after writes, copied on first use and kept up to date record by record.
 *
 * Records returned are the stored objects: treat them as read-only (shared ones are frozen) and
 * change them through {@link Table.update}, which validates the result and keeps the index in step.
 */
// The bound is zod's core schema type, not `z.ZodType<{ id: string }>`: checking the 15 record
// schemas of `Database` against the classic class type cost a consumer's type check (skipLibCheck
// off, and every editor) ~1 s per program in our declarations; against the core type, ~0.1 s
// (measured with test/setup/consumer-types.mjs). So schemas are parsed with `z.parse(schema, …)`.
export class Table<S extends z.core.$ZodType<{ id: string }>> {
  /** The loaded records (frozen ones are shared with other tables). */
  #base: ReadonlyArray<z.output<S>> = [];
  /** Id index of the loaded records (shared when they are frozen). */
  #baseById: ReadonlyMap<string, z.output<S>> = new Map();
  /** Records written since the load, by id; `GONE` marks a deleted loaded record. */
  #overlay = new Map<string, z.output<S> | typeof GONE>();
  /** Records inserted since the load, in order, until the table has its own array. */
  #appended: Array<z.output<S>> = [];
  /** The table's own array in insertion order, once a write needed one (null: base + overlay + appended). */
  #records: Array<z.output<S>> | null = [];
  /** {@link Table.all} as last assembled from base, overlay and appended records (null: assemble again). */
  #view: ReadonlyArray<z.output<S>> | null = null;
  #count = 0;
  /** Whether anything was written since the load. */
  #dirty = false;
  /** Indexes this table owns, by their definition. */
  #derived = new Map<Derived<z.output<S>, unknown>, unknown>();
  /** Writes since the load, to replay onto a copy of a shared index (null: too many, rebuild it). */
  #log: Array<[z.output<S> | undefined, z.output<S> | undefined]> | null = [];

  constructor(
    readonly name: string,
    /** The record schema (also used to check snapshot records before they are loaded). */
    readonly schema: S,
  ) {}

  /**
   * Gives an empty table records that were validated before (a seeded data set, or a snapshot
   * checked against {@link Table.schema}), sharing them until the first write. A frozen array is
   * taken to be shared by other tables: its id index and indexes are built once per process.
   * @param records must not change afterwards (seeded sets are frozen)
   * @throws Error when the table is not empty or an id repeats
   */
  async load(records: ReadonlyArray<z.output<S>>): Promise<void> {
    if (this.#count > 0) throw new Error(`${this.name}: load needs an empty table`);
    const byId = idIndex(this.name, records);
    this.clear();
    this.#baseById = byId;
    this.#base = records;
    this.#records = null;
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
    const record = z.parse(this.schema, values);
    if (this.get(record.id)) throw new Error(`${this.name}: duplicate id ${record.id}`);
    // A deleted loaded record's id taken again: the new record goes at the end, so the table needs
    // its own array (the assembled one puts every loaded id at its loaded place).
    (this.#records ?? (this.#baseById.has(record.id) ? this.#ownArray() : this.#appended)).push(record);
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

  /**
   * All records in insertion order (do not mutate). O(1), except the first call after writes to a
   * table that still shares its loaded records: that one assembles the array, O(n).
   */
  all(): ReadonlyArray<z.output<S>> {
    if (this.#records) return this.#records;
    if (!this.#dirty) return this.#base;
    if (!this.#view) {
      const view: Array<z.output<S>> = [];
      for (const record of this.#base) {
        const written = this.#overlay.get(record.id);
        if (written === undefined) view.push(record);
        else if (written !== GONE) view.push(written);
      }
      for (const record of this.#appended) view.push(record);
      this.#view = view;
    }
    return this.#view;
  }

  /** Records for which `predicate` is true, in insertion order. */
  filter(predicate: (record: z.output<S>) => boolean): Array<z.output<S>> {
    return this.all().filter(predicate);
  }

  /** Whether the table still serves the loaded records without having written to them. */
  get shared(): boolean {
    return !this.#dirty && this.#records === null;
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
   * write through `definition.apply`. Tables loaded with the same frozen records share one value
   * until they are written to; then the first use copies it and replays the writes since the load
   * (so a write itself never copies an index).
   * @returns the value: read it, never change it
   */
  derived<T>(definition: Derived<z.output<S>, T>): T {
    const key = definition as Derived<z.output<S>, unknown>;
    const own = this.#derived.get(key);
    if (own !== undefined) return own as T;
    const shared = this.#records === null && Object.isFrozen(this.#base);
    if (shared && !this.#dirty) return derivedValue(this.#base, definition);
    let value: T;
    if (shared && this.#log) {
      value = definition.copy(derivedValue(this.#base, definition));
      for (const [before, after] of this.#log) definition.apply(value, before, after);
    } else {
      value = definition.build(this.all(), true);
    }
    this.#derived.set(key, value);
    return value;
  }

  /**
   * Replaces fields of the record with this id with those in `patch`.
   * @returns the updated record, or undefined when no record has this id
   * @throws Error when the result would not match the schema (nothing is changed then)
   */
  async update(id: string, patch: Partial<z.output<S>>): Promise<z.output<S> | undefined> {
    const current = this.get(id);
    if (!current) return undefined;
    const updated = z.parse(this.schema, { ...current, ...patch, id });
    this.#replace(current, updated);
    this.#set(id, updated);
    this.#changed(current, updated);
    return updated;
  }

  /** Deletes the record with this id. @returns whether a record was deleted */
  async delete(id: string): Promise<boolean> {
    const current = this.get(id);
    if (!current) return false;
    const list = this.#records ?? (this.#baseById.has(id) ? null : this.#appended);
    if (list) list.splice(list.indexOf(current), 1);
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
    for (const record of this.all()) (predicate(record) ? doomed : survivors).push(record);
    if (doomed.length === 0) return 0;
    if (doomed.length <= 16) {
      for (const record of doomed) await this.delete(record.id);
      return doomed.length;
    }
    // Many: the survivors become the table's records, with their own id index and fresh indexes.
    this.clear();
    await this.load(survivors);
    this.#dirty = true;
    this.#log = null;
    return doomed.length;
  }

  /** Position of the record with this id in {@link Table.all} order, or -1. O(n). */
  positionOf(id: string): number {
    const record = this.get(id);
    return record === undefined ? -1 : this.all().indexOf(record);
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
    if (current) {
      this.#replace(current, record);
    } else if (this.#records || !this.#baseById.has(record.id)) {
      // A loaded record comes back at its loaded place by itself; any other needs the own array.
      const records = this.#ownArray();
      records.splice(Math.min(Math.max(position ?? records.length, 0), records.length), 0, record);
    }
    if (!current) this.#count += 1;
    this.#set(record.id, record);
    this.#changed(current, record);
  }

  /** Removes every record. */
  clear(): void {
    this.#base = [];
    this.#baseById = new Map();
    this.#overlay = new Map();
    this.#appended = [];
    this.#records = [];
    this.#view = null;
    this.#count = 0;
    this.#dirty = false;
    this.#derived.clear();
    this.#log = [];
  }

  /** Puts `updated` where `current` stands in insertion order. */
  #replace(current: z.output<S>, updated: z.output<S>): void {
    const list = this.#records ?? (this.#baseById.has(current.id) ? null : this.#appended);
    if (list) list[list.indexOf(current)] = updated;
  }

  /** The table's own array in insertion order, assembled (O(n)) the first time it is needed. */
  #ownArray(): Array<z.output<S>> {
    if (!this.#records) {
      this.#records = this.all().slice();
      this.#appended = [];
    }
    return this.#records;
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
    this.#dirty = true;
    this.#view = null;
    for (const [definition, value] of this.#derived) definition.apply(value, before, after);
    if (this.#log) {
      this.#log.push([before, after]);
      if (this.#log.length > LOG_CAP) this.#log = null;
    }
  }
}

/** Writes kept for replaying onto a shared index; past it an index is rebuilt from the records. */
const LOG_CAP = 10_000;

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
