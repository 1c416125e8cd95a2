import { z } from 'zod';
import { pageSchema } from '../../core/paginate.ts';
import { auditLogRecord, REPORT_FRAMEWORKS, SIEM_PROVIDERS } from './records.ts';

/**
 * Zod schemas of the audit routes' success bodies (nodeloom-api.md 3.10), for the OpenAPI
 * document only (declarative: answers are not validated at run time). They mirror the wire types
 * of `log.ts`, `reports.ts`, `settings.ts` and `chain-repair.ts`; times are ISO-8601 UTC.
 */

/** `GET /api/audit/team/:teamId`: a Page of AuditLog (the stored entry is the wire shape, see `toAuditLog`). */
export const auditLogPageView = pageSchema(auditLogRecord);

/** `{id, createdAt}` of a chain's oldest or newest entry. */
const entryRef = z.object({ id: z.string(), createdAt: z.iso.datetime() });

/** `GET .../verify` (3.10 #2): an intact chain or the first broken entry (see `Verification`). */
export const verificationView = z.union([
  z.object({ valid: z.literal(true), entriesVerified: z.number().int().min(0), firstEntry: entryRef.nullable(), lastEntry: entryRef.nullable(), verifiedAt: z.iso.datetime() }),
  z.object({ valid: z.literal(false), entriesVerified: z.number().int().min(0), brokenAtTimestamp: z.iso.datetime(), brokenEntryId: z.string(), verifiedAt: z.iso.datetime() }),
]);

/** A compliance report ([INF] 3.10 #4), see `AuditReport`. */
export const auditReportView = z.object({
  id: z.string(),
  name: z.string(),
  framework: z.enum(REPORT_FRAMEWORKS),
  status: z.enum(['PENDING', 'COMPLETED']),
  createdAt: z.iso.datetime(),
  periodFrom: z.iso.datetime(),
  periodTo: z.iso.datetime(),
});

/** `GET/PUT .../retention`: `updatedAt` null until first set (see `Retention`). */
export const retentionView = z.object({ teamId: z.string(), retentionDays: z.number().int(), updatedAt: z.iso.datetime().nullable() });

/** `GET/PUT .../siem`: the destination, never the token itself (see `SiemSettings`). */
export const siemView = z.object({
  teamId: z.string(),
  enabled: z.boolean(),
  provider: z.enum(SIEM_PROVIDERS).nullable(),
  url: z.string().nullable(),
  tokenSet: z.boolean(),
  tokenPreview: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});

/** `POST .../siem/test` (see `SiemTestResult`). */
export const siemTestView = z.object({ success: z.boolean(), statusCode: z.number().int(), message: z.string(), testedAt: z.iso.datetime() });

/** `POST .../rebuild-chain` (see `RebuildResult`). */
export const rebuildChainView = z.object({
  message: z.string(),
  teamId: z.string(),
  entriesRebuilt: z.number().int().min(0),
  entriesRepaired: z.number().int().min(0),
  rebuiltAt: z.iso.datetime(),
});
