import { TextSlab } from './text-slab.ts';

/**
 * The request journal: a bounded ring buffer of what the sandbox answered, newest first on read,
 * so a developer can tell a real bug from an injected one (`GET /__sandbox/requests`). Entries
 * are written once the response has settled (body fully sent, client gone, or failed), so a
 * streamed reply is journaled with its real outcome. Headers and the request body are kept by
 * reference and only copied, bounded and masked when read. The response body is kept as UTF-8
 * bytes outside the V8 heap (src/core/text-slab.ts): as a string, each of the last 500 bodies was
 * copied by a young-generation GC, 20 of 86 µs CPU per request on the bench page.
 */

/** Longest path or query string kept, characters (longer ones end in `…[truncated]`). */
export const JOURNAL_URL_LIMIT = 2_048;
/** Longest request or response body kept on read, characters. */
export const JOURNAL_BODY_LIMIT = 8_192;

/** How a request ended. `network-error`: an injected connection reset; `aborted`: the client left. */
export type JournalOutcome = 'complete' | 'aborted' | 'failed' | 'network-error';

/** One journal entry as read. Times are ISO-8601 sandbox time; `durationMs` is real elapsed time. */
export interface JournalEntry {
  requestId: string;
  time: string;
  method: string;
  path: string;
  query: string;
  status: number;
  outcome: JournalOutcome;
  durationMs: number;
  /** `user:admin@acme.test`, `token:sandbox-admin`, `widget:<id>` or `anonymous`. */
  principal: string;
  /** Scenario rules that changed the response (`flaky/one-in-five (error 502)`), empty if none. */
  scenarioApplied: string[];
  /** The RBAC decision, when the route is team-scoped: team, role, permission needed, allowed. */
  rbac: { teamId: string | null; role: string | null; permission: string | null; allowed: boolean } | null;
  /** Rate-limit state after this request, or null when none was counted. */
  rateLimit: { limit: number; remaining: number; reset: number; exceeded: boolean } | null;
  /** Request headers (secrets masked) and JSON body (secret fields masked, bounded), or null. */
  request: { headers: Record<string, string>; body: string | null };
  /** Response headers (Set-Cookie masked) and body when it was built whole (bounded), else null. */
  response: { headers: Record<string, string>; body: string | null };
}

/** What the pipeline records; headers and bodies by reference. */
export interface JournalRecord extends Omit<JournalEntry, 'request' | 'response'> {
  requestHeaders: Headers;
  requestBody: unknown;
  responseHeaders: Headers | null;
  /** The whole body, as text or as bytes from {@link Journal.encode}; kept as UTF-8 bytes, decoded on read. */
  responseBody: string | Uint8Array | undefined;
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

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-sandbox-admin-token']);
const SECRET_FIELDS = /^(password|token|secret|data|apiKey|api_key|accessToken|refreshToken|clientSecret)$/i;

/**
 * Bounds a path or query string to {@link JOURNAL_URL_LIMIT} characters, marked
 * `…[truncated from N chars]` when cut (so a prefix filter on the path still matches). A request
 * line can carry up to the 16 KB header limit of query string; 500 such entries would hold 8 MB per
 * namespace. 2,048 is the URL length browsers and proxies have long been safe with.
 */
export function boundUrlPart(text: string): string {
  return text.length <= JOURNAL_URL_LIMIT ? text : `${text.slice(0, JOURNAL_URL_LIMIT)}…[truncated from ${text.length} chars]`;
}

/** The same bound under its older names. */
export const MAX_JOURNAL_TEXT = JOURNAL_URL_LIMIT;
export const truncateJournalText = boundUrlPart;

function headerObject(headers: Headers | null): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((value, name) => {
    out[name] = SECRET_HEADERS.has(name) ? (name === 'authorization' ? value.replace(/^(\S+\s+\S{0,8}).*$/, '$1…') : '(masked)') : value;
  });
  return out;
}

function bound(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length <= JOURNAL_BODY_LIMIT ? text : `${text.slice(0, JOURNAL_BODY_LIMIT)}…[truncated]`;
}

function maskedJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, (key, field) => (SECRET_FIELDS.test(key) && field !== null && field !== undefined ? '(masked)' : field));
  } catch {
    return '(unreadable body)';
  }
}

