import type { JournalEntry, JournalFilter } from '../core/journal.ts';
import type { ErrorBody } from '../core/http-error.ts';
import type { Har } from '../admin/journal-export.ts';
import type { ClockState, ScenarioState } from '../admin/control-page/types.ts';
import type { Scenario, ScenarioDefinition } from '../scenarios/definition.ts';
import type { Snapshot } from '../snapshot.ts';
import type { FixedTeam, FixedToken, FixedUser } from '../../fixtures/identities.ts';

/**
 * `nodeloom-sandbox/client`: the control plane of a running sandbox (`/__sandbox/*`) as typed
 * methods, for tests that drive a server over HTTP: Playwright, Cypress tasks, Jest or vitest
 * against `npm start`, any Node test runner, or a browser page. The same methods as the in-process
 * controls (src/controls.ts), returning promises, plus `waitForRequest`. Uses `fetch` only.
 */

export type { Har, HarEntry } from '../admin/journal-export.ts';
export type { JournalEntry, JournalFilter, Scenario, ScenarioDefinition, Snapshot };

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** The namespace every call acts on (`X-Sandbox-Namespace`); default `default`. 1-64 of `A-Za-z0-9._-`. */
  namespace?: string;
  /** The sandbox's `--admin-token`, sent as `X-Sandbox-Admin-Token`, when it has one. */
  adminToken?: string;
  /** The fetch function to use (default: the global `fetch`). */
  fetch?: typeof fetch;
}

export type { ClockState, ScenarioState };

/** What a reset answers. */
export interface ResetResult {
  namespace: string;
  seed: number;
  clock: ClockState;
  scenarios: ScenarioState;
}

/** One page of the journal: `size` entries match the filter (of `total` held, `capacity` kept). */
export interface JournalPage {
  namespace: string;
  capacity: number;
  total: number;
  size: number;
  /** Present when the query waited: true when nothing matched in time. */
  timedOut?: boolean;
  /** Matching entries, newest first (at most `limit`). */
  entries: JournalEntry[];
}

/** The fixed identities (`GET /__sandbox/identities`). */
export interface Identities {
  password: string;
  teams: Array<FixedTeam & { rateLimitPerMinute: number }>;
  users: Array<FixedUser & { password: string }>;
  tokens: FixedToken[];
}

/** A control request the sandbox refused: `status` and its Spring error `body`. */
export class SandboxRequestError extends Error {
  override name = 'SandboxRequestError';
  /**
   * @param status the HTTP status
   * @param body the Spring error body, when the answer was one
   */
  constructor(
    message: string,
    readonly status: number,
    readonly body: ErrorBody | undefined,
  ) {
    super(message);
  }
}

