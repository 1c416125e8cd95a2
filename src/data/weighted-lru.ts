/**
 * A least-recently-used cache bounded twice: by how many entries it keeps and by their total
 * weight (e.g. records). An entry's weight may become known after it is stored (a value still being
 * generated weighs 0 until {@link WeightedLru.weigh} is called, and is dropped only for the count,
 * since dropping it frees no weight), and the entry just stored or weighed is never the one
 * dropped, so a single entry heavier than the bound is still kept.
 *
 * Used for the seeded data sets a process shares (src/namespace.ts): a `default` data set is 566
 * records and a `large` one ~102,600, so a bound on the count alone either rebuilt small sets over
 * and over or let several large ones (~175 MB each) stay.
 */
export class WeightedLru<K, V> {
  readonly #entries = new Map<K, { value: V; weight: number }>();
  #weight = 0;

  /**
   * @param maxEntries most entries kept (at least 1)
   * @param maxWeight most total weight kept (same unit as {@link weigh}'s)
   */
  constructor(
    readonly maxEntries: number,
    readonly maxWeight: number,
  ) {}

  /** The value stored under `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` under `key` (weight 0 until weighed) as the most recently used, then drops the least recently used over the bounds. */
  set(key: K, value: V): void {
    this.delete(key);
    this.#entries.set(key, { value, weight: 0 });
    this.#evict(key);
  }

  /**
   * Sets the weight of the entry holding `value` under `key` (nothing when it was dropped or
   * replaced meanwhile), then drops the least recently used entries over the bounds, never this one.
   * @param weight a non-negative number, e.g. records
   */
  weigh(key: K, value: V, weight: number): void {
    const entry = this.#entries.get(key);
    if (!entry || entry.value !== value) return;
    this.#weight += weight - entry.weight;
    entry.weight = weight;
    this.#evict(key);
  }

  /**
   * Drops the entry under `key`; with `value`, only when it still holds that value.
   * @returns whether an entry was dropped
   */
  delete(key: K, value?: V): boolean {
    const entry = this.#entries.get(key);
    if (!entry || (value !== undefined && entry.value !== value)) return false;
    this.#weight -= entry.weight;
    return this.#entries.delete(key);
  }

  /** The keys, least recently used first. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }

  /** Number of entries kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Total weight of the entries kept. */
  get weight(): number {
    return this.#weight;
  }

  #evict(keep: K): void {
    for (const [key, entry] of [...this.#entries]) {
      const overCount = this.#entries.size > this.maxEntries;
      if (!overCount && this.#weight <= this.maxWeight) return;
      // An entry of weight 0 (a value still being generated) frees nothing of the weight: dropping
      // it for the weight bound alone would only make its next caller generate it a second time.
      if (key !== keep && (overCount || entry.weight > 0)) this.delete(key);
    }
  }
}
