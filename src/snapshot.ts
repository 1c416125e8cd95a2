import { z } from 'zod';
import { FIRST_RECORD_MS, LAST_RECORD_MS, MAX_TIME_MS, MIN_TIME_MS, TIME_RANGE_TEXT } from './core/clock.ts';
import { MAX_RATE_KEYS, WINDOW_MS } from './core/rate-limit.ts';
import { HttpError } from './core/http-error.ts';
import { MAX_JSON_DEPTH, nestingDepthMessage, valueExceedsDepth } from './core/json-depth.ts';
import { DATASETS, NO_SCENARIO, type Dataset } from './scenarios/definition.ts';
import { dumpTables, loadTables, type Namespace } from './namespace.ts';
import type { SandboxState } from './state.ts';

/**
 * Snapshots: a namespace's whole state as JSON (`GET /__sandbox/snapshot`, `sandbox.snapshot()`)
 * and its exact restore (`PUT /__sandbox/snapshot`, `sandbox.restore()`): every built data set's
 * records and counters, the clock, the rate windows and the scenario switchboard.
 */

export const SNAPSHOT_FORMAT = 'nodeloom-sandbox-snapshot/1';

/**
 * Deepest nesting a snapshot may have: Jackson's 1,000 for the client JSON inside records, plus 5
 * levels of envelope (snapshot → datasets → data set → tables → table) and the levels a record
 * wraps around client JSON (an execution's `nodes[i].output.content` holds the input 4 levels
 * down); 16 in all leaves room. Records stay far below the ~1,950 levels `structuredClone` handles
 * (json-depth.ts), so every snapshot the sandbox takes can be restored.
 */
export const SNAPSHOT_MAX_DEPTH = MAX_JSON_DEPTH + 16;

const countersSchema = z.object({ ids: z.number().int().min(0), random: z.number().int().min(0) });

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT, { error: `format must be "${SNAPSHOT_FORMAT}" (take the snapshot with GET /__sandbox/snapshot)` }),
  seed: z.number().int(),
  /** ISO-8601 time the data sets were seeded at (a time the clock can be set to, so seeding works). */
  epoch: z.iso.datetime().refine((t) => Date.parse(t) >= MIN_TIME_MS && Date.parse(t) <= MAX_TIME_MS, `epoch must be within ${TIME_RANGE_TEXT}`),
  clock: z.object({ now: z.iso.datetime(), frozen: z.boolean() }),
  /** Requests answered so far in the namespace (request ids continue from it). */
  requestCount: z.number().int().min(0),
  /** Server-wide scenarios, principal bindings (each with its own switch-on time) and rule counters. */
  scenarios: z.object({
    names: z.array(z.string()),
    since: z.iso.datetime().nullable(),
    bindings: z.array(z.object({ principal: z.string(), names: z.array(z.string()), since: z.iso.datetime() })),
    counters: z.array(z.tuple([z.string(), z.number().int().min(0)])),
  }),
  /** `[key, windowStartMs, count]`: starts are whole minutes of time records can hold, counts requests so far. */
  rateWindows: z
    .array(
      z.tuple([
        z.string().min(1, 'rate window key must not be empty'),
        z
          .number()
          .int('window start must be an integer epoch ms')
          .refine((start) => start % WINDOW_MS === 0, 'window start must be a whole minute in epoch ms, as GET /__sandbox/snapshot gives it')
          .refine((start) => start >= FIRST_RECORD_MS && start <= LAST_RECORD_MS, 'window start must be within the years 0000-9999'),
        z.number().int('count must be a non-negative integer').min(0, 'count must be a non-negative integer'),
      ]),
    )
    .max(MAX_RATE_KEYS, `at most ${MAX_RATE_KEYS} rate windows`),
  datasets: z.partialRecord(
    z.enum(DATASETS),
    z.object({ counters: countersSchema, tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))) }),
  ),
});
/** A namespace's state as JSON. */
export type Snapshot = z.output<typeof snapshotSchema>;

/**
 * Checks every table of every data set before anything is loaded: known and complete table names,
 * and each record against its table's schema (replacing it with the parsed record).
 * @throws HttpError 400 naming the record and field, e.g.
 *   `datasets.default.tables.workflows[3].name: Invalid input: expected string, received number`
 */
