import type { JournalEntry, JournalFilter } from './core/journal.ts';
import { HttpError } from './core/http-error.ts';
import { MAX_TIME_MS, MIN_TIME_MS, TIME_RANGE_TEXT } from './core/clock.ts';
import { parseDuration } from './core/duration.ts';
import type { Namespace } from './namespace.ts';
import { NO_SCENARIO, parseScenario, type Scenario, type ScenarioDefinition } from './scenarios/definition.ts';
import { clip } from './core/clip.ts';
import { restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot.ts';
import { parseIsoInstant } from './resources/executions/iso-instant.ts';

/**
 * The control plane as typed methods: what `/__sandbox/*` does over HTTP, for tests in the same
 * process. One set per namespace; the sandbox itself exposes the default namespace's.
 */

/** The sandbox clock as tests drive it. Times are epoch ms unless stated. */
export interface ClockControls {
  /** Sandbox time, epoch ms. */
  now(): number;
  /** Sandbox time, ISO-8601 UTC with milliseconds. */
  iso(): string;
  /** Moves forward by a duration: ms as a number, or a string such as "61s", "2h", "500ms". @throws RangeError */
  advance(duration: number | string): void;
  /** Stops the clock (at `at`: epoch ms or ISO-8601; default now). */
  freeze(at?: number | string): void;
  /** Runs in real time again from the current sandbox time. */
  resume(): void;
  /** Whether the clock is frozen. */
  readonly frozen: boolean;
}

/** Switching scenarios in code: the same effect as `PUT /__sandbox/scenario`. */
export interface ScenarioControls {
  /**
   * Switches the server-wide scenarios (replacing the current set). Pass names of known scenarios
   * or definition objects (which are registered under their name first); `none` alone switches all off.
   * @throws HttpError 400 for an unknown name; Error naming the field for a malformed definition
   */
  use(...scenarios: Array<string | ScenarioDefinition>): void;
  /**
   * Binds scenarios to one principal only: an `sdk_...` token value or a user's email. No scenarios unbinds.
   * @throws HttpError 400 for an unknown name, an unknown principal, or `none` (see {@link NO_SCENARIO})
   */
  useFor(principal: string, ...scenarios: Array<string | ScenarioDefinition>): void;
  /** Switches every scenario and binding off. */
  reset(): void;
  /** What is on: `{ names, since (ISO-8601 or null), bindings: { principal: names } }`. */
  current(): { names: string[]; since: string | null; bindings: Record<string, string[]> };
  /**
   * Every known scenario (built-in and user-defined), sorted by name. The built-in ones are shared
   * by every sandbox of the process and frozen: copy one (`structuredClone`) before changing it.
   */
  list(): Scenario[];
  /** Registers a definition without switching it on. @throws Error naming the field */
  define(definition: ScenarioDefinition): Scenario;
}

/** Reading the request journal. */
export interface JournalControls {
  /** Entries newest first, filtered by method, path, status, since (ISO-8601), limit. */
  list(filter?: JournalFilter): JournalEntry[];
  /** Forgets every entry. */
  clear(): void;
}

/** Everything a test can do to one namespace. */
export interface SandboxControls {
  /**
   * Back to the seeded state: data, clock, rate windows, journal; scenarios become `scenario` when
   * given, else the ones configured at start. Reseeds with `seed` when given.
   * @throws HttpError 400 for an unknown scenario name (nothing changes then)
   */
  reset(options?: { seed?: number; scenario?: string | string[] }): Promise<void>;
  /** The whole state as JSON. */
  snapshot(): Promise<Snapshot>;
  /** Restores a snapshot exactly. @throws HttpError 400 naming the field of a malformed snapshot */
  restore(snapshot: Snapshot): Promise<void>;
  readonly clock: ClockControls;
  readonly scenarios: ScenarioControls;
  readonly journal: JournalControls;
}

/**
 * The ISO-8601 forms the control plane takes for a time: a date (`2026-11-01`, midnight UTC), or a
 * date-time with its zone (`Z` or `±hh:mm`). A date-time without a zone is refused, not read as UTC.
 */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * Parses an epoch-ms number or ISO-8601 string as a clock time.
 * @throws HttpError 400 when it is neither, or outside the clock's range ({@link TIME_RANGE_TEXT}:
 *   stored records hold ISO-8601 times with 4-digit years, see core/clock.ts)
 */
