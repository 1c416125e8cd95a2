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

/** SIEM export targets ([INF] nodeloom-api.md 3.10 #7: Splunk HEC, Datadog Logs API, Elasticsearch Bulk API, custom webhook). */
export const SIEM_PROVIDERS = ['SPLUNK', 'DATADOG', 'ELASTICSEARCH', 'WEBHOOK'] as const;
/** A SIEM provider. */
export type SiemProvider = (typeof SIEM_PROVIDERS)[number];

/**
 * A team's audit settings, one record per team with `id` equal to the team id ([INF] 3.10 #6, #7):
 * the retention period and the SIEM export destination. A team without a record has the defaults
 * (see settings.ts). `siemToken` is write-only: no response ever contains it.
 */
export const auditSettingsRecord = z.object({
  /** The team id (one record per team). */
  id: z.string(),
  teamId: z.string(),
  /** How long entries are kept, in days. */
  retentionDays: z.number().int(),
  /** When retention was last changed (ISO-8601), null while it is the default. */
  retentionUpdatedAt: z.iso.datetime().nullable(),
  siemEnabled: z.boolean(),
  siemProvider: z.enum(SIEM_PROVIDERS).nullable(),
  siemUrl: z.string().nullable(),
  siemToken: z.string().nullable(),
  /** When the SIEM settings were last saved (ISO-8601), null while never configured. */
  siemUpdatedAt: z.iso.datetime().nullable(),
});
/** Audit settings as stored. */
export type AuditSettingsRecord = z.output<typeof auditSettingsRecord>;

/** Compliance frameworks a report can be generated for ([INF] 3.10 #4). */
export const REPORT_FRAMEWORKS = ['SOC2', 'GDPR', 'HIPAA', 'PCI_DSS'] as const;
/** A compliance framework. */
export type ReportFramework = (typeof REPORT_FRAMEWORKS)[number];

/**
 * A compliance report request ([INF] 3.10 #4). Its `status` is not stored: it is PENDING until
 * 5 s of sandbox time after `createdAt`, then COMPLETED (`REPORT_READY_MS` in reports.ts).
 */
export const auditReportRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  framework: z.enum(REPORT_FRAMEWORKS),
  /** Start of the reported period, ISO-8601 (inclusive). */
  periodFrom: z.iso.datetime(),
  /** End of the reported period, ISO-8601 (inclusive). */
  periodTo: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  /** The user who asked for it (a token's creator for an SDK token). */
  createdBy: z.string().nullable(),
});
/** An audit report as stored. */
export type AuditReportRecord = z.output<typeof auditReportRecord>;
