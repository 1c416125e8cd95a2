import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { REPORT_FREQUENCIES, type ScheduledReportRecord } from './records.ts';

/**
 * Scheduled monitoring reports ([INF] nodeloom-api.md 3.7 #10: "scheduled reports exist"; body
 * `{name, frequency, recipients, enabled}`). The sandbox sends no mail; `nextRunAt` shows when the
 * next one would go out (daily 06:00 UTC, weekly Monday, monthly the 1st).
 */

const frequency = z.enum(REPORT_FREQUENCIES, { error: `frequency must be one of ${REPORT_FREQUENCIES.join(', ')}.` });
const recipients = z
  .array(z.email({ error: 'recipients must be email addresses, e.g. ["ops@acme.test"].' }), { error: 'recipients must be an array of email addresses.' })
  .min(1, 'recipients must name at least one email address.');
const name = z.string({ error: 'name is required: what the report is called.' }).trim().min(1, 'name must not be empty.').max(200, 'name must be at most 200 characters.');

/** `POST .../reports` body. */
export const createReportBody = z.object({ name, frequency, recipients, enabled: z.boolean({ error: 'enabled must be true or false.' }).optional() }).strict();
/** `PUT .../reports/:id` body: any subset of the fields. */
export const updateReportBody = z.object({ name, frequency, recipients, enabled: z.boolean({ error: 'enabled must be true or false.' }) }).partial().strict();

/** The team's report by id. @throws HttpError 404 */
export function findReport(state: SandboxState, teamId: string, id: string): ScheduledReportRecord {
  const report = state.db.scheduledReports.get(id);
  if (!report || report.teamId !== teamId) throw new HttpError(404, `Report ${id} not found in this team (GET /api/monitoring/teams/${teamId}/reports lists them).`);
  return report;
}

/** Creates a report (enabled unless `enabled: false`). */
export function createReport(state: SandboxState, teamId: string, body: z.output<typeof createReportBody>, createdBy: string | null): Promise<ScheduledReportRecord> {
  const now = state.clock.iso();
  return state.db.scheduledReports.insert({ id: state.ids.uuid(), teamId, name: body.name, frequency: body.frequency, recipients: body.recipients, enabled: body.enabled ?? true, createdBy, createdAt: now, updatedAt: now });
}

/** Applies a partial update. */
export async function updateReport(state: SandboxState, report: ScheduledReportRecord, body: z.output<typeof updateReportBody>): Promise<ScheduledReportRecord> {
  const patch = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  return (await state.db.scheduledReports.update(report.id, { ...patch, updatedAt: state.clock.iso() }))!;
}

/** When a report of this frequency next goes out after `now` (06:00 UTC), ISO-8601. */
function nextRun(frequencyValue: ScheduledReportRecord['frequency'], now: number): string {
  const d = new Date(now);
  const at = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 6));
  if (frequencyValue === 'DAILY') {
    if (at.getTime() <= now) at.setUTCDate(at.getUTCDate() + 1);
  } else if (frequencyValue === 'WEEKLY') {
    at.setUTCDate(at.getUTCDate() + ((8 - at.getUTCDay()) % 7));
    if (at.getTime() <= now) at.setUTCDate(at.getUTCDate() + 7);
  } else {
    at.setUTCDate(1);
    if (at.getTime() <= now) at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return at.toISOString();
}

/** A report as the API shows it. */
export function toReportView(report: ScheduledReportRecord, now: number) {
  const { teamId, ...rest } = report;
  return { ...rest, teamId, nextRunAt: report.enabled ? nextRun(report.frequency, now) : null };
}
