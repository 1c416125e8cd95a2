import { createClock, type Clock } from './core/clock.ts';
import type { NamespacePort, ScenarioPort } from './core/exchange.ts';
import type { CrossSiteCookie } from './core/cross-site.ts';
import { Journal } from './core/journal.ts';
import { sessionKey } from './core/session.ts';
import { RateLimiter } from './core/rate-limit.ts';
import { createDatabase, createSeedSinks, type Database } from './database.ts';
import { createSeededStream } from '../fixtures/entity-faker.ts';
import { seedDatabase } from '../fixtures/seed.ts';
import type { Dataset } from './scenarios/definition.ts';
import type { ScenarioRegistry } from './scenarios/registry.ts';
import { ScenarioSwitchboard } from './scenarios/activation.ts';
import { createScenarioPort } from './scenarios/port.ts';
import { createDirectory } from './data/directory.ts';
import { withUndoLog } from './data/undo-log.ts';
import { WeightedLru } from './data/weighted-lru.ts';
import { widgetLookup } from './resources/widgets/lookup.ts';
import type { SandboxState } from './state.ts';

/** How a namespace is set up; `reset` returns it to this. */
export interface NamespaceConfig {
  seed: number;
  /** Clock start, epoch ms (undefined: real time). */
  start?: number;
  /**
   * Sandbox time every namespace's data is seeded at, epoch ms: the sandbox's start time, so every
   * namespace (whatever its own clock) shares the data sets generated once per process.
   */
  epoch: number;
  frozen?: boolean;
  journalSize: number;
  /** Scenario names switched on at start (and after a reset without `scenario`). */
  scenarios: string[];
  /** Agent chat settings (sandbox option `chat`); default per-token delay {@link DEFAULT_CHAT_TOKEN_DELAY_MS}. */
  chat?: { tokenDelayMs: number };
  /**
   * The secret session JWTs are signed with (sandbox option `sessionSecret`). Undefined: a key
   * derived from the seed, so runs with the same seed, clock and requests give the same bytes.
   */
  sessionSecret?: string;
}

/** Default real-time delay before each token of a streamed chat reply, ms (nodeloom-api.md 3.5 [INF]). */
export const DEFAULT_CHAT_TOKEN_DELAY_MS = 15;

type TableName = keyof Database;
/** Plain records per table: a seeded data set before it is loaded into collections. */
export type TableRecords = { [K in TableName]: Array<Record<string, unknown>> };

/**
 * One isolated world: its own data sets (built lazily from the seed), clock, rate windows,
 * scenario switchboard and journal. The default namespace serves requests without
 * `X-Sandbox-Namespace`; every other name gets its own on first use.
 */
export class Namespace implements NamespacePort<SandboxState> {
  readonly clock: Clock;
  readonly rateLimiter = new RateLimiter();
  readonly journal: Journal;
  readonly switchboard = new ScenarioSwitchboard();
  readonly scenarios: ScenarioPort;
  /** Sandbox time the data sets are seeded at, epoch ms. */
  epoch: number;
  seed: number;
  /** Requests answered so far (behind `req_000001`-style request ids). */
  requestCount = 0;
  /** The last login whose session cookie went to a page of another host, or null (cleared by reset). */
  crossSiteLogin: CrossSiteCookie | null = null;
  /** API requests in flight here (src/core/exchange.ts NamespacePort). */
  inFlight = 0;
  #states = new Map<Dataset, Promise<SandboxState>>();
  #resolved = new Map<Dataset, SandboxState>();
  /** When the namespace was first seeded, epoch ms: a reset brings back the data as seeded then. */
  readonly #initialEpoch: number;

  constructor(
    readonly name: string,
    readonly config: NamespaceConfig,
    readonly registry: ScenarioRegistry,
  ) {
    this.seed = config.seed;
    this.clock = createClock({ start: config.start, frozen: config.frozen });
    this.epoch = config.epoch;
    this.scenarios = createScenarioPort({ registry, switchboard: this.switchboard, clock: this.clock, seed: () => this.seed });
    this.#initialEpoch = this.epoch;
    this.journal = new Journal(config.journalSize);
    this.switchboard.useServer(registry.resolve(config.scenarios), this.clock.now());
  }