/** A running sandbox's control plane, for one namespace. Every method rejects with {@link SandboxRequestError} on an error answer. */
export interface SandboxClient {
  /** The base URL given to {@link connect}, without a trailing slash. */
  readonly baseUrl: string;
  /** The namespace this client acts on. */
  readonly namespace: string;
  /** Headers that put your own API calls in this namespace: `{ 'X-Sandbox-Namespace': namespace }`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Calls the sandbox (API or control plane) in this namespace: `client.fetch('/api/auth/me', { headers })`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Back to the seeded state (data, clock, rate windows, journal, scenarios); `seed` reseeds, `scenario` switches. */
  reset(options?: { seed?: number; scenario?: string | string[] }): Promise<ResetResult>;
  /** The whole state of the namespace as JSON. */
  snapshot(): Promise<Snapshot>;
  /** Restores a snapshot exactly. */
  restore(snapshot: Snapshot): Promise<void>;
  readonly clock: {
    /** `{now, epochMs, frozen}`. */
    get(): Promise<ClockState>;
    /** Sandbox time, epoch ms. */
    now(): Promise<number>;
    /** Sandbox time, ISO-8601. */
    iso(): Promise<string>;
    /** Moves forward: ms, or a string such as "61s", "2h". */
    advance(duration: number | string): Promise<ClockState>;
    /** Stops the clock (at `at`: epoch ms or ISO-8601; default now). */
    freeze(at?: number | string): Promise<ClockState>;
    /** Runs in real time again. */
    resume(): Promise<ClockState>;
    /** Jumps to a time (epoch ms or ISO-8601), frozen or running as it was. */
    set(at: number | string): Promise<ClockState>;
  };
  readonly scenarios: {
    /** Switches the server-wide scenarios (names, or definitions, which are defined first). */
    use(...scenarios: Array<string | ScenarioDefinition>): Promise<ScenarioState>;
    /** Binds scenarios to one caller: an `sdk_...` token value or a login email. None unbinds. */
    useFor(principal: string, ...scenarios: Array<string | ScenarioDefinition>): Promise<ScenarioState>;
    /** Switches every scenario and binding off. */
    reset(): Promise<ScenarioState>;
    /** What is on. */
    current(): Promise<ScenarioState>;
    /** Every known scenario. */
    list(): Promise<Scenario[]>;
    /** Defines a scenario (for every namespace) without switching it on. */
    define(definition: ScenarioDefinition): Promise<Scenario>;
  };
  readonly journal: {
    /** Entries newest first, filtered. */
    list(filter?: JournalFilter): Promise<JournalEntry[]>;
    /** The journal page with its counts; `wait` (ms or "5s", at most 30 s) long-polls for a match. */
    query(filter?: JournalFilter & { wait?: number | string }): Promise<JournalPage>;
    /** How many entries match. */
    count(filter?: JournalFilter): Promise<number>;
    /** Forgets every entry. */
    clear(): Promise<void>;
    /** The journal as a HAR 1.2 document (open it in browser devtools). */
    har(filter?: JournalFilter): Promise<Har>;
  };
  /**
   * Resolves with the newest journal entry matching `filter` once there is one (at once when one is
   * there already), long-polling the sandbox. Clear the journal (or `reset`) first to wait for a new one.
   * @param timeoutMs how long to wait, ms (default 5,000)
   * @throws Error naming the filter and the latest requests when none matched in time
   */
  waitForRequest(filter: JournalFilter, timeoutMs?: number): Promise<JournalEntry>;
  /** The fixed users, passwords, tokens and teams. */
  identities(): Promise<Identities>;
  /** Every namespace in use. */
  namespaces(): Promise<string[]>;
  /** Drops this namespace (not the default one); its next use builds it afresh. */
  deleteNamespace(): Promise<void>;
}

const NAMESPACE = /^(?!\.+$)[A-Za-z0-9._-]{1,64}$/; // as the sandbox's (src/sandbox.ts)

function queryOf(filter: JournalFilter & { wait?: number | string } = {}): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== null) q.set(name, typeof value === 'number' && name === 'wait' ? `${value}ms` : String(value));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Connects to a running sandbox (nothing is sent until a method is called).
 * @param baseUrl where it listens, e.g. `http://localhost:4010` (a mount prefix such as `http://localhost:3000/mock` works too)
 * @throws TypeError for a base URL that is not absolute http(s), or a malformed namespace
 */