function checkTables(snapshot: Snapshot, ns: Namespace): void {
  const db = ns.emptyState().db;
  const known = Object.keys(db) as Array<keyof typeof db>;
  for (const [dataset, data] of Object.entries(snapshot.datasets)) {
    const where = `datasets.${dataset}.tables`;
    for (const name of Object.keys(data!.tables)) {
      if (!known.includes(name as never)) throw new HttpError(400, `Invalid snapshot: ${where}.${name}: unknown table; expected ${known.join(', ')}`);
    }
    for (const name of known) {
      const records = data!.tables[name];
      if (!records) throw new HttpError(400, `Invalid snapshot: ${where}.${name}: missing table`);
      for (const [index, record] of records.entries()) {
        const result = z.safeParse(db[name].schema, record);
        if (!result.success) {
          const issue = result.error.issues[0]!;
          throw new HttpError(400, `Invalid snapshot: ${where}.${name}[${index}]${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
        }
        records[index] = result.data as Record<string, unknown>; // defaults applied, as an insert would
      }
    }
  }
}

/** Takes a snapshot of a namespace (every data set built so far). */
export async function takeSnapshot(ns: Namespace): Promise<Snapshot> {
  const datasets: Snapshot['datasets'] = {};
  for (const dataset of ns.builtDatasets()) {
    const state = await ns.state(dataset);
    const tables = dumpTables(state.db);
    // Token use is kept beside the records (src/data/directory.ts), so it is written into them
    // here: a restore shows each token's lastUsedAt as it was.
    tables.sdkTokens = tables.sdkTokens.map((token) => {
      const used = state.directory.lastUsed.get(token.id as string);
      return used === undefined ? token : { ...token, lastUsedAt: used };
    });
    datasets[dataset] = { counters: { ...state.counters }, tables };
  }
  const board = ns.switchboard;
  const scenarios: Snapshot['scenarios'] = {
    names: board.server.scenarios.map((s) => s.scenario.name),
    since: board.server.scenarios.length ? new Date(board.server.at).toISOString() : null,
    bindings: [...board.bindings].map(([principal, a]) => ({
      principal,
      names: a.scenarios.map((s) => s.scenario.name),
      since: new Date(a.at).toISOString(),
    })),
    counters: [...board.counters],
  };
  return {
    format: SNAPSHOT_FORMAT,
    seed: ns.seed,
    epoch: new Date(ns.epoch).toISOString(),
    clock: { now: ns.clock.iso(), frozen: ns.clock.frozen },
    requestCount: ns.requestCount,
    scenarios,
    rateWindows: ns.rateLimiter.entries(),
    datasets,
  };
}

/**
 * Restores a snapshot exactly, all or nothing: the whole snapshot is checked (shape, every record
 * of every table, scenario names) and the new data sets are built aside first; only then is the
 * namespace changed, in one synchronous swap of steps that cannot fail. A refused snapshot
 * changes nothing: not the seed, epoch, data, clock, scenarios nor rate windows.
 * @throws HttpError 400 naming the field when the snapshot is malformed or names unknown scenarios,
 *   or nests deeper than {@link SNAPSHOT_MAX_DEPTH}
 */
export async function restoreSnapshot(ns: Namespace, value: unknown): Promise<void> {
  if (valueExceedsDepth(value, SNAPSHOT_MAX_DEPTH)) throw new HttpError(400, `Invalid snapshot: ${nestingDepthMessage(SNAPSHOT_MAX_DEPTH)}`);
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `Invalid snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const snapshot = parsed.data;
  const server = ns.registry.resolve(snapshot.scenarios.names);
  const bindings = snapshot.scenarios.bindings.map((b, i) => {
    // As useFor refuses it: a binding resolved to no scenario would be dropped silently (the caller
    // would then get the server's set, the opposite of what 'none' says).
    if (b.names.includes(NO_SCENARIO)) {
      throw new HttpError(400, `Invalid snapshot: scenarios.bindings.${i}.names: '${NO_SCENARIO}' cannot be bound to one caller; leave the binding out to remove it.`);
    }
    return { ...b, scenarios: ns.registry.resolve(b.names) };
  });
  checkTables(snapshot, ns);
  const seed = snapshot.seed;
  const epoch = Date.parse(snapshot.epoch);
  const states = new Map<Dataset, SandboxState>();
  const datasets = Object.entries(snapshot.datasets) as Array<[Dataset, NonNullable<Snapshot['datasets'][Dataset]>]>;
  for (const [dataset, data] of datasets) states.set(dataset, emptyStateFor(ns, seed, epoch, data.counters));
  try {
    for (const [dataset, data] of datasets) await loadTables(states.get(dataset)!.db, data.tables as never);
  } catch (error) {
    throw new HttpError(400, `Invalid snapshot: ${(error as Error).message}`);
  }
  // Nothing below throws: the namespace changes in one step.
  ns.seed = seed;
  ns.epoch = epoch;
  ns.replaceStates(states);
  const at = snapshot.scenarios.since ? Date.parse(snapshot.scenarios.since) : Date.parse(snapshot.clock.now);
  ns.switchboard.clear();
  ns.switchboard.useServer(server, at);
  for (const binding of bindings) ns.switchboard.bind(binding.principal, binding.scenarios, Date.parse(binding.since));
  ns.switchboard.loadCounters(snapshot.scenarios.counters);
  ns.rateLimiter.load(snapshot.rateWindows);
  ns.requestCount = snapshot.requestCount;
  ns.clock.restore(Date.parse(snapshot.clock.now), snapshot.clock.frozen); // any 4-digit-year time: cannot throw
}

/**
 * An empty state of the namespace for another seed and epoch, without changing the namespace:
 * `Namespace.emptyState` reads both from the namespace, so they are set and put back in the same
 * synchronous step (no request can run in between).
 */
function emptyStateFor(ns: Namespace, seed: number, epoch: number, counters: { ids: number; random: number }): SandboxState {
  const previous = { seed: ns.seed, epoch: ns.epoch };
  ns.seed = seed;
  ns.epoch = epoch;
  try {
    return ns.emptyState({ ...counters });
  } finally {
    ns.seed = previous.seed;
    ns.epoch = previous.epoch;
  }
}
