import { Collection } from '@msw/data';
import type { z } from 'zod';

/**
 * One in-memory collection: an `@msw/data` {@link Collection} validated by a zod schema, plus an
 * id index beside it, because `findFirst` by id is a linear scan in @msw/data 1.1.x (design.md,
 * "@msw/data 1.1.x facts"). Records are stored as the API returns them (camelCase, ISO-8601).
 *
 * Records returned are the stored objects: treat them as read-only and change them through
 * {@link Table.update}, which validates the result and keeps the index in step.
 */
export class Table<S extends z.ZodType<{ id: string }>> {
  readonly collection: Collection<S>;
  readonly #byId = new Map<string, z.output<S>>();
  /** While true, inserts skip validation (records already checked: see {@link Table.load}). */
  #trusted = false;

  constructor(
    readonly name: string,
    /** The record schema (also used to check snapshot records before they are loaded). */
    readonly schema: S,
  ) {
    // The collection validates through this gate, so `load` can skip zod for known-good records
    // (a seeded data set is validated once when generated, then loaded on every reset).
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
   * Inserts records that were validated before (a seeded data set, or a snapshot checked against
   * {@link Table.schema}) without validating them again. Only for a table nobody else is using yet.
   * @throws Error on a duplicate id
   */
  async load(records: ReadonlyArray<z.output<S>>): Promise<void> {
    this.#trusted = true;
    try {
      for (const record of records) await this.insert(record as z.input<S>);
    } finally {
      this.#trusted = false;
    }
  }

  /**
   * Inserts a record after validating it against the schema.
   * @throws Error when the record does not match the schema (a programming error: request bodies
   *   are validated before they reach a service), or when the id is already taken.
   */
  async insert(values: z.input<S>): Promise<z.output<S>> {
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
    return this.collection.all() as unknown as ReadonlyArray<z.output<S>>;
  }

  /** Records for which `predicate` is true, in insertion order. */
  filter(predicate: (record: z.output<S>) => boolean): Array<z.output<S>> {
    return this.all().filter(predicate);
  }

  /** Number of records. */
  count(): number {
    return this.#byId.size;
  }

  /**
   * Replaces fields of the record with this id; `patch` returns the fields to change.
   * @returns the updated record, or undefined when no record has this id
   * @throws Error when the result would not match the schema (nothing is changed then)
   */
  async update(id: string, patch: Partial<z.output<S>>): Promise<z.output<S> | undefined> {
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
  delete(id: string): boolean {
    const current = this.#byId.get(id);
    if (!current) return false;
    this.collection.delete(current as never);
    this.#byId.delete(id);
    return true;
  }

  /** Deletes every record for which `predicate` is true. @returns how many were deleted */
  deleteWhere(predicate: (record: z.output<S>) => boolean): number {
    const doomed = this.filter(predicate);
    for (const record of doomed) this.delete(record.id);
    return doomed.length;
  }

  /** Removes every record. */
  clear(): void {
    this.collection.clear();
    this.#byId.clear();
  }
}