export function parseTime(value: number | string, field: string): number {
  // parseIsoInstant, not Date.parse, which rolls an impossible date over (2026-02-30 → 2 March).
  const ms = typeof value === 'number' ? value : ISO_TIME.test(value) ? (parseIsoInstant(value)?.ms ?? NaN) : NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new HttpError(400, `${field} must be epoch milliseconds or an ISO-8601 time with a zone (Z or ±hh:mm) such as "2026-11-01T12:00:00Z", got ${JSON.stringify(value)}`);
  }
  if (ms < MIN_TIME_MS || ms > MAX_TIME_MS) {
    throw new HttpError(400, `${field} must be epoch milliseconds or an ISO-8601 time within ${TIME_RANGE_TEXT} (stored times are ISO-8601 with 4-digit years), got ${JSON.stringify(value)}`);
  }
  return ms;
}

/**
 * Checks that a binding key names a known SDK token value or user email of the namespace's data.
 * @throws HttpError 400 listing the known ones
 */
function checkPrincipal(ns: Namespace, key: string): void {
  let state;
  try {
    state = ns.currentState();
  } catch {
    return; // still seeding: nothing to check against yet
  }
  if (key.startsWith('sdk_')) {
    if (!state.db.sdkTokens.all().some((t) => t.token === key)) {
      throw new HttpError(400, `Unknown SDK token '${key}'. Known tokens: ${state.db.sdkTokens.all().map((t) => t.token).join(', ')}.`);
    }
  } else if (!state.db.users.all().some((u) => u.email === key)) {
    throw new HttpError(400, `Unknown user '${key}'. Bind an SDK token value (sdk_...) or a login email such as viewer@acme.test (GET /__sandbox/identities).`);
  }
}

/** Builds the controls of one namespace. */
export function createControls(ns: Namespace): SandboxControls {
  // Everything is checked before anything is registered or switched, so a bad call changes nothing.
  const resolveAll = (scenarios: Array<string | ScenarioDefinition>) => {
    const parsed = scenarios.map((s) => (typeof s === 'string' ? s : parseScenario(s, `definition "${String((s as { name?: unknown } | null)?.name)}"`)));
    // 'none' with others is refused by resolve: check it before a definition is registered.
    if (parsed.includes(NO_SCENARIO)) ns.registry.resolve(parsed.map((s) => (typeof s === 'string' ? s : s.name)));
    const defined = new Set(parsed.flatMap((s) => (typeof s === 'string' ? [] : [s.name])));
    const unknown = parsed.find((s): s is string => typeof s === 'string' && !defined.has(s) && !ns.registry.has(s));
    if (unknown !== undefined) ns.registry.resolve([unknown]); // throws the 400 listing known names
    for (const s of parsed) if (typeof s !== 'string') ns.registry.add(s, `definition "${s.name}"`);
    return ns.registry.resolve(parsed.map((s) => (typeof s === 'string' ? s : s.name)));
  };
  return {
    reset: (options = {}) => {
      if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
        return Promise.reject(new HttpError(400, `seed must be an integer, got ${String(options.seed)}`));
      }
      return ns.reset({
        seed: options.seed,
        scenarios: options.scenario === undefined ? undefined : Array.isArray(options.scenario) ? options.scenario : [options.scenario],
      });
    },
    snapshot: () => takeSnapshot(ns),
    restore: (snapshot) => restoreSnapshot(ns, snapshot),
    clock: {
      now: () => ns.clock.now(),
      iso: () => ns.clock.iso(),
      advance: (duration) => ns.clock.advance(parseDuration(duration)),
      freeze: (at) => ns.clock.freeze(at === undefined ? undefined : parseTime(at, 'at')),
      resume: () => ns.clock.resume(),
      get frozen() {
        return ns.clock.frozen;
      },
    },
    scenarios: {
      use: (...scenarios) => ns.switchboard.useServer(resolveAll(scenarios), ns.clock.now()),
      // Bindings are keyed by token value or lower-cased email, as requests look them up.
      useFor: (principal, ...scenarios) => {
        const key = principal.startsWith('sdk_') ? principal : principal.toLowerCase();
        checkPrincipal(ns, key);
        // A binding to "none" would read as "this caller gets no scenario", yet an empty binding
        // falls back to the server's set: refused rather than meaning the opposite.
        if (scenarios.includes(NO_SCENARIO)) {
          throw new HttpError(400, `'${NO_SCENARIO}' is for one request (X-Sandbox-Scenario: ${NO_SCENARIO}) or the whole server, not one caller: to remove ${clip(principal)}'s binding, send no names (DELETE /__sandbox/scenario?token= or ?user=).`);
        }
        ns.switchboard.bind(key, resolveAll(scenarios), ns.clock.now());
      },
      reset: () => ns.switchboard.clear(),
      current: () => ns.switchboard.describe(),
      list: () => ns.registry.list(),
      define: (definition) => ns.registry.add(definition, `definition "${String((definition as { name?: unknown } | null)?.name)}"`),
    },
    journal: {
      list: (filter) => ns.journal.list(filter),
      clear: () => ns.journal.clear(),
    },
  };
}