  /** The next request id: `req_` and a 6-digit sequence number. */
  nextRequestId(): string {
    this.requestCount += 1;
    return `req_${String(this.requestCount).padStart(6, '0')}`;
  }

  /** The data set the server-wide scenarios select (the last one naming a data set), else `default`. */
  get dataset(): Dataset {
    let dataset: Dataset = 'default';
    for (const { scenario } of this.switchboard.server.scenarios) if (scenario.dataset) dataset = scenario.dataset;
    return dataset;
  }

  /** The state of a data set, seeded on first use. */
  state(name: string = this.dataset): Promise<SandboxState> {
    const dataset = name as Dataset;
    let state = this.#states.get(dataset);
    if (!state) {
      state = this.#build(dataset).then((built) => {
        if (this.#states.get(dataset) === state) this.#resolved.set(dataset, built);
        return built;
      });
      this.#states.set(dataset, state);
    }
    return state;
  }

  /** A data set's state if already built, else undefined (never builds). */
  builtState(dataset: string): SandboxState | undefined {
    return this.#resolved.get(dataset as Dataset);
  }

  /**
   * Opens a write transaction over a state ({@link NamespacePort.transaction}).
   * @returns the state writes go to, and a rollback that undoes them
   */
  transaction(state: SandboxState): { state: SandboxState; rollback(): Promise<void> } {
    // Every write is recorded with how to undo it (src/data/undo-log.ts); reads see the real tables.
    const log = withUndoLog(state.db);
    return { state: { ...state, db: log.db }, rollback: () => log.rollback() };
  }

  /**
   * The current data set's state, once built.
   * @throws Error when it is still being seeded (await `sandbox.ready` first)
   */
  currentState(): SandboxState {
    const state = this.#resolved.get(this.dataset);
    if (!state) throw new Error(`Namespace "${this.name}" is still seeding its ${this.dataset} data set: await sandbox.ready first.`);
    return state;
  }

  /**
   * An estimate of the memory this namespace holds, in records: every record it wrote (it owns
   * those), and a twentieth of every other record, shared copy-on-write with the per-process data
   * set (a table that was written owns just its array of references, src/data/table.ts).
   */
  weight(): number {
    let total = 0;
    for (const state of this.#resolved.values()) {
      for (const table of Object.values(state.db)) total += table.count() / 20 + table.written;
    }
    return Math.round(total);
  }

  /** Data sets built so far. */
  builtDatasets(): Dataset[] {
    return [...this.#states.keys()];
  }

  /**
   * Back to the seeded state: data, clock, rate windows, journal, scenario counters; the scenarios
   * become `scenarios` if given, else the ones configured at start.
   * @throws HttpError 400 for an unknown scenario name (nothing is changed then)
   */
  async reset(options: { seed?: number; scenarios?: string[] } = {}): Promise<void> {
    const scenarios = this.registry.resolve(options.scenarios ?? this.config.scenarios);
    this.seed = options.seed ?? this.config.seed;
    this.clock.reset();
    // The data as seeded at start (with a frozen start time this is that time; with a real-time
    // clock it is when the namespace was created), so a reset reuses the generated data set.
    this.epoch = this.#initialEpoch;
    this.rateLimiter.clear();
    this.journal.restart(); // request ids start again: entries of requests still in flight are dropped
    this.requestCount = 0;
    this.crossSiteLogin = null;
    this.switchboard.clear();
    this.switchboard.useServer(scenarios, this.clock.now());
    this.#states.clear();
    this.#resolved.clear();
    await this.state();
  }

  /** Replaces the data sets with already-built states (snapshot restore). */
  replaceStates(states: Map<Dataset, SandboxState>): void {
    this.#states = new Map([...states].map(([dataset, state]) => [dataset, Promise.resolve(state)]));
    this.#resolved = new Map(states);
  }

  /** Creates an empty state sharing this namespace's clock and limiter (for restore). */
  emptyState(counters = { ids: 0, random: 0 }): SandboxState {
    return makeState(this.seed, this.epoch, this.clock, this.rateLimiter, counters, this.config.chat, this.config.sessionSecret);
  }

  async #build(dataset: Dataset): Promise<SandboxState> {
    const records = await seededRecords(this.seed, this.epoch, dataset);
    const state = this.emptyState();
    await loadTables(state.db, records);
    return state;
  }
}