export function connect(baseUrl: string, options: ConnectOptions = {}): SandboxClient {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`baseUrl must be an http(s) URL such as http://localhost:4010, got "${baseUrl}"`);
  const root = base.href.replace(/\/+$/, '');
  const namespace = options.namespace ?? 'default';
  if (!NAMESPACE.test(namespace)) throw new TypeError(`namespace must be 1-64 letters, digits, dots, dashes or underscores (not dots alone), got "${namespace}"`);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const headers: Record<string, string> = namespace === 'default' ? {} : { 'X-Sandbox-Namespace': namespace };
  const controlHeaders: Record<string, string> = { ...headers, ...(options.adminToken === undefined ? {} : { 'X-Sandbox-Admin-Token': options.adminToken }) };

  const send = (path: string, init: RequestInit = {}) => {
    const merged = new Headers(init.headers);
    for (const [name, value] of Object.entries(controlHeaders)) if (!merged.has(name)) merged.set(name, value);
    return doFetch(`${root}${path}`, { ...init, headers: merged });
  };
  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = parsed as ErrorBody | undefined;
      throw new SandboxRequestError(`${method} ${path}: ${response.status} ${error?.message ?? text.slice(0, 200)}`, response.status, error?.message ? error : undefined);
    }
    return parsed as T;
  }
  const clockPut = (body: { frozen?: boolean; at?: number | string }) => control<ClockState>('PUT', '/__sandbox/clock', body);
  const names = async (scenarios: Array<string | ScenarioDefinition>) => {
    const out: string[] = [];
    for (const scenario of scenarios) {
      if (typeof scenario === 'string') out.push(scenario);
      else out.push((await control<Scenario>('POST', '/__sandbox/scenarios', scenario)).name);
    }
    return out;
  };
  const query = (filter?: JournalFilter & { wait?: number | string }) => control<JournalPage>('GET', `/__sandbox/requests${queryOf(filter)}`);

  return {
    baseUrl: root,
    namespace,
    headers,
    fetch: (path, init) => send(path, init),
    reset: (resetOptions = {}) => control('POST', '/__sandbox/reset', resetOptions),
    snapshot: () => control('GET', '/__sandbox/snapshot'),
    restore: async (snapshot) => {
      await control('PUT', '/__sandbox/snapshot', snapshot);
    },
    clock: {
      get: () => control('GET', '/__sandbox/clock'),
      now: async () => (await control<ClockState>('GET', '/__sandbox/clock')).epochMs,
      iso: async () => (await control<ClockState>('GET', '/__sandbox/clock')).now,
      advance: (duration) => control('POST', '/__sandbox/clock/advance', { ms: duration }),
      freeze: (at) => clockPut(at === undefined ? { frozen: true } : { frozen: true, at }),
      resume: () => clockPut({ frozen: false }),
      set: (at) => clockPut({ at }),
    },
    scenarios: {
      use: async (...scenarios) => control('PUT', '/__sandbox/scenario', { names: await names(scenarios) }),
      useFor: async (principal, ...scenarios) =>
        control('PUT', '/__sandbox/scenario', { names: await names(scenarios), ...(principal.startsWith('sdk_') ? { token: principal } : { user: principal }) }),
      reset: () => control('DELETE', '/__sandbox/scenario'),
      current: () => control('GET', '/__sandbox/scenario'),
      list: () => control('GET', '/__sandbox/scenarios'),
      define: (definition) => control('POST', '/__sandbox/scenarios', definition),
    },
    journal: {
      list: async (filter) => (await query(filter)).entries,
      query,
      count: async (filter) => (await query({ ...filter, limit: 0 })).size,
      clear: async () => {
        await control('DELETE', '/__sandbox/requests');
      },
      har: (filter) => control('GET', `/__sandbox/requests.har${queryOf(filter)}`),
    },
    async waitForRequest(filter, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = Math.max(0, Math.min(30_000, deadline - Date.now()));
        const page = await query({ ...filter, limit: 1, wait: left });
        if (page.entries[0]) return page.entries[0];
        if (Date.now() >= deadline) {
          const latest = (await query({ limit: 5 })).entries.map((e) => `${e.method} ${e.path}${e.query} → ${e.status}`);
          throw new Error(
            `No request matching ${JSON.stringify(filter)} reached the sandbox (namespace "${namespace}") within ${timeoutMs} ms. ` +
              (latest.length ? `Latest requests: ${latest.join('; ')}.` : 'Its journal is empty: is your app calling this sandbox, with this namespace?'),
          );
        }
      }
    },
    identities: () => control('GET', '/__sandbox/identities'),
    namespaces: async () => (await control<{ namespaces: string[] }>('GET', '/__sandbox/namespaces')).namespaces,
    deleteNamespace: async () => {
      await control('DELETE', `/__sandbox/namespaces/${encodeURIComponent(namespace)}`);
    },
  };
}
