import { RECORDED } from './examples.generated.ts';

/**
 * The OpenAPI document's examples: one request per route and the answer a sandbox with the default
 * seed gave it, recorded by test/openapi-examples.test.ts (`UPDATE_OPENAPI_EXAMPLES=1 npx vitest run
 * test/openapi-examples.test.ts` rewrites examples.generated.ts; the same test fails when the file is
 * stale, and checks each answer against the document's schema). Lists in recorded bodies are cut to
 * {@link EXAMPLE_LIST_ITEMS} items, long texts to {@link EXAMPLE_TEXT_CHARS} characters.
 */

/** The clock of the recording sandbox (frozen): default seed, this instant. */
export const EXAMPLES_NOW = '2026-11-01T12:00:00.000Z';
/** Items kept of every list in a recorded body. */
export const EXAMPLE_LIST_ITEMS = 2;
/** Characters kept of a recorded text body (CSV, event stream). */
export const EXAMPLE_TEXT_CHARS = 1500;

/** How the recorded request authenticated: the fixed `sdk_sandbox_admin` token, the admin's login cookie, or nothing. */
export type ExampleAuth = 'sdk_sandbox_admin' | 'admin-login' | 'none';

/** One route's recorded example. */
export interface RecordedExample {
  request: { path: string; query?: Record<string, string>; body?: unknown; auth: ExampleAuth };
  response: {
    status: number;
    /** Media type without parameters (`application/json`, `text/event-stream`, `text/csv`, `application/pdf`). */
    contentType: string | null;
    /** Parsed JSON (cut), text (cut), or absent (binary or empty). */
    body?: unknown;
  };
}

/** The recorded examples by route key (`"GET /api/workflows/:id"`). */
export const RECORDED_EXAMPLES: Readonly<Record<string, RecordedExample>> = RECORDED;

/** Cuts a JSON value for an example: lists to {@link EXAMPLE_LIST_ITEMS} items, at every depth. */
export function cutExample(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, EXAMPLE_LIST_ITEMS).map(cutExample);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutExample(v)]));
  return value;
}
