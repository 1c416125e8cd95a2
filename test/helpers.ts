import { expect } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from 'nodeloom-sandbox';

/** A fixed start time for tests: responses are byte-identical run to run. */
export const TEST_NOW = '2026-11-01T12:00:00.000Z';

/** A sandbox with a frozen clock at {@link TEST_NOW}, streaming chat replies without a delay per token. */
export function testSandbox(options: SandboxOptions = {}): Sandbox {
  // Streamed chat replies at once (no 15 ms per token): a test that wants pacing passes `chat`.
  return createSandbox({ now: TEST_NOW, chat: { tokenDelayMs: 0 }, ...options });
}

/** Options for {@link call}. */
export interface CallOptions {
  /** `sdk_...` token (sent as Bearer) or a raw `Cookie` header value. */
  token?: string;
  cookie?: string;
  /**
   * JSON body (sent with Content-Type: application/json unless `headers` overrides it): a string
   * or bytes are sent as they are, anything else as `JSON.stringify(body)`.
   */
  body?: unknown;
  headers?: Record<string, string>;
  /** Client address passed to the pipeline (per-address limits). */
  clientAddress?: string;
}

/** Sends one request through `sandbox.fetch` and returns the response with its parsed JSON body. */
export async function call(sandbox: Sandbox, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || options.body instanceof Uint8Array) body = options.body as string | Uint8Array<ArrayBuffer>;
    else body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await sandbox.fetch(new Request(`http://sandbox.test${path}`, { method, headers, body }), {
    clientAddress: options.clientAddress,
  });
  const text = await response.text();
  const json = jsonOf(text);
  return { status: response.status, headers: response.headers, text, json };
}

/** Logs a fixed user in and returns the `Cookie` header value for later calls. */
export async function login(sandbox: Sandbox, email: string, password = 'sandbox'): Promise<string> {
  const response = await call(sandbox, 'POST', '/api/auth/login', { body: { email, password } });
  if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${response.text}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/** What {@link call} resolves to. */
export type CallResult = Awaited<ReturnType<typeof call>>;

/**
 * Asserts the Spring error body (nodeloom-api.md 1.4): status, reason phrase, a message, an
 * ISO-8601 timestamp (exactly `timestamp` when given), the path, and the response's request id.
 * @returns the message, for further assertions
 */
export function expectSpringError(response: CallResult, status: number, error: string, path: string, timestamp?: string): string {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.json).toEqual({
    status,
    error,
    message: expect.any(String),
    timestamp: timestamp ?? expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    path,
    requestId: response.headers.get('x-request-id') ?? expect.stringMatching(/^req_/),
  });
  return response.json.message;
}

