import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import { teamEntries, toAuditLog, verifyTeamChain, type AuditLog, type Verification } from './log.ts';
import type { AuditReportRecord, ReportFramework } from './records.ts';
import type { CreateReportBody } from './schema.ts';

/**
 * Compliance reports ([INF] nodeloom-api.md 3.10 #3–#5). A report is stored as its request; its
 * status is derived on read from `createdAt` and the sandbox clock, as executions' are (design.md
 * "Time"): PENDING for {@link REPORT_READY_MS}, then COMPLETED. No timers: moving the clock
 * completes it. Its content is computed when it is downloaded, from the entries of its period
 * recorded up to the report's creation, so two downloads give the same entries.
 */

/** Sandbox time a report stays PENDING after it was requested, ms. */
export const REPORT_READY_MS = 5_000;

/** A report's status ([INF] 3.10 #4 also names FAILED, which the sandbox never produces). */
export type ReportStatus = 'PENDING' | 'COMPLETED';

/** The wire Report ([INF] 3.10 #4): `{id, name, framework, status, createdAt, periodFrom, periodTo}`. */
export interface AuditReport {
  id: string;
  name: string;
  framework: ReportFramework;
  status: ReportStatus;
  /** ISO-8601. */
  createdAt: string;
  periodFrom: string;
  periodTo: string;
}

/** The framework requirements an audit trail report serves (shown in the report files). */
export const FRAMEWORK_CONTROLS: Record<ReportFramework, string> = {
  SOC2: 'SOC 2 CC7.2 (system monitoring) and CC6.1 (logical access)',
  GDPR: 'GDPR Art. 30 (records of processing) and Art. 32 (security of processing)',
  HIPAA: 'HIPAA 45 CFR 164.312(b) (audit controls)',
  PCI_DSS: 'PCI DSS v4.0 Requirement 10 (log and monitor all access)',
};

/** A report's status at sandbox time `now` (epoch ms). */
export function reportStatus(record: AuditReportRecord, now: number): ReportStatus {
  return now >= storedIsoToMs(record.createdAt) + REPORT_READY_MS ? 'COMPLETED' : 'PENDING';
}

/** The wire Report at sandbox time `now` (epoch ms). */
export function toReport(record: AuditReportRecord, now: number): AuditReport {
  const { id, name, framework, createdAt, periodFrom, periodTo } = record;
  return { id, name, framework, status: reportStatus(record, now), createdAt, periodFrom, periodTo };
}

/** A team's reports, newest first (same millisecond: newest requested first), as a plain array (3.10 #3). */
export function listReports(state: SandboxState, teamId: string, now: number): AuditReport[] {
  return state.db.auditReports
    .all()
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => record.teamId === teamId)
    .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.index - a.index)
    .map(({ record }) => toReport(record, now));
}

/** Stores a report request at sandbox time, with a seeded id. @returns the stored record */
export async function createReport(state: SandboxState, teamId: string, body: CreateReportBody, createdBy: string | null): Promise<AuditReportRecord> {
  return state.db.auditReports.insert({ id: state.ids.uuid(), teamId, ...body, createdAt: state.clock.iso(), createdBy });
}

/**
 * A report of the team by id.
 * @throws HttpError 404 for an unknown id or another team's report
 */
export function loadReport(state: SandboxState, teamId: string, id: string): AuditReportRecord {
  const record = state.db.auditReports.get(id);
  if (!record || record.teamId !== teamId) throw new HttpError(404, `Report ${id} not found in team ${teamId}. GET /api/audit/team/${teamId}/reports lists its reports.`);
  return record;
}

/**
 * Refuses to serve a report that is still PENDING.
 * @throws HttpError 409 with `Retry-After` (whole seconds until it completes)
 */
export function assertCompleted(record: AuditReportRecord, now: number): void {
  const readyAt = storedIsoToMs(record.createdAt) + REPORT_READY_MS;
  if (now >= readyAt) return;
  const wait = Math.max(1, Math.ceil((readyAt - now) / 1000));
  throw new HttpError(
    409,
    `Report ${record.id} is still PENDING: it completes ${REPORT_READY_MS / 1000} s of sandbox time after it was requested, at ${new Date(readyAt).toISOString()}. Retry then, or move the clock (POST /__sandbox/clock/advance {"ms": "5s"}).`,
    [['retry-after', String(wait)]],
  );
}

/** The content of a report file (the JSON download; the PDF shows the same). */
export interface ReportContent {
  report: AuditReport & {
    teamId: string;
    teamName: string;
    completedAt: string;
    /** Who asked for the report: `{id, name}`, or null when unknown. */
    requestedBy: { id: string; name: string } | null;
    /** The framework requirements the audit trail serves. */
    controls: string;
  };
  summary: {
    /** Entries in the period (recorded up to the report's creation). */
    totalEntries: number;
    /** Entries per action, actions in alphabetical order. */
    countsByAction: Record<string, number>;
    /** Distinct users among the entries (entries without a user not counted). */
    distinctUsers: number;
  };
  /** The team's whole chain, verified at download time. */
  chainVerification: Verification;
  /** The period's entries, oldest first. */
  entries: AuditLog[];
}

/** Builds a completed report's content at sandbox time `now` (epoch ms). */
export function reportContent(state: SandboxState, record: AuditReportRecord, now: number): ReportContent {
  const from = storedIsoToMs(record.periodFrom);
  const to = Math.min(storedIsoToMs(record.periodTo), storedIsoToMs(record.createdAt));
  const entries = teamEntries(state, record.teamId)
    .map((entry, index) => ({ entry, at: storedIsoToMs(entry.createdAt), index }))
    .filter(({ at }) => at >= from && at <= to)
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ entry }) => toAuditLog(entry));
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
  const user = record.createdBy === null ? undefined : state.db.users.get(record.createdBy);
  return {
    report: {
      ...toReport(record, now),
      teamId: record.teamId,
      teamName: state.db.teams.get(record.teamId)?.name ?? record.teamId,
      completedAt: new Date(storedIsoToMs(record.createdAt) + REPORT_READY_MS).toISOString(),
      requestedBy: user ? { id: user.id, name: `${user.firstName} ${user.lastName}` } : null,
      controls: FRAMEWORK_CONTROLS[record.framework],
    },
    summary: {
      totalEntries: entries.length,
      countsByAction: Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
      distinctUsers: new Set(entries.flatMap((entry) => (entry.userId === null ? [] : [entry.userId]))).size,
    },
    chainVerification: verifyTeamChain(state, record.teamId, new Date(now).toISOString()),
    entries,
  };
}

/** The download's file name: `audit-report-<framework>-<yyyy-mm-dd of creation>-<first 8 of id>.<format>`. */
export function reportFileName(record: AuditReportRecord, format: 'json' | 'pdf'): string {
  return `audit-report-${record.framework.toLowerCase().replace('_', '-')}-${record.createdAt.slice(0, 10)}-${record.id.slice(0, 8)}.${format}`;
}
