import { z } from 'zod';
import { HttpError } from './core/http-error.ts';
import { DATASETS, type Dataset } from './scenarios/definition.ts';
import { dumpTables, loadTables, type Namespace } from './namespace.ts';
import type { SandboxState } from './state.ts';

/**
 * Snapshots: a namespace's whole state as JSON (`GET /__sandbox/snapshot`, `sandbox.snapshot()`)
 * and its exact restore (`PUT /__sandbox/snapshot`, `sandbox.restore()`): every built data set's
 * records and counters, the clock, the rate windows and the scenario switchboard.
 */

export const SNAPSHOT_FORMAT = 'nodeloom-sandbox-snapshot/1';

const countersSchema = z.object({ ids: z.number().int().min(0), random: z.number().int().min(0) });

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT, { error: `format must be "${SNAPSHOT_FORMAT}" (take the snapshot with GET /__sandbox/snapshot)` }),
  seed: z.number().int(),
  /** ISO-8601 time the data sets were seeded at. */
  epoch: z.iso.datetime(),
  clock: z.object({ now: z.iso.datetime(), frozen: z.boolean() }),
  /** Requests answered so far in the namespace (request ids continue from it). */
  requestCount: z.number().int().min(0),
  scenarios: z.object({
    names: z.array(z.string()),
    since: z.iso.datetime().nullable(),
    bindings: z.record(z.string(), z.array(z.string())),
  }),
  /** `[key, windowStartMs, count]`. */
  rateWindows: z.array(z.tuple([z.string(), z.number(), z.number()])),
  datasets: z.partialRecord(
    z.enum(DATASETS),
    z.object({ counters: countersSchema, tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))) }),
  ),
});
/** A namespace's state as JSON. */
export type Snapshot = z.output<typeof snapshotSchema>;

/** Takes a snapshot of a namespace (every data set built so far). */
export async function takeSnapshot(ns: Namespace): Promise<Snapshot> {
  const datasets: Snapshot['datasets'] = {};
  for (const dataset of ns.builtDatasets()) {
    const state = await ns.state(dataset);
    datasets[dataset] = { counters: { ...state.counters }, tables: dumpTables(state.db) };
  }
  const scenarios = ns.switchboard.describe();
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
 * Restores a snapshot exactly. Everything is validated and rebuilt first and swapped in at the end,
 * so a bad snapshot changes nothing.
 * @throws HttpError 400 naming the field when the snapshot is malformed or names unknown scenarios
 */
export async function restoreSnapshot(ns: Namespace, value: unknown): Promise<void> {
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `Invalid snapshot: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const snapshot = parsed.data;
  const server = ns.registry.resolve(snapshot.scenarios.names);
  const bindings = Object.entries(snapshot.scenarios.bindings).map(([key, names]) => [key, ns.registry.resolve(names)] as const);
  const previous = { seed: ns.seed, epoch: ns.epoch };
  ns.seed = snapshot.seed;
  ns.epoch = Date.parse(snapshot.epoch);
  const states = new Map<Dataset, SandboxState>();
  try {
    for (const [dataset, data] of Object.entries(snapshot.datasets) as Array<[Dataset, NonNullable<Snapshot['datasets'][Dataset]>]>) {
      const state = ns.emptyState({ ...data.counters });
      await loadTables(state.db, data.tables as never);
      states.set(dataset, state);
    }
  } catch (error) {
    ns.seed = previous.seed;
    ns.epoch = previous.epoch;
    throw new HttpError(400, `Invalid snapshot: ${(error as Error).message}`);
  }
  ns.replaceStates(states);
  const at = snapshot.scenarios.since ? Date.parse(snapshot.scenarios.since) : Date.parse(snapshot.clock.now);
  ns.switchboard.clear();
  ns.switchboard.useServer(server, at);
  for (const [key, scenarios] of bindings) ns.switchboard.bind(key, scenarios, at);
  ns.rateLimiter.load(snapshot.rateWindows);
  ns.requestCount = snapshot.requestCount;
  ns.clock.freeze(Date.parse(snapshot.clock.now));
  if (!snapshot.clock.frozen) ns.clock.resume();
}
