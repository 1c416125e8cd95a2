// The browser build of csv-stringify's sync API: `csv-stringify/sync` (lib/) touches the global
// `Buffer` when it loads, which throws "Buffer is not defined" in a browser or service worker
// (the msw browser host). This entry bundles its own Buffer, imports nothing, and runs in Node too.
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { ExecutionRecord } from './records.ts';
import type { ExportFormat } from './schema.ts';
import { toExecutionSummary } from './view.ts';

/**
 * The execution export download ([INF] nodeloom-api.md 3.3 #4: D-EX v2 only says executions can be
 * exported "for compliance reporting"; format, columns and file name are the sandbox's choice).
 */

/** CSV columns, in order; each is an ExecutionSummary field of the same name. */
export const CSV_COLUMNS = [
  'id',
  'workflowId',
  'workflowName',
  'status',
  'triggerType',
  'startedAt',
  'finishedAt',
  'durationMs',
  'errorMessage',
] as const;

/**
 * Renders executions as RFC 4180 CSV: a header row of {@link CSV_COLUMNS}, one row per execution,
 * CRLF line ends, fields with commas, quotes or line breaks quoted (quotes doubled), null as an
 * empty field, times as ISO-8601 and `durationMs` in milliseconds.
 *
 * CSV injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`, tab or
 * carriage return (or their full-width forms) is prefixed with `'`, so a spreadsheet shows a
 * workflow named `=HYPERLINK(...)` as text instead of running it. csv-stringify's own
 * `escape_formulas` option does exactly this (numbers such as a negative duration are left alone).
 * @param records stored executions, in the order to write them
 * @param now sandbox time, epoch ms (statuses are derived at it)
 */
export function executionsCsv(records: readonly ExecutionRecord[], now: number): string {
  return stringify(
    records.map((record) => toExecutionSummary(record, now)),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', escape_formulas: true },
  );
}

/** The download's file name: `executions-<teamId>-<yyyy-mm-dd>.<format>`, dated in UTC. */
export function exportFileName(teamId: string, now: number, format: ExportFormat): string {
  return `executions-${teamId}-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

/**
 * The export response: status 200 with `Content-Disposition: attachment; filename="..."` and
 * `text/csv; charset=utf-8` (CSV) or `application/json` (a JSON array of ExecutionSummary).
 * @param records every matching execution, newest first (not one page)
 * @param options.teamId the exported team, for the file name
 * @param options.now sandbox time, epoch ms
 */
export function exportResponse(
  records: readonly ExecutionRecord[],
  options: { format: ExportFormat; teamId: string; now: number },
): Response {
  const { format, teamId, now } = options;
  const body =
    format === 'csv' ? executionsCsv(records, now) : JSON.stringify(records.map((record) => toExecutionSummary(record, now)));
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      'content-disposition': `attachment; filename="${exportFileName(teamId, now, format)}"`,
    },
  });
}
