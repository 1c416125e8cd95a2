/**
 * Values derived from a table's records (indexes), shared copy-on-write like the records
 * themselves (src/data/table.ts): built once per frozen record array and process, copied by a
 * table's first write, then kept in step with each write.
 */

/** How to build, copy and maintain one kind of derived value over records `R`. */
export interface Derived<R, T> {
  /** A name for messages. */
  readonly name: string;
  /**
   * Builds the value from records in insertion order.
   * @param owned false when the value is shared by several tables (never changed afterwards,
   *   not even by reads), true when one table owns it
   */
  build(records: ReadonlyArray<R>, owned: boolean): T;
  /** A copy one table owns and changes (the shared original stays as it is). */
  copy(value: T): T;
  /** Brings an owned value in step with one write: `before` replaced by `after` (either may be undefined). */
  apply(value: T, before: R | undefined, after: R | undefined): void;
}

const shared = new WeakMap<ReadonlyArray<unknown>, Map<Derived<any, unknown>, unknown>>();

/** The shared value of `definition` over a frozen record array, built on first use. */
export function derivedValue<R, T>(records: ReadonlyArray<R>, definition: Derived<R, T>): T {
  let values = shared.get(records);
  if (!values) shared.set(records, (values = new Map()));
  if (!values.has(definition)) values.set(definition, definition.build(records, false));
  return values.get(definition) as T;
}