/** A response text parsed as JSON, or undefined when it is empty or not JSON. */
export function jsonOf(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

type SnapshotData = Awaited<ReturnType<Sandbox['snapshot']>>['datasets'];

/** An object field's JSON at capture time. */
class JsonText {
  constructor(readonly text: string) {}
}
/** A field as captured: its value when primitive or frozen (by reference), else its {@link JsonText}. */
type Field = [key: string, value: unknown];
/** What {@link captureData} keeps: per data set, its counters' JSON and each table's records as fields. */
export type CapturedData = Record<string, { counters: string; tables: Record<string, Field[][]> }>;

/**
 * The data a snapshot's data sets (`snapshot().datasets`) hold now, cheaply comparable with
 * {@link expectSameData}. Snapshots copy records shallowly. A frozen field value is kept by
 * reference, any other object as its JSON now (so a later change in place still shows: a record
 * written at run time is zod's fresh, unfrozen copy). That rests on the sandbox's own rules:
 * what is frozen is frozen all through (src/core/deep-freeze.ts, as seeded records are; nothing
 * freezes a record's value only at its top), and records hold JSON data (no Date, whose time
 * changes even when frozen). It is stricter than comparing JSON where JSON hides a change (a field
 * set to undefined, NaN -> null). Writing and comparing the whole default data set's JSON
 * (~760 kB) twice per refused write cost the fuzz test ~1 s of its 3.3 s of CPU.
 */
export function captureData(datasets: SnapshotData): CapturedData {
  const out: CapturedData = {};
  for (const [name, data] of Object.entries(datasets)) {
    const tables: Record<string, Field[][]> = {};
    for (const [table, records] of Object.entries(data!.tables)) {
      tables[table] = records.map((record) =>
        Object.entries(record)
          // A token's lastUsedAt moves whenever it authenticates, a refused request's too, as the
          // real server records it: that is no write of the request's.
          .filter(([key]) => !(table === 'sdkTokens' && key === 'lastUsedAt'))
          .map(([key, value]): Field => [key, value !== null && typeof value === 'object' && !Object.isFrozen(value) ? new JsonText(JSON.stringify(value)) : value]),
      );
    }
    out[name] = { counters: JSON.stringify(data!.counters), tables };
  }
  return out;
}

/**
 * Asserts that a snapshot's data sets hold the same data as when `before` was captured (every
 * table, record and field, and the counters unless `tablesOnly`): the same value, or equal JSON
 * (a rollback may restore copies). Fails naming the first difference:
 * `the data changed: default.workflows[3].name: "Lead intake" -> "Renamed"`.
 */
export function expectSameData(after: SnapshotData, before: CapturedData, options: { tablesOnly?: boolean; message?: string } = {}): void {
  const difference = firstDifference(captureData(after), before, options.tablesOnly ?? false);
  if (difference !== null) expect.fail(`${options.message ? `${options.message}: ` : ''}the data changed: ${difference}`);
}

/** A captured value as JSON (a frozen object's JSON now is its JSON then). */
const jsonOfField = (value: unknown) => (value instanceof JsonText ? value.text : (JSON.stringify(value) ?? String(value)));
/** The two JSON texts around where they first differ, so a change deep in a long value shows. */
function shownPair(before: unknown, after: unknown): string {
  const [a, b] = [jsonOfField(before), jsonOfField(after)];
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const from = Math.max(0, at - 60);
  const window = (text: string) => `${from > 0 ? '…' : ''}${text.slice(from, at + 140)}${text.length > at + 140 ? '…' : ''}`;
  return `${window(a)} -> ${window(b)}`;
}
/** Equal by identity, or (copies, run-time records) by JSON. */
const sameField = (a: unknown, b: unknown) =>
  Object.is(a, b) || ((a instanceof JsonText || (a !== null && typeof a === 'object')) && (b instanceof JsonText || (b !== null && typeof b === 'object')) && jsonOfField(a) === jsonOfField(b));

function firstDifference(after: CapturedData, before: CapturedData, tablesOnly: boolean): string | null {
  const names = (object: object) => Object.keys(object).join(', ');
  if (names(after) !== names(before)) return `data sets: ${names(before)} -> ${names(after)}`;
  for (const [name, { counters, tables }] of Object.entries(after)) {
    const then = before[name]!;
    if (!tablesOnly && counters !== then.counters) return `${name}.counters: ${then.counters} -> ${counters}`;
    if (names(tables) !== names(then.tables)) return `${name} tables: ${names(then.tables)} -> ${names(tables)}`;
    for (const [table, records] of Object.entries(tables)) {
      const old = then.tables[table]!;
      if (records.length !== old.length) return `${name}.${table}: ${old.length} records -> ${records.length}`;
      for (let i = 0; i < records.length; i++) {
        const [fields, oldFields] = [records[i]!, old[i]!];
        if (fields.length !== oldFields.length) return `${name}.${table}[${i}]: fields ${oldFields.map(([key]) => key).join(', ')} -> ${fields.map(([key]) => key).join(', ')}`;
        for (let j = 0; j < fields.length; j++) {
          const [[key, value], [oldKey, oldValue]] = [fields[j]!, oldFields[j]!];
          if (key !== oldKey || !sameField(value, oldValue)) return `${name}.${table}[${i}].${key === oldKey ? key : `${oldKey}/${key}`}: ${shownPair(oldValue, value)}`;
        }
      }
    }
  }
  return null;
}
