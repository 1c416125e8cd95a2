import { z } from 'zod';
import { pageSchema } from '../../core/paginate.ts';
import { PLAN_LIMITS, type Plan } from '../../core/rate-limit.ts';
import { DRIFT_TYPES } from './drift.ts';
import { monitoringConfigRecord, scheduledReportRecord } from './records.ts';

/**
 * Zod schemas of the monitoring routes' success bodies (nodeloom-api.md 3.7), for the OpenAPI
 * document only (declarative: answers are not validated at run time). They mirror `config.ts`,
 * `token-usage.ts`, `alerts.ts`, `sentiment-summary.ts`, `reports.ts` and `rate-limits.ts`.
 * Costs are USD, times ISO-8601 UTC, dates `YYYY-MM-DD` (UTC days).
 */

const count = z.number().int().min(0);
const nullableIso = z.iso.datetime().nullable();

/** A MonitoringConfig (3.7): the stored record without `id` and `updatedAt`. */
export const monitoringConfigView = monitoringConfigRecord.omit({ id: true, updatedAt: true });

/** The window a usage view covers (`windowView`): null on an open end. */
const period = z.object({ from: nullableIso, to: nullableIso });

/** `GET .../token-usage`. */
export const tokenUsageTotalsView = z.object({
  totalInputTokens: count,
  totalOutputTokens: count,
  totalTokens: count,
  totalCost: z.number().min(0),
  executionCount: count,
  period,
});

const usageBucket = { inputTokens: count, outputTokens: count, cost: z.number().min(0), executionCount: count };

/** `GET .../token-usage/daily`: every UTC day of the window, oldest first. */
export const tokenUsageDailyView = z.object({ days: z.array(z.object({ date: z.iso.date(), ...usageBucket })), period });

/** `GET .../token-usage/by-model`: highest cost first. */
export const tokenUsageByModelView = z.object({ models: z.array(z.object({ model: z.string(), ...usageBucket })), period });

/** The acknowledgement fields every alert carries (`ackOf`). */
const ack = { acknowledged: z.boolean(), acknowledgedAt: nullableIso, acknowledgedBy: z.string().nullable() };

/** `GET .../anomalies`: a Page of Anomaly (anomalies.ts, without the internal `at`). */
export const anomalyPageView = pageSchema(
  z.object({
    id: z.string(),
    executionId: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    score: z.number(),
    detectors: z.object({ durationSpike: z.number(), tokenOveruse: z.number(), outputSize: z.number(), dataExfiltration: z.number() }),
    reasons: z.array(z.string()),
    createdAt: z.iso.datetime(),
    ...ack,
  }),
);

const runWindow = z.object({ from: z.iso.datetime(), to: z.iso.datetime(), executionCount: count });

/** `GET .../drift-alerts`: a Page of DriftAlert (drift.ts). */
export const driftAlertPageView = pageSchema(
  z.object({
    id: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    driftType: z.enum(DRIFT_TYPES),
    severity: z.enum(['LOW', 'MEDIUM', 'HIGH']),
    baselineValue: z.number(),
    recentValue: z.number(),
    changePercent: z.number(),
    message: z.string(),
    recentWindow: runWindow,
    baselineWindow: runWindow,
    detectedAt: z.iso.datetime(),
    ...ack,
  }),
);

/** `POST .../alerts/bulk-acknowledge`. */
export const acknowledgeResultView = z.object({ acknowledged: count, alreadyAcknowledged: count, notFound: z.array(z.string()) });

const sentimentCounts = { positive: count, neutral: count, negative: count };

/** `GET .../sentiment`. */
export const sentimentSummaryView = z.object({
  period,
  sentimentTrackingEnabled: z.boolean(),
  totalAnalyzed: count,
  ...sentimentCounts,
  averageScore: z.number(),
  sources: z.object({ sdk: count, chat: count }),
  daily: z.array(z.object({ date: z.iso.date(), ...sentimentCounts, averageScore: z.number() })),
});

/** A scheduled report (`toReportView`): the record plus `nextRunAt`, null while disabled. */
export const scheduledReportView = scheduledReportRecord.extend({ nextRunAt: nullableIso });

const PLANS = Object.keys(PLAN_LIMITS) as [Plan, ...Plan[]];

/** `GET /api/monitoring/admin/rate-limits` (`rateLimitView`). */
export const rateLimitsView = z.object({
  windowStart: z.iso.datetime(),
  windowResetAt: z.iso.datetime(),
  windowSeconds: z.number().int().min(1),
  teams: z.array(
    z.object({
      teamId: z.string(),
      teamName: z.string(),
      plan: z.enum(PLANS),
      limitPerMinute: count,
      requestsThisWindow: count,
      busiestCallerRemaining: count,
      throttled: z.boolean(),
      callers: z.array(z.object({ kind: z.enum(['TOKEN', 'USER']), id: z.string(), name: z.string(), requests: count, remaining: count, exceeded: z.boolean() })),
    }),
  ),
  addresses: z.array(z.object({ key: z.string(), requests: count })),
});
