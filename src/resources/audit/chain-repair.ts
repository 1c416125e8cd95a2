import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';
import { teamEntries } from './log.ts';

/**
 * The two ways entries change after they were appended, both outside the pipeline's audit step
 * on purpose: breaking the chain for clients to test their warning UI (the control plane's
 * `POST /__sandbox/audit/tamper`), and rebuilding it ([INF] nodeloom-api.md 3.10 #8, D-AUDC:
 * "chain rebuild exists, itself logged": the route's declared AUDIT_CHAIN_REBUILT is appended by
 * the pipeline after the rebuild, so the rebuild's own entry is part of the valid chain).
 */

/** What a tamper changed. */
export interface TamperResult {
  teamId: string;
  entryId: string;
  action: string;
  /** The entry's `createdAt` (ISO-8601): what `verify` reports as `brokenAtTimestamp`. */
  createdAt: string;
  /** Position in the team's chain, 0 = oldest. */
  index: number;
  /** The field that was changed without fixing the hash, and its value before and after. */
  field: 'details';
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Corrupts one entry of a team's chain: its `details` gain `"tampered": true` (or, if they have
 * it already, `"tamperedAgain": <count>`), and its `hash` is left as it was, so `verify` reports
 * the chain broken at that entry.
 * @param entryId the entry to change; default the middle one of the chain (index ⌊n/2⌋)
 * @throws HttpError 404 for an unknown team, a team without entries, or an entry not in the team
 */
export async function tamperEntry(state: SandboxState, teamId: string, entryId?: string): Promise<TamperResult> {
  if (!state.db.teams.get(teamId)) throw new HttpError(404, `No team ${teamId}. GET /__sandbox/identities lists the seeded teams.`);
  const entries = teamEntries(state, teamId);
  if (entries.length === 0) throw new HttpError(404, `Team ${teamId} has no audit entries to tamper with (the empty data set seeds none): make a write first.`);
  const index = entryId === undefined ? Math.floor(entries.length / 2) : entries.findIndex((entry) => entry.id === entryId);
  const entry = entries[index];
  if (!entry) throw new HttpError(404, `No audit entry ${entryId} in team ${teamId}. GET /api/audit/team/${teamId} lists its entries.`);
  const before = entry.details;
  const after =
    before.tampered === true ? { ...before, tamperedAgain: (typeof before.tamperedAgain === 'number' ? before.tamperedAgain : 0) + 1 } : { ...before, tampered: true };
  await state.db.auditLogs.update(entry.id, { details: after });
  return { teamId, entryId: entry.id, action: entry.action, createdAt: entry.createdAt, index, field: 'details', before, after };
}

/** What a rebuild did. */
export interface RebuildResult {
  /** Entries whose hashes were recomputed (the whole chain). */
  entriesRebuilt: number;
  /** Entries whose `previousHash` or `hash` changed (0 for an intact chain). */
  entriesRepaired: number;
}

/**
 * Recomputes every `previousHash` and `hash` of a team's chain in order from the genesis hash,
 * accepting each entry's fields as they now are (so a tampered entry stays changed, but the chain
 * verifies again). Only entries whose hashes change are written.
 */
export async function rebuildChain(state: SandboxState, teamId: string): Promise<RebuildResult> {
  const entries = teamEntries(state, teamId);
  let previousHash = GENESIS_HASH;
  let entriesRepaired = 0;
  for (const entry of entries) {
    const hash = entryHash(entry, previousHash);
    if (entry.previousHash !== previousHash || entry.hash !== hash) {
      await state.db.auditLogs.update(entry.id, { previousHash, hash });
      entriesRepaired += 1;
    }
    previousHash = hash;
  }
  return { entriesRebuilt: entries.length, entriesRepaired };
}
