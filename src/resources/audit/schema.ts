import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../core/audit.ts';
import { pageQueryFields } from '../../core/paginate.ts';
import { compareInstants, parseIsoInstant, type Instant } from '../executions/iso-instant.ts';
import { REPORT_FRAMEWORKS, SIEM_PROVIDERS } from './records.ts';
import { clip } from '../../core/clip.ts';

/**
 * Query and body schemas of the audit routes (nodeloom-api.md 3.10). Invalid values answer 400
 * with a message naming the field and what it accepts (via the pipeline's `validate`). An empty
 * query value (`?action=`) counts as absent, as Spring binds an empty enum or date to null.
 */

/** Shortest and longest retention a team can set, in days ([INF] 3.10 #6). */
export const RETENTION_DAYS_RANGE = { min: 30, max: 3650 } as const;

/** Download formats of a report ([INF] 3.10 #5), the default first. */
export const REPORT_FORMATS = ['json', 'pdf'] as const;
/** A report download format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** An optional query parameter whose empty value means "not given". */
function optionalParam<T>(schema: z.ZodType<T, string>) {
  return z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(schema.optional());
}

/** An instant as parsed, with the text it was given (for messages). */
type GivenInstant = Instant & { text: string };

/** A short description of a non-string JSON value for a message: the value of a number or boolean, else its kind. */
const given = (input: unknown) => (typeof input === 'number' || typeof input === 'boolean' ? String(input) : Array.isArray(input) ? 'an array' : `an ${typeof input}`);

/** An ISO-8601 instant (any precision, nodeloom-api.md 1.7) in the query (`where` = "Query parameter") or body (`Field`). */
function instant(where: string, name: string) {
  const error = (issue: { input: unknown }) =>
    issue.input == null
      ? `${where} '${name}' is required: an ISO-8601 date-time such as 2026-10-01T00:00:00Z.`
      : `${where} '${name}' must be a string holding an ISO-8601 date-time such as 2026-10-01T00:00:00Z; got ${given(issue.input)}.`;
  return z.string({ error }).transform((value, ctx): GivenInstant => {
    const parsed = parseIsoInstant(value);
    if (parsed === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `${where} '${name}' must be an ISO-8601 date-time such as 2026-10-01T00:00:00.000Z (Z or ±hh:mm offset); got '${clip(value)}'.`,
      });
      return z.NEVER;
    }
    return { ...parsed, text: value };
  });
}

/** Whole-ms bounds of an inclusive window: `from` rounds up, `to` down, so both stay exact. */
const lowerMs = (at: GivenInstant) => at.ms + (at.fraction > 0 ? 1 : 0);

/** Rejects a window that ends before it starts, so an empty answer is never a silent typo. */
function fromNotAfterTo(where: string) {
  return (value: { from?: GivenInstant | undefined; to?: GivenInstant | undefined }, ctx: z.RefinementCtx) => {
    if (value.from && value.to && compareInstants(value.from, value.to) > 0) {
      ctx.addIssue({ code: 'custom', message: `${where} 'from' (${value.from.text}) must not be after 'to' (${value.to.text}).` });
    }
  };
}

const actionParam = z.enum(AUDIT_ACTIONS, {
  error: (issue) => `Query parameter 'action' must be one of ${AUDIT_ACTIONS.join(', ')}; got '${clip(issue.input)}'.`,
});

/**
 * `GET /api/audit/team/:teamId` query (3.10 #1): `action`, `userId`, `from`, `to` (inclusive,
 * ISO-8601) and `page`/`size` (size 50 by default, at most 100). `from`/`to` come out as epoch ms.
 */
export const listAuditQuery = z
  .object({
    action: optionalParam(actionParam),
    userId: optionalParam(z.string()),
    from: optionalParam(instant('Query parameter', 'from')),
    to: optionalParam(instant('Query parameter', 'to')),
    ...pageQueryFields(50),
  })
  .superRefine(fromNotAfterTo('Query parameter'))
  .transform(({ from, to, ...rest }) => ({ ...rest, from: from && lowerMs(from), to: to?.ms }));
