import { z } from 'zod';
import { pageQueryFields } from '../../core/paginate.ts';
import { compareInstants, parseIsoInstant, type Instant } from './iso-instant.ts';
import { EXECUTION_STATUSES, TRIGGER_TYPES, type ExecutionStatus } from './records.ts';
import { clip } from '../../core/clip.ts';

/**
 * Query schemas of the `/api/executions` routes (nodeloom-api.md 3.3). Every filter is optional;
 * an empty value (`?status=`) counts as absent, as Spring binds an empty enum or date to null.
 * Invalid values answer 400 with a message naming the parameter (via the pipeline's `validate`).
 */

/** Export file formats ([INF] nodeloom-api.md 3.3 #4), csv first because it is the default. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

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

/** An ISO-8601 instant (any precision, nodeloom-api.md 1.7). */
function instantParam(name: string) {
  return z.string().transform((value, ctx): GivenInstant => {
    const instant = parseIsoInstant(value);
    if (instant === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `Query parameter '${name}' must be an ISO-8601 date-time such as 2026-02-17T10:30:00.000Z (any fractional precision, Z or ±hh:mm offset); got '${clip(value)}'.`,
      });
      return z.NEVER;
    }
    return { ...instant, text: value };
  });
}

const statusParam = z.enum(EXECUTION_STATUSES, {
  error: (issue) =>
    `Query parameter 'status' must be one of ${EXECUTION_STATUSES.join(', ')}; got '${clip(issue.input)}'.`,
});

const formatParam = z.enum(EXPORT_FORMATS, {
  error: (issue) => `Query parameter 'format' must be one of ${EXPORT_FORMATS.join(', ')}; got '${clip(issue.input)}'.`,
});

/** The filters shared by list and export: `status`, `workflowId`, `from`, `to` (3.3 #1, #4). */
const filterFields = {
  status: optionalParam(statusParam),
  workflowId: optionalParam(z.string()),
  from: optionalParam(instantParam('from')),
  to: optionalParam(instantParam('to')),
};

type Window = { from?: GivenInstant | undefined; to?: GivenInstant | undefined };

/** Rejects a window that ends before it starts, so an empty page is never a silent typo. */
function fromNotAfterTo(query: Window, ctx: z.RefinementCtx): void {
  if (query.from && query.to && compareInstants(query.from, query.to) > 0) {
    ctx.addIssue({ code: 'custom', message: `Query parameter 'from' (${query.from.text}) must not be after 'to' (${query.to.text}).` });
  }
}

/**
 * Turns the parsed window into whole-millisecond bounds for stored times (which have ms
 * precision): `from` rounds up and `to` down, so both stay inclusive and exact.
 */
function toMsWindow<Q extends Window>(query: Q): Omit<Q, 'from' | 'to'> & { from?: number; to?: number } {
  const { from, to, ...rest } = query;
  return {
    ...rest,
    ...(from && { from: from.ms + (from.fraction > 0 ? 1 : 0) }),
    ...(to && { to: to.ms }),
  };
}

/**
 * `GET /api/executions/team/:teamId` query: filters plus `page` (0-based) and `size` (default 20,
 * at most 100; nodeloom-api.md 1.6). `from`/`to` come out as inclusive epoch-ms bounds.
 */
export const teamListQuery = z
  .object({ ...filterFields, ...pageQueryFields() })
  .superRefine(fromNotAfterTo)
  .transform(toMsWindow);

/**
 * `GET /api/executions` query (the path all SDKs call, 3.3 #1b): as {@link teamListQuery} plus
 * `teamId`, which the pipeline's team scope reads (a token may omit it, 1.8).
 */
export const listQuery = z
  .object({ teamId: z.string().optional(), ...filterFields, ...pageQueryFields() })
  .superRefine(fromNotAfterTo)
  .transform(toMsWindow);

/** `GET /api/executions/team/:teamId/export` query: filters plus `format` (`csv` default, `json`). */
export const exportQuery = z
  .object({ ...filterFields, format: optionalParam(formatParam).transform((format) => format ?? 'csv') })
  .superRefine(fromNotAfterTo)
  .transform(toMsWindow);

/**
 * What the list and export filter on: the derived status at the request's clock time, the
 * workflow id, and an inclusive `[from, to]` window in epoch ms.
 */
export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  workflowId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** ExecutionSummary (3.3 list item), for the OpenAPI document. */
export const executionSummary = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().min(0),
  triggerType: z.enum(TRIGGER_TYPES),
  nodeCount: z.number().int().min(0),
  errorMessage: z.string().nullable(),
});

/** ExecutionDetail (3.3, the v1 and v2 shapes merged [INF]) with its NodeExecutions. */
export const executionDetail = executionSummary.extend({
  workflowVersion: z.number().int(),
  trigger: z.enum(TRIGGER_TYPES),
  inputData: z.unknown(),
  outputData: z.unknown(),
  createdAt: z.iso.datetime(),
  nodeExecutions: z.array(
    z.object({
      nodeId: z.string(),
      nodeName: z.string(),
      nodeType: z.string(),
      status: z.enum([...EXECUTION_STATUSES, 'SKIPPED']),
      startedAt: z.iso.datetime().nullable(),
      finishedAt: z.iso.datetime().nullable(),
      durationMs: z.number().int().min(0),
      input: z.unknown(),
      output: z.unknown(),
      errorMessage: z.string().nullable(),
    }),
  ),
  sdkTrace: z.unknown().optional(),
});
