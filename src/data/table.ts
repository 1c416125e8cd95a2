import { Collection } from '@msw/data';
import type { z } from 'zod';

/**
 * One in-memory collection: an `@msw/data` {@link Collection} validated by a zod schema, plus an
 * id index beside it, because `findFirst` by id is a linear scan in @msw/data 1.1.x (design.md,
 * "@msw/data 1.1.x facts"). Records are stored as the API returns them (camelCase, ISO-8601).
 *
 * Copy on write: {@link Table.load} hands the table a seeded data set's frozen records without
 * copying them (reads are served from them), and the first write moves them into the collection.
 * @msw/data's `create` deep-copies every record (~50 µs for an execution, measured), so a reset
 * or a new namespace over the `large` data set (100,000 executions) costs ~70 ms instead of ~5 s,
 * and only a table that is written pays for its copy.
 *
 * Records returned are the stored objects: treat them as read-only (shared ones are frozen) and
 * change them through {@link Table.update}, which validates the result and keeps the index in step.
 */
export class Table<S extends z.ZodType<{ id: string }>> {
  #collection: Collection<S>;
  /** While `trusted` is true, the current collection's inserts skip validation (records already checked). */
  #trust: { trusted: boolean };
  #byId = new Map<string, z.output<S>>();
  /** Loaded records not yet moved into the collection (null once written to). */
  #shared: ReadonlyArray<z.output<S>> | null = null;
  /** Pending move of the shared records into the collection; writes wait for it. */
  #materializing: Promise<void> | null = null;

  constructor(
    readonly name: string,
    /** The record schema (also used to check snapshot records before they are loaded). */
    readonly schema: S,
  ) {
    [this.#collection, this.#trust] = this.#newCollection(false);
  }

  /** The @msw/data collection holding the written records (replaced when shared records are moved in). */
  get collection(): Collection<S> {
    return this.#collection;
  }

  /** A collection that validates through a gate, so known-good records can skip zod. */
  #newCollection(trusted: boolean): [Collection<S>, { trusted: boolean }] {
    const trust = { trusted };
    const schema = this.schema;
    const gate = {
      '~standard': {
        version: 1,
        vendor: 'nodeloom-sandbox',
        validate: (value: unknown) => (trust.trusted ? { value } : schema['~standard'].validate(value)),
      },
    } as unknown as S;
    return [new Collection({ schema: gate }), trust];
  }

