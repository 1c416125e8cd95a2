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
  readonly collection: Collection<S>;
  readonly #byId = new Map<string, z.output<S>>();
  /** Loaded records not yet moved into the collection (null once written to). */
  #shared: ReadonlyArray<z.output<S>> | null = null;
  /** Pending move of the shared records into the collection; writes wait for it. */
  #materializing: Promise<void> | null = null;
  /** While true, inserts skip validation (records already checked). */
  #trusted = false;

  constructor(
    readonly name: string,
    /** The record schema (also used to check snapshot records before they are loaded). */
    readonly schema: S,
  ) {
    // The collection validates through this gate, so known-good records skip zod.
    const gate = {
      '~standard': {
        version: 1,
        vendor: 'nodeloom-sandbox',
        validate: (value: unknown) => (this.#trusted ? { value } : schema['~standard'].validate(value)),
      },
    } as unknown as S;
    this.collection = new Collection({ schema: gate });
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
    const record = (await this.collection.create(values)) as z.output<S>;
    this.#byId.set(record.id, record);
    return record;
  }

  /** The record with this id, or undefined. O(1). */
  get(id: string): z.output<S> | undefined {
    return this.#byId.get(id);
  }

  /** All records in insertion order (the stored array; do not mutate). */
  all(): ReadonlyArray<z.output<S>> {
    return this.#shared ?? (this.collection.all() as unknown as ReadonlyArray<z.output<S>>);
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
    const updated = (await this.collection.update(current as never, {
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
    this.collection.delete(current as never);
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

  /** Removes every record. */
  clear(): void {
    this.collection.clear();
    this.#byId.clear();
    this.#shared = null;
    this.#materializing = null;
  }

  /** Moves shared records into the collection once; concurrent writers wait for the same move. */
  #materialize(): Promise<void> {
    if (!this.#shared) return this.#materializing ?? Promise.resolve();
    const shared = this.#shared;
    this.#materializing ??= (async () => {
      this.#trusted = true;
      try {
        for (const record of shared) this.#byId.set(record.id, (await this.collection.create(record as z.input<S>)) as z.output<S>);
      } finally {
        this.#trusted = false;
        this.#shared = null; // reads switch to the collection only once it holds everything
      }
    })();
    return this.#materializing;
  }
}
