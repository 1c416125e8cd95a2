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

/**
 * Asserts that two snapshots' data sets (`snapshot().datasets`, or its tables alone with
 * `tablesOnly`) hold the same data, as their JSON would say, without writing it for the common
 * case. Snapshots copy each record shallowly and stored records are frozen (never changed in
 * place), so a field holding the same reference in both holds the same JSON; only records that
 * differ by reference (a rollback may restore copies) are compared as JSON. Comparing the whole
 * JSON of the default data set (~760 kB) twice per request cost the fuzz test ~1.5 s of its 3 s.
 * When they differ, fails with the two data sets' JSON, for vitest's diff.
 */
export function expectSameData(after: SnapshotData, before: SnapshotData, options: { tablesOnly?: boolean; message?: string } = {}): void {
  const view = (data: SnapshotData) =>
    options.tablesOnly ? Object.fromEntries(Object.entries(data).map(([name, set]) => [name, set!.tables])) : data;
  if (sameData(after, before, options.tablesOnly ?? false)) return;
  expect(JSON.stringify(view(after)), options.message).toBe(JSON.stringify(view(before)));
}

function sameData(a: SnapshotData, b: SnapshotData, tablesOnly: boolean): boolean {
  const names = Object.keys(a);
  if (names.join() !== Object.keys(b).join()) return false;
  for (const name of names as Array<keyof SnapshotData>) {
    const [x, y] = [a[name]!, b[name]!];
    if (!tablesOnly && JSON.stringify(x.counters) !== JSON.stringify(y.counters)) return false;
    const tables = Object.keys(x.tables);
    if (tables.join() !== Object.keys(y.tables).join()) return false;
    for (const table of tables as Array<keyof typeof x.tables>) {
      const [rows, others] = [x.tables[table]!, y.tables[table]!];
      if (rows.length !== others.length) return false;
      for (let i = 0; i < rows.length; i++) if (!sameRecord(rows[i]!, others[i]!)) return false;
    }
  }
  return true;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const [keys, otherKeys] = [Object.keys(a), Object.keys(b)];
  if (keys.length === otherKeys.length && keys.every((key, i) => key === otherKeys[i] && a[key] === b[key])) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
