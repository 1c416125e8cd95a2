import { toPage, type Page } from '../../core/paginate.ts';
import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import { verifyChain } from './chain.ts';
import type { AuditLogRecord } from './records.ts';
import type { ListAuditQuery } from './schema.ts';

/**
 * Reading the audit log (nodeloom-api.md 3.10 #1, #2). Entries are stored in chain order (the
 * order they were appended, per team); reads never change them.
 * Cost: one pass over the audit table per request (a few hundred entries per seeded team).
 */

/** The wire AuditLog (3.10 [DOC] fields plus [INF] `ipAddress`, `previousHash`, `hash`). */
export interface AuditLog {
  id: string;
  teamId: string;
  userId: string | null;
  userName: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  details: Record<string, unknown>;
  ipAddress: string;
  /** Sandbox time the entry was recorded, ISO-8601. */
  createdAt: string;
  previousHash: string;
  hash: string;
}

/** The wire shape of a stored entry, fields in the documented order. */
export function toAuditLog(entry: AuditLogRecord): AuditLog {
  const { id, teamId, userId, userName, action, resourceType, resourceId, details, ipAddress, createdAt, previousHash, hash } = entry;
  return { id, teamId, userId, userName, action, resourceType, resourceId, details, ipAddress, createdAt, previousHash, hash };
}

/** A team's entries in chain order (oldest appended first). */
export function teamEntries(state: SandboxState, teamId: string): AuditLogRecord[] {
  return state.db.auditLogs.filter((entry) => entry.teamId === teamId);
}

/**
 * One page of a team's entries, newest first (by `createdAt`; entries of the same millisecond,
 * as under a frozen clock, newest appended first), filtered by action, user and an inclusive
 * `[from, to]` window in epoch ms.
 */
export function listAudit(state: SandboxState, teamId: string, query: ListAuditQuery): Page<AuditLog> {
  const { page, size, action, userId, from, to } = query;
  const matching: Array<{ entry: AuditLogRecord; at: number; index: number }> = [];
  for (const [index, entry] of teamEntries(state, teamId).entries()) {
    if (action !== undefined && entry.action !== action) continue;
    if (userId !== undefined && entry.userId !== userId) continue;
    const at = storedIsoToMs(entry.createdAt);
    if ((from !== undefined && at < from) || (to !== undefined && at > to)) continue;
    matching.push({ entry, at, index });
  }
  matching.sort((a, b) => b.at - a.at || b.index - a.index);
  return toPage(matching, page, size, ({ entry }) => toAuditLog(entry));
}

/** An entry as `firstEntry` / `lastEntry` of a verification: its id and when it was recorded. */
export interface EntryRef {
  id: string;
  /** ISO-8601. */
  createdAt: string;
}

/**
 * The answer of `GET .../verify` (3.10 #2), always 200:
 * - intact: `{valid: true, entriesVerified, firstEntry, lastEntry, verifiedAt}` where the entries
 *   are `{id, createdAt}` of the chain's oldest and newest entry (null for an empty chain);
 * - broken: `{valid: false, entriesVerified, brokenAtTimestamp, brokenEntryId, verifiedAt}`, where
 *   `entriesVerified` counts the entries before the first broken one and `brokenAtTimestamp` is
 *   that entry's `createdAt` ([INF] `brokenEntryId`).
 */
export type Verification =
  | { valid: true; entriesVerified: number; firstEntry: EntryRef | null; lastEntry: EntryRef | null; verifiedAt: string }
  | { valid: false; entriesVerified: number; brokenAtTimestamp: string; brokenEntryId: string; verifiedAt: string };

/** Verifies a team's chain at sandbox time `verifiedAt` (ISO-8601). */
export function verifyTeamChain(state: SandboxState, teamId: string, verifiedAt: string): Verification {
  const check = verifyChain(teamEntries(state, teamId));
  if (!check.valid) {
    return { valid: false, entriesVerified: check.entriesVerified, brokenAtTimestamp: check.brokenAt.createdAt, brokenEntryId: check.brokenAt.id, verifiedAt };
  }
  const ref = (entry: AuditLogRecord | null): EntryRef | null => (entry ? { id: entry.id, createdAt: entry.createdAt } : null);
  return { valid: true, entriesVerified: check.entriesVerified, firstEntry: ref(check.first), lastEntry: ref(check.last), verifiedAt };
}
