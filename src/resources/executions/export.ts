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

/** Rows rendered per chunk of a streamed export (~100 KB of CSV). */
export const EXPORT_CHUNK_ROWS = 500;

const CSV_OPTIONS = { columns: [...CSV_COLUMNS], record_delimiter: 'windows', escape_formulas: true } as const;

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
 * @param header whether to start with the header row (the first chunk of a streamed export)
 */
export function executionsCsv(records: readonly ExecutionRecord[], now: number, header = true): string {
  return stringify(
    records.map((record) => toExecutionSummary(record, now)),
    { ...CSV_OPTIONS, header },
  );
}

/**
 * The export body as a stream: {@link EXPORT_CHUNK_ROWS} rows are rendered per pull, when the
 * reader asks for more, so memory stays flat however many rows there are (issue 13: the `large`
 * data set's 100,000-row export was one 19 MB string, 1.4 s before the first byte). CSV chunks
 * come from csv-stringify's sync API, row by row the same bytes as one call over every row (the
 * header only in the first chunk; every row ends with CRLF). JSON is one array, written item by item.
 * A web `ReadableStream` (no node:stream), so it runs in the browser host too.
 * @param records the executions to export, in order (references taken at the request)
 */
export function exportStream(records: readonly ExecutionRecord[], format: ExportFormat, now: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const start = next;
        const rows = records.slice(start, (next = Math.min(records.length, start + EXPORT_CHUNK_ROWS)));
        let text: string;
        if (format === 'csv') {
          text = executionsCsv(rows, now, start === 0);
        } else {
          const items = rows.map((record) => JSON.stringify(toExecutionSummary(record, now))).join(',');
          text = `${start === 0 ? '[' : items ? ',' : ''}${items}${next === records.length ? ']' : ''}`;
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (next === records.length) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The download's file name: `executions-<teamId>-<yyyy-mm-dd>.<format>`, dated in UTC. */
export function exportFileName(teamId: string, now: number, format: ExportFormat): string {
  return `executions-${teamId}-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

/**
 * The export response: status 200 with `Content-Disposition: attachment; filename="..."` and
 * `text/csv; charset=utf-8` (CSV) or `application/json` (a JSON array of ExecutionSummary).
 * @param records every matching execution, newest first (not one page); the body streams from it
 * @param options.teamId the exported team, for the file name
 * @param options.now sandbox time, epoch ms
 */
export function exportResponse(
  records: readonly ExecutionRecord[],
  options: { format: ExportFormat; teamId: string; now: number },
): Response {
  const { format, teamId, now } = options;
  return new Response(exportStream(records, format, now), {
    status: 200,
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      'content-disposition': `attachment; filename="${exportFileName(teamId, now, format)}"`,
    },
  });
}
