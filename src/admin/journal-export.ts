import packageJson from '../../package.json' with { type: 'json' };
import { parseDuration } from '../core/duration.ts';
import { HttpError, REASON_PHRASES } from '../core/http-error.ts';
import { Journal, type JournalEntry, type JournalFilter } from '../core/journal.ts';
import { ISO_TIME } from '../controls.ts';
import { parseIsoInstant } from '../resources/executions/iso-instant.ts';
import { clip } from '../core/clip.ts';

/**
 * Reading the journal over HTTP: the query of `GET /__sandbox/requests` (filters and the `wait`
 * long-poll) and the HAR 1.2 export of `GET /__sandbox/requests.har`, which browser devtools
 * (Chromium's and Firefox's Network panel: "Import HAR file") open as a list of requests.
 */

/** The longest `wait` accepted, ms: a long-poll must end before common proxy and client timeouts. */
export const MAX_WAIT_MS = 30_000;

/**
 * Parses the journal query: `method`, `path` (substring, or prefix ending in `*`), `status`
 * (3 digits, or 0: no answer sent), `since` (ISO-8601), `limit`, and `wait` (a duration: `5s`, `500ms`, `5000`).
 * @returns the filter, and the wait in ms (undefined when not asked)
 * @throws HttpError 400 naming the parameter and the accepted form
 */
export function parseJournalQuery(q: URLSearchParams): { filter: JournalFilter; waitMs: number | undefined } {
  const status = q.get('status');
  const limit = q.get('limit');
  // 0 is what the journal records when no answer was sent (a network error, a client gone first).
  if (status !== null && !/^(\d{3}|0)$/.test(status)) throw new HttpError(400, `status must be a 3-digit HTTP status, or 0 for requests that got no answer, got "${clip(status)}"`);
  if (limit !== null && !/^\d+$/.test(limit)) throw new HttpError(400, `limit must be a non-negative integer, got "${clip(limit)}"`);
  const sinceText = q.get('since');
  // Strictly, as the API's own time parameters are (Date.parse rolls 2026-02-30 over to 2 March).
  // With its zone, as PUT /__sandbox/clock {at} takes it (ISO_TIME): a zone-less time is not read as UTC.
  const sinceInstant = sinceText === null || !ISO_TIME.test(sinceText) ? undefined : parseIsoInstant(sinceText);
  if (sinceText !== null && !sinceInstant) {
    // ?since=...T12:00:00+01:00 unencoded: the query's "+" reads as a space, so the zone looks missing.
    const plus = /T[\d:.]+ \d{2}:?\d{2}$/i.test(sinceText) ? ' (a "+" in a URL reads as a space: send the zone\'s "+" as %2B)' : '';
    throw new HttpError(400, `since must be an ISO-8601 time with a zone (Z or ±hh:mm) such as 2026-11-01T12:00:00Z, got "${clip(sinceText)}"${plus}`);
  }
  const since = sinceInstant && new Date(sinceInstant.ms).toISOString();
  const wait = q.get('wait');
  let waitMs: number | undefined;
  if (wait !== null) {
    try {
      waitMs = parseDuration(wait);
    } catch {
      waitMs = Number.NaN;
    }
    if (!(waitMs >= 0 && waitMs <= MAX_WAIT_MS)) {
      throw new HttpError(400, `wait must be a duration from 0 to 30s, such as wait=5s or wait=500ms, got "${clip(wait)}"`);
    }
  }
  const filter: JournalFilter = {
    method: q.get('method') ?? undefined,
    path: q.get('path') ?? undefined,
    status: status === null ? undefined : Number(status),
    since,
    limit: limit === null ? undefined : Number(limit),
  };
  return { filter, waitMs };
}

/**
 * Waits until the journal holds an entry matching `filter` (at once when it already does), the
 * time is up, or the request is aborted. Times are real time (a frozen sandbox clock still waits).
 * @returns whether a matching entry is there
 */
export function waitForMatch(journal: Journal, filter: JournalFilter, waitMs: number, signal?: AbortSignal): Promise<boolean> {
  if (journal.count(filter) > 0) return Promise.resolve(true);
  if (waitMs <= 0 || signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (found: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(found);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), waitMs);
    const unsubscribe = journal.subscribe((entry) => {
      if (Journal.matches(entry, filter)) finish(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/), as far as the export fills it. */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: [];
    entries: HarEntry[];
  };
}

type NameValue = { name: string; value: string };

/** One HAR entry, plus the sandbox's own `_`-prefixed fields (allowed by the spec). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    queryString: NameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _requestId: string;
  _principal: string;
  _scenarioApplied: string[];
  _outcome: JournalEntry['outcome'];
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content', 304: 'Not Modified', ...REASON_PHRASES };
const byteLength = (text: string) => new TextEncoder().encode(text).byteLength;
const pairs = (headers: Record<string, string>): NameValue[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

/**
 * Converts journal entries (newest first, as `list` returns them) to a HAR 1.2 document, oldest
 * first as devtools expect. Headers and bodies are the journal's: secrets masked, bodies bounded.
 * URLs use the request's `Host` header (else `localhost`) over http.
 */
export function toHar(entries: readonly JournalEntry[]): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'nodeloom-sandbox', version: packageJson.version },
      pages: [],
      entries: [...entries].reverse().map((entry) => {
        const host = entry.request.headers.host ?? 'localhost';
        const requestBody = entry.request.body;
        const responseBody = entry.response.body;
        const queryString = [...new URLSearchParams(entry.query)].map(([name, value]) => ({ name, value }));
        return {
          startedDateTime: entry.time,
          time: entry.durationMs,
          request: {
            method: entry.method,
            url: `http://${host}${entry.path}${entry.query}`,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(entry.request.headers),
            queryString,
            ...(requestBody === null ? {} : { postData: { mimeType: entry.request.headers['content-type'] ?? 'application/json', text: requestBody } }),
            headersSize: -1,
            bodySize: requestBody === null ? 0 : byteLength(requestBody),
          },
          response: {
            status: entry.status,
            statusText: STATUS_TEXT[entry.status] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(entry.response.headers),
            content: {
              size: responseBody === null ? 0 : byteLength(responseBody),
              mimeType: entry.response.headers['content-type'] ?? 'x-unknown',
              ...(responseBody === null ? {} : { text: responseBody }),
            },
            redirectURL: '',
            headersSize: -1,
            bodySize: responseBody === null ? -1 : byteLength(responseBody),
            ...(entry.outcome === 'network-error' ? { _error: 'net::ERR_CONNECTION_RESET (injected by a scenario)' } : {}),
          },
          cache: {},
          timings: { send: 0, wait: entry.durationMs, receive: 0 },
          _requestId: entry.requestId,
          _principal: entry.principal,
          _scenarioApplied: entry.scenarioApplied,
          _outcome: entry.outcome,
        } satisfies HarEntry;
      }),
    },
  };
}