  /**
   * Gives an empty table records that were validated before (a seeded data set, or a snapshot
   * checked against {@link Table.schema}), sharing them until the first write.
   * @param records must not change afterwards (seeded sets are frozen)
   * @throws Error when the table is not empty or an id repeats
   */
  async load(records: ReadonlyArray<z.output<S>>): Promise<void> {
    if (this.#byId.size > 0 || this.#shared) throw new Error(`${this.name}: load needs an empty table`);
    for (const record of records) {
      if (this.#byId.has(record.id)) throw new Error(`${this.name}: duplicate id ${record.id}`);
      this.#byId.set(record.id, record);
    }
    this.#shared = records;
  }

  /**
   * Inserts a record after validating it against the schema.
   * @throws Error when the record does not match the schema (a programming error: request bodies
   *   are validated before they reach a service), or when the id is already taken.
   */
  async insert(values: z.input<S>): Promise<z.output<S>> {
    await this.#materialize();
    const id = (values as { id?: unknown }).id;
    if (typeof id === 'string' && this.#byId.has(id)) throw new Error(`${this.name}: duplicate id ${id}`);
    const record = (await this.#collection.create(values)) as z.output<S>;
    this.#byId.set(record.id, record);
    return record;
  }

  /** The record with this id, or undefined. O(1). */
  get(id: string): z.output<S> | undefined {
    return this.#byId.get(id);
  }

  /** All records in insertion order (the stored array; do not mutate). */
  all(): ReadonlyArray<z.output<S>> {
    return this.#shared ?? (this.#collection.all() as unknown as ReadonlyArray<z.output<S>>);
  }

  /** Records for which `predicate` is true, in insertion order. */
  filter(predicate: (record: z.output<S>) => boolean): Array<z.output<S>> {
    return this.all().filter(predicate);
  }

  /** Whether the table still serves shared (seeded, frozen) records it has not copied yet. */
  get shared(): boolean {
    return this.#shared !== null;
  }

  /** Number of records. */
  count(): number {
    return this.#byId.size;
  }

  /**
   * Replaces fields of the record with this id with those in `patch`.
   * @returns the updated record, or undefined when no record has this id
   * @throws Error when the result would not match the schema (nothing is changed then)
   */
  async update(id: string, patch: Partial<z.output<S>>): Promise<z.output<S> | undefined> {
    await this.#materialize();
    const current = this.#byId.get(id);
    if (!current) return undefined;
    const updated = (await this.#collection.update(current as never, {
      data(draft: Record<string, unknown>) {
        Object.assign(draft, patch);
      },
    })) as z.output<S> | undefined;
    if (updated) this.#byId.set(id, updated);
    return updated;
  }

  /** Deletes the record with this id. @returns whether a record was deleted */
  async delete(id: string): Promise<boolean> {
    await this.#materialize();
    const current = this.#byId.get(id);
    if (!current) return false;
    this.#collection.delete(current as never);
    this.#byId.delete(id);
    return true;
  }

  /**
   * Deletes every record for which `predicate` is true. @returns how many were deleted
   *
   * A few records of a table already written to are deleted one by one; otherwise the survivors
   * become the table's shared records (as {@link Table.load} does), because @msw/data's `delete`
   * scans the collection (~11 ms per delete at 100,000 records) and a first write copies every
   * shared record (~5 s for the `large` executions): deleting 2,000 of them one by one took 23 s,
   * the survivors' way takes ~70 ms for any number (measured on Node 20).
   */
  async deleteWhere(predicate: (record: z.output<S>) => boolean): Promise<number> {
    if (this.#materializing) await this.#materializing;
    const all = this.all();
    const doomed: Array<z.output<S>> = [];
    const survivors: Array<z.output<S>> = [];
    for (const record of all) (predicate(record) ? doomed : survivors).push(record);
    const removed = doomed.length;
    if (removed === 0) return 0;
    if (!this.#shared && removed <= 16) {
      for (const record of doomed) await this.delete(record.id);
      return removed;
    }
    // Stored records are never changed in place (see `update`), so the survivors can be shared;
    // the next write copies them into the collection again, as after a load.
    this.clear();
    await this.load(survivors);
    return removed;
  }

  /** Position of the record with this id in {@link Table.all} order, or -1. O(n). */
  positionOf(id: string): number {
    const record = this.#byId.get(id);
    return record === undefined ? -1 : this.all().indexOf(record);
  }

  /**
   * Puts back a record exactly as it was, for undoing a write (data/undo-log.ts): replaces the
   * record with the same id where it stands, or, when there is none, inserts it at `position`
   * (default: the end), so {@link Table.all} returns the same order as before the write.
   * Skips validation: the record was valid when it was stored.
   *
   * Relies on @msw/data 1.1.x `Collection.all()` returning its store array (documented there as
   * "preserve exact record references"); checked after each restore.
   * @param record a record this table held before (a stored or loaded one)
   * @param position index in {@link Table.all} order for a record that is not present
   * @throws Error when @msw/data no longer exposes its store array
   */
  async restore(record: z.output<S>, position?: number): Promise<void> {
    await this.#materialize();
    const records = this.#collection.all() as unknown as Array<z.output<S>>;
    if (this.#collection.all() !== records) throw new Error(`${this.name}: cannot restore ${record.id}: @msw/data's all() no longer returns its store array`);
    // Created through the collection so it carries @msw/data's internal keys; the gate is open
    // only for the synchronous part of create(), where it validates.
    this.#trust.trusted = true;
    let pending: Promise<unknown>;
    try {
      pending = this.#collection.create(record as z.input<S>);
    } finally {
      this.#trust.trusted = false;
    }
    const stored = (await pending) as z.output<S>;
    const appended = records.lastIndexOf(stored);
    if (appended < 0) return; // the table was cleared meanwhile: nothing to put back into
    records.splice(appended, 1); // create() appended it: move it to its place
    const current = this.#byId.get(record.id);
    const index = current === undefined ? -1 : records.indexOf(current);
    if (index >= 0) records[index] = stored;
    else records.splice(Math.min(Math.max(position ?? records.length, 0), records.length), 0, stored);
    this.#byId.set(record.id, stored);
  }

  /** Removes every record. */
  clear(): void {
    this.#collection.clear();
    this.#byId.clear();
    this.#shared = null;
    this.#materializing = null;
  }

  /**
   * Moves the shared records into a collection once; concurrent writers wait for the same move.
   * All or nothing: the records are copied into a new collection and id index built aside, and
   * swapped in only when every copy succeeded. A failed copy leaves the table as it was (reads
   * still served from the shared records) and forgets the failed attempt, so the next write
   * tries again instead of failing for good or finding a half-filled table.
   * @throws whatever the copy threw (to every writer waiting for this move)
   */
  async #materialize(): Promise<void> {
    // A clear() or load() during a copy replaces the shared records: then copy the new ones.
    while (this.#shared) {
      const shared = this.#shared;
      const attempt = (this.#materializing ??= this.#copyShared(shared));
      try {
        await attempt;
      } catch (error) {
        if (this.#materializing === attempt) this.#materializing = null;
        throw error;
      }
    }
  }

  async #copyShared(shared: ReadonlyArray<z.output<S>>): Promise<void> {
    const [collection, trust] = this.#newCollection(true);
    const byId = new Map<string, z.output<S>>();
    for (const record of shared) byId.set(record.id, (await collection.create(record as z.input<S>)) as z.output<S>);
    trust.trusted = false;
    if (this.#shared !== shared) return; // replaced while copying: this copy is stale
    this.#collection = collection;
    this.#trust = trust;
    this.#byId = byId;
    this.#shared = null; // reads switch to the collection only now that it holds everything
    this.#materializing = null;
  }
}