/** A validated audit list query. */
export type ListAuditQuery = z.output<typeof listAuditQuery>;

/**
 * `POST /api/audit/team/:teamId/reports` body ([INF] 3.10 #4): `{name, framework, from, to}`;
 * the period is inclusive and comes out as ISO-8601 strings with milliseconds.
 */
export const createReportBody = z
  .object(
    {
      name: z
        .string({ error: (issue) => (issue.input == null ? 'name is required: a title such as "October 2026 SOC 2 report".' : 'name must be a string, e.g. "October 2026 SOC 2 report".') })
        .trim()
        .min(1, 'name is required: a title such as "October 2026 SOC 2 report".')
        .max(200, 'name must be at most 200 characters.'),
      framework: z.enum(REPORT_FRAMEWORKS, { error: `framework must be one of ${REPORT_FRAMEWORKS.join(', ')}.` }),
      from: instant('Field', 'from'),
      to: instant('Field', 'to'),
    },
    { error: 'The body must be a JSON object such as {"name": "October report", "framework": "SOC2", "from": "2026-10-01T00:00:00Z", "to": "2026-10-31T23:59:59Z"}' },
  )
  .superRefine(fromNotAfterTo('Field'))
  .transform(({ from, to, ...rest }) => ({ ...rest, periodFrom: new Date(lowerMs(from)).toISOString(), periodTo: new Date(to.ms).toISOString() }));
/** A validated report request. */
export type CreateReportBody = z.output<typeof createReportBody>;

/** `GET .../reports/:id/download` path parameters. */
export const reportParams = z.object({ teamId: z.string(), id: z.string() });

/** `GET .../reports/:id/download` query: `format` = `json` (default) or `pdf`. */
export const downloadQuery = z.object({
  format: optionalParam(z.enum(REPORT_FORMATS, { error: (issue) => `Query parameter 'format' must be one of ${REPORT_FORMATS.join(', ')}; got '${clip(issue.input)}'.` })).transform(
    (format) => format ?? 'json',
  ),
});

const retentionMessage = `retentionDays must be a whole number of days from ${RETENTION_DAYS_RANGE.min} to ${RETENTION_DAYS_RANGE.max} (10 years), e.g. {"retentionDays": 365}.`;

/** `PUT .../retention` body ([INF] 3.10 #6): `{retentionDays}`, whole days in {@link RETENTION_DAYS_RANGE}. */
export const retentionBody = z.object(
  {
    retentionDays: z
      .number({ error: retentionMessage })
      .int(retentionMessage)
      .min(RETENTION_DAYS_RANGE.min, retentionMessage)
      .max(RETENTION_DAYS_RANGE.max, retentionMessage),
  },
  { error: 'The body must be a JSON object such as {"retentionDays": 365}' },
);

/** Whether a text is an absolute http(s) URL with a host. */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `PUT .../siem` body ([INF] 3.10 #7): `{enabled, provider, url, token?}`. `token` is write-only:
 * omitted keeps the stored one, `null` removes it, a string replaces it.
 */
export const siemBody = z.object(
  {
    enabled: z.boolean({ error: 'enabled must be true or false.' }),
    provider: z.enum(SIEM_PROVIDERS, { error: `provider must be one of ${SIEM_PROVIDERS.join(', ')}.` }),
    url: z
      .string({ error: 'url is required: the http(s) endpoint events are sent to, e.g. https://splunk.example.com:8088/services/collector.' })
      .trim()
      .refine(isHttpUrl, 'url must be an absolute http(s) URL, e.g. https://splunk.example.com:8088/services/collector.'),
    token: z.string({ error: 'token must be a string (or null to remove the stored one).' }).min(1, 'token must not be empty: omit it to keep the stored one, or send null to remove it.').max(4096).nullable().optional(),
  },
  { error: 'The body must be a JSON object such as {"enabled": true, "provider": "SPLUNK", "url": "https://splunk.example.com:8088/services/collector", "token": "..."}' },
);
/** A validated SIEM settings body. */
export type SiemBody = z.output<typeof siemBody>;