function makeState(
  seed: number,
  epoch: number,
  clock: Clock,
  rateLimiter: RateLimiter,
  counters: SandboxState['counters'],
  chat = { tokenDelayMs: DEFAULT_CHAT_TOKEN_DELAY_MS },
  sessionSecret?: string,
): SandboxState {
  const stream = createSeededStream(seed, counters);
  const db = createDatabase();
  return {
    seed,
    epoch,
    db,
    directory: createDirectory(db, widgetLookup(db.widgets)),
    clock,
    rateLimiter,
    ids: { uuid: stream.uuid },
    random: stream.random,
    // Derived from the seed unless a secret is given: deterministic bytes for tests on loopback,
    // a secret for a server others can reach (issue 7; the CLI picks a random one beyond loopback).
    jwtKey: sessionKey(sessionSecret ?? `nodeloom-sandbox-session-key:${seed}`.padEnd(48, '#')),
    counters,
    chat,
  };
}

/**
 * Seeded data sets already generated, keyed by `seed:epoch:dataset`, shared by every sandbox in the
 * process. Safe to share because the records are deeply frozen and tables only read them (a write
 * copies a table first, see `Table.load`). Least recently used dropped first, past 32 data sets or
 * 120,000 records in all: one `large` data set (~102,600 records, ~175 MB of heap) and a few dozen
 * small ones (a `default` one is 566 records, ~1.1 MB); the newest is kept whatever its size. A
 * count of sets alone (6, before) made a test process that moves between a dozen seeds build the
 * same small set again and again (the suite: 70 builds, 17 of them repeats), yet let six large
 * sets (~1 GB) stay at once.
 */
const generated = new WeightedLru<string, Promise<TableRecords>>(32, 120_000);

/** The frozen records of a seeded data set, generated on first request (see {@link generated}). */
export function seededRecords(seed: number, epoch: number, dataset: Dataset): Promise<TableRecords> {
  const key = `${seed}:${epoch}:${dataset}`;
  const known = generated.get(key);
  if (known) return known;
  const records = generate(seed, epoch, dataset);
  generated.set(key, records);
  records.then(
    (tables) => generated.weigh(key, records, Object.values(tables).reduce((sum, table) => sum + table.length, 0)),
    () => generated.delete(key, records),
  );
  return records;
}

/**
 * Drops the process-wide copies of a seeded data set (every seed and start time): they stop taking
 * memory once no sandbox's tables still hold them, and the next sandbox that needs the data set
 * generates it again. Sandboxes already using the records keep them. For a process that is done
 * with the `large` data set (~175 MB of heap) and goes on running: the suite's workers (vitest
 * with `isolate: false`) run many more files after test/large-dataset.test.ts, each paying for
 * the larger heap in garbage collection.
 * @returns how many copies were dropped
 */
export function forgetSeededRecords(dataset: Dataset): number {
  let dropped = 0;
  for (const key of generated.keys()) {
    if (key.endsWith(`:${dataset}`)) dropped += Number(generated.delete(key));
  }
  return dropped;
}

async function generate(seed: number, epoch: number, dataset: Dataset): Promise<TableRecords> {
  const sinks = createSeedSinks();
  await seedDatabase(sinks, { seed, epoch, dataset });
  const out = {} as TableRecords;
  // The sinks froze each record as it came (deepFreeze); the arrays are frozen too: tables share
  // them, and their id index and other indexes (src/data/derived.ts).
  for (const name of Object.keys(sinks) as TableName[]) {
    out[name] = Object.freeze(sinks[name].all().slice() as Array<Record<string, unknown>>) as Array<Record<string, unknown>>;
  }
  return out;
}

/** Every table's records as plain objects (shallow copies; stored records never change in place). */
export function dumpTables(db: Database): TableRecords {
  const out = {} as TableRecords;
  for (const name of Object.keys(db) as TableName[]) {
    out[name] = db[name].all().map((record) => ({ ...record }) as Record<string, unknown>);
  }
  return out;
}

/**
 * Loads already-validated plain records (a seeded data set, or a snapshot whose records were
 * checked against the table schemas) into empty tables, without validating them again.
 * @throws Error naming the table on a duplicate id
 */
export async function loadTables(db: Database, records: Partial<TableRecords>): Promise<void> {
  for (const name of Object.keys(db) as TableName[]) {
    try {
      await db[name].load((records[name] ?? []) as never);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}
