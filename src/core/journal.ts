/**
 * The request journal: a bounded ring buffer of what the sandbox answered, newest first on read,
 * so a developer can tell a real bug from an injected one (`GET /__sandbox/requests`).
 */

/** One journal entry. Times are ISO-8601 sandbox time; `durationMs` is real elapsed time. */
export interface JournalEntry {
  requestId: string;
  time: string;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  /** `user:admin@acme.test`, `token:sandbox-admin` or `anonymous`. */
  principal: string;
  /** Scenario rules that changed the response (`flaky/one-in-five (error 502)`), empty if none. */
  scenarioApplied: string[];
  /** The RBAC decision, when the route is team-scoped: team, role, permission needed, allowed. */
  rbac: { teamId: string | null; role: string | null; permission: string | null; allowed: boolean } | null;
  /** Rate-limit state after this request, or null when none was counted. */
  rateLimit: { limit: number; remaining: number; reset: number; exceeded: boolean } | null;
}

/** Filters for {@link Journal.list}. */
export interface JournalFilter {
  method?: string;
  /** Substring of the path, or a prefix pattern ending in `*`. */
  path?: string;
  status?: number;
  /** Only entries at or after this ISO-8601 time. */
  since?: string;
  /** At most this many (newest first). */
  limit?: number;
}

/**
 * Longest path or query string an entry keeps, characters. A request line can carry up to the
 * 16 KB header limit of query string; 500 such entries would hold 8 MB per namespace. 2,048 is
 * the URL length browsers and proxies have long been safe with, so real paths are kept whole.
 */
export const MAX_JOURNAL_TEXT = 2048;

/**
 * `text` cut to {@link MAX_JOURNAL_TEXT} characters, marked `…[truncated from N chars]` when cut
 * (so a prefix filter on the path still matches).
 */
export function truncateJournalText(text: string): string {
  return text.length <= MAX_JOURNAL_TEXT ? text : `${text.slice(0, MAX_JOURNAL_TEXT)}…[truncated from ${text.length} chars]`;
}

/** A ring buffer of the last `capacity` requests. */
export class Journal {
  #entries: JournalEntry[] = [];
  #next = 0;

  constructor(public capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal size must be a positive integer, got ${capacity}`);
  }

  /** Records an entry (path and query cut to {@link MAX_JOURNAL_TEXT}), overwriting the oldest once full. */
  add(entry: JournalEntry): void {
    if (entry.path.length > MAX_JOURNAL_TEXT || entry.query.length > MAX_JOURNAL_TEXT) {
      entry = { ...entry, path: truncateJournalText(entry.path), query: truncateJournalText(entry.query) };
    }
    if (this.#entries.length < this.capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Entries newest first, filtered. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const ordered =
      this.#entries.length < this.capacity
        ? [...this.#entries].reverse()
        : [...this.#entries.slice(0, this.#next).reverse(), ...this.#entries.slice(this.#next).reverse()];
    const since = filter.since ? Date.parse(filter.since) : undefined;
    const result = ordered.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined ||
          (filter.path.endsWith('*') ? e.path.startsWith(filter.path.slice(0, -1)) : e.path.includes(filter.path))) &&
        (filter.status === undefined || e.status === filter.status) &&
        (since === undefined || Date.parse(e.time) >= since),
    );
    return filter.limit === undefined ? result : result.slice(0, filter.limit);
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
