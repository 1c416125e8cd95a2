import type { Namespace } from './namespace.ts';

/** API calls to named namespaces between two recounts of every namespace's weight. */
export const RECOUNT_EVERY = 64;

/**
 * The memory bound of a sandbox's named namespaces (`maxNamespaceRecords`): after each API call to
 * a named namespace, drops the least recently used others (never the one just used) while all of
 * them hold more than `maxRecords` records by {@link Namespace.weight}, never one with a request in
 * flight (`inFlight`: its write would be answered, then lost).
 *
 * Weighing every namespace on every call cost O(namespaces x tables): with 50 namespaces a call
 * took ~230 µs against ~75 µs with one (measured in-process, 2026-12-03). So the namespace just
 * used is weighed again and the others' last weights are reused; every {@link RECOUNT_EVERY}th call
 * weighs them all, and so does a call that finds the total over the bound, before anything is
 * dropped: a weight that went stale (a namespace deleted, reset or restored through the control
 * plane, written in code, or a streamed reply stored after its answer) can make the bound act up
 * to {@link RECOUNT_EVERY} calls late, never drop a namespace that the bound does not require
 * dropping.
 * @param others the named namespaces by name, least recently used first (entries are deleted here)
 * @param maxRecords the bound, in records
 * @returns the check to run after each API call, with the namespace that served it
 */
export function namespaceMemoryBound(others: Map<string, Namespace>, maxRecords: number): (used: Namespace) => void {
  const lastWeight = new WeakMap<Namespace, number>();
  let total = 0;
  let callsSinceCount = 0;
  const count = () => {
    total = 0;
    for (const ns of others.values()) {
      const weight = ns.weight();
      lastWeight.set(ns, weight);
      total += weight;
    }
    callsSinceCount = 0;
  };
  return (used) => {
    const before = lastWeight.get(used);
    if (before === undefined || ++callsSinceCount >= RECOUNT_EVERY) count();
    else {
      const weight = used.weight();
      total += weight - before;
      lastWeight.set(used, weight);
    }
    if (total <= maxRecords) return;
    count();
    for (const [name, ns] of others) {
      if (total <= maxRecords) break;
      if (ns === used || ns.inFlight > 0) continue;
      total -= lastWeight.get(ns)!;
      others.delete(name);
    }
  };
}
