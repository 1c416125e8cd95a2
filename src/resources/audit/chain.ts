import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { AuditLogRecord } from './records.ts';

/**
 * The per-team SHA-256 hash chain of the audit trail (nodeloom-api.md 3.10: SELF security.md
 * "SHA-256 hash chain"; the exact input is [INF]): each entry's `hash` is
 * `sha256_hex(previousHash + canonicalJson(entry without previousHash and hash))`, and its
 * `previousHash` is the hash of the team's entry before it (64 zeros for the first).
 * @noble/hashes is used because it is synchronous and runs in every host (node, browser worker).
 */

/** The `previousHash` of a team's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field) => {
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return field;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(field).sort()) sorted[key] = (field as Record<string, unknown>)[key];
    return sorted;
  });
}

/** The hash of an entry given the previous one. */
export function entryHash(entry: Omit<AuditLogRecord, 'hash' | 'previousHash'>, previousHash: string): string {
  const { id, teamId, userId, userName, action, resourceType, resourceId, details, ipAddress, createdAt } = entry;
  const body = canonicalJson({ id, teamId, userId, userName, action, resourceType, resourceId, details, ipAddress, createdAt });
  return bytesToHex(sha256(utf8ToBytes(previousHash + body)));
}

/** The result of checking a team's chain, oldest entry first. */
export type ChainCheck =
  | { valid: true; entriesVerified: number; first: AuditLogRecord | null; last: AuditLogRecord | null }
  | { valid: false; entriesVerified: number; brokenAt: AuditLogRecord };

/**
 * Walks a team's entries oldest first and checks every link and hash.
 * @param entries the team's entries in insertion (chain) order
 * @returns valid with counts, or the first broken entry and how many verified before it
 */
export function verifyChain(entries: readonly AuditLogRecord[]): ChainCheck {
  let previous = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    if (entry.previousHash !== previous || entry.hash !== entryHash(entry, previous)) {
      return { valid: false, entriesVerified: index, brokenAt: entry };
    }
    previous = entry.hash;
  }
  return { valid: true, entriesVerified: entries.length, first: entries[0] ?? null, last: entries.at(-1) ?? null };
}