/** A record as the journal holds it: the response body as UTF-8 bytes (src/core/text-slab.ts). */
type StoredRecord = Omit<JournalRecord, 'responseBody'> & { responseBody: Uint8Array | undefined };

const decoder = new TextDecoder();

/** Turns a stored record into the entry `list` returns. */
function toEntry(record: StoredRecord): JournalEntry {
  const { requestHeaders, requestBody, responseHeaders, responseBody: bytes, ...rest } = record;
  const responseBody = bytes === undefined ? undefined : decoder.decode(bytes);
  const response = responseBody !== undefined && /json/i.test(responseHeaders?.get('content-type') ?? '') ? maskedJson(safeParse(responseBody)) : responseBody;
  return {
    ...rest,
    request: { headers: headerObject(requestHeaders), body: bound(maskedJson(requestBody)) },
    response: { headers: headerObject(responseHeaders), body: bound(response) },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A ring buffer of the last `capacity` requests. */
export class Journal {
  #entries: StoredRecord[] = [];
  #next = 0;
  readonly #listeners = new Set<(record: StoredRecord) => void>();
  /** Response bodies as bytes in this journal's own slabs: off the V8 heap, so GCs do not copy them. */
  readonly #bodies = new TextSlab();

  constructor(public capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal size must be a positive integer, got ${capacity}`);
  }

  #generation = 0;

  /**
   * Changes at every {@link restart}. A request reads it when it arrives and hands it to {@link add}:
   * a streamed reply still open when the namespace was reset then leaves no entry (with a request
   * id from before the reset, which the next request reuses) in the journal that began afresh.
   */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Records an entry, overwriting the oldest once full, and tells the waiting listeners.
   * @param generation the {@link generation} when the request arrived; an older one is ignored
   */
  add(input: JournalRecord, generation = this.#generation): void {
    if (generation !== this.#generation) return;
    const body = input.responseBody;
    const record: StoredRecord = { ...input, responseBody: typeof body === 'string' ? this.#bodies.store(body) : body };
    if (this.#entries.length < this.capacity) this.#entries.push(record);
    else this.#entries[this.#next] = record;
    this.#next = (this.#next + 1) % this.capacity;
    for (const listener of this.#listeners) listener(record);
  }

  /**
   * The UTF-8 bytes of a response body, in this journal's slab (off the V8 heap; src/core/text-slab.ts).
   * Pass them as the record's `responseBody` to keep them without a second copy. Never modify them.
   */
  encode(text: string): Uint8Array<ArrayBuffer> {
    return this.#bodies.store(text);
  }

  /**
   * Calls `listener` for every entry added from now on.
   * @returns a function that stops the calls
   */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    const wrapped = (record: StoredRecord) => listener(toEntry(record));
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  }

  /** Entries newest first, filtered. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const ordered =
      this.#entries.length < this.capacity
        ? [...this.#entries].reverse()
        : [...this.#entries.slice(0, this.#next).reverse(), ...this.#entries.slice(this.#next).reverse()];
    const matching = ordered.filter((e) => Journal.matches(e, filter));
    return (filter.limit === undefined ? matching : matching.slice(0, filter.limit)).map(toEntry);
  }

  /** How many entries match a filter (ignoring `limit`). */
  count(filter: JournalFilter = {}): number {
    return this.#entries.filter((e) => Journal.matches(e, filter)).length;
  }

  /** Whether an entry matches a filter (method, path, status, since). */
  static matches(e: Pick<JournalEntry, 'method' | 'path' | 'status' | 'time'>, filter: JournalFilter): boolean {
    const since = filter.since ? Date.parse(filter.since) : undefined;
    return (
      (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
      (filter.path === undefined || (filter.path.endsWith('*') ? e.path.startsWith(filter.path.slice(0, -1)) : e.path.includes(filter.path))) &&
      (filter.status === undefined || e.status === filter.status) &&
      (since === undefined || Date.parse(e.time) >= since)
    );
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.length;
  }

  /** Forgets every entry. Requests in flight are still journaled when they end. */
  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }

  /** Forgets every entry and every request in flight (a namespace reset, whose request ids start again). */
  restart(): void {
    this.clear();
    this.#generation += 1;
  }
}
