import type { AuditEvent, AuditSink } from '../../core/audit.ts';
import type { SandboxState } from '../../state.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';
import type { AuditLogRecord } from './records.ts';

/**
 * The audit trail: appends entries to a team's hash chain. The pipeline calls it (through
 * {@link auditSink}) after every successful write of a route that declares an audit action, so no
 * service writes audit entries by hand (nodeloom-api.md 3.10 [INF] "append an audit entry for every
 * mutating call").
 */

/** The hash of a team's newest entry, or the genesis hash. Cost: a scan back from the newest entry. */
export function lastHash(state: SandboxState, teamId: string): string {
  const all = state.db.auditLogs.all();
  for (let i = all.length - 1; i >= 0; i -= 1) if (all[i]!.teamId === teamId) return all[i]!.hash;
  return GENESIS_HASH;
}

/**
 * Appends one event to its team's chain with a seeded id.
 * @returns the stored entry
 */
export async function appendAudit(state: SandboxState, event: AuditEvent): Promise<AuditLogRecord> {
  const previousHash = lastHash(state, event.teamId);
  const entry = { id: state.ids.uuid(), ...event };
  return state.db.auditLogs.insert({ ...entry, previousHash, hash: entryHash(entry, previousHash) });
}

/** The pipeline's audit sink over the sandbox state. */
export const auditSink: AuditSink<SandboxState> = {
  async record(state, events) {
    for (const event of events) await appendAudit(state, event);
  },
};
