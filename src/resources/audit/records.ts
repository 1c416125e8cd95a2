import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '../../core/audit.ts';

/**
 * Stored audit log entry (nodeloom-api.md 3.10): the documented AuditLog `{id, teamId, userId,
 * userName, action, resourceType, resourceId, details, createdAt}` plus `ipAddress` (SELF
 * security.md: entries record the IP address) and the SHA-256 hash chain fields `previousHash` and
 * `hash` ([INF]: `hash = sha256(previousHash + canonical(entry))`, one chain per team).
 */
export const auditLogRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  resourceType: z.enum(AUDIT_RESOURCE_TYPES),
  resourceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ipAddress: z.string(),
  createdAt: z.iso.datetime(),
  /** The hash of the team's previous entry; 64 zeros for the first. */
  previousHash: z.string(),
  /** SHA-256 (hex) of `previousHash` and the entry's canonical JSON. */
  hash: z.string(),
});
/** An audit log entry as stored. */
export type AuditLogRecord = z.output<typeof auditLogRecord>;
