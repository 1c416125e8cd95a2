import { z } from 'zod';
import { sdkPromptRecord } from './records.ts';

/**
 * Zod schemas of the `/api/sdk/v1` utility answers (nodeloom-api.md 3.11.3 [INF]), snake_case as
 * the SDKs read them (1.3), for the OpenAPI document only (declarative: answers are not validated
 * at run time). They mirror `toFeedbackView`, `toPromptView`, `toWebhookView` and the sentiment
 * route's answer, the costs, red-team scan, evaluation and metrics answers; times are ISO-8601 UTC.
 */

/** Feedback (`toFeedbackView`): `source` lower-case. */
export const feedbackView = z.object({
  id: z.string(),
  execution_id: z.string().nullable(),
  trace_id: z.string().nullable(),
  span_id: z.string().nullable(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  user_identifier: z.string().nullable(),
  source: z.enum(['telemetry', 'api']),
  created_at: z.iso.datetime(),
});

/** A prompt version (`toPromptView`); `version_count` is how many versions the name has. */
export const promptView = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int().min(1),
  content: z.string(),
  description: z.string().nullable(),
  variables: sdkPromptRecord.shape.variables,
  model_hint: z.string().nullable(),
  version_count: z.number().int().min(1),
  created_at: z.iso.datetime(),
});

/** An alert webhook (`toWebhookView`): never the secret, only whether one is set. */
export const webhookView = z.object({ id: z.string(), url: z.string(), event_types: z.array(z.string()), secret_configured: z.boolean(), created_at: z.iso.datetime() });

/** `POST /api/sdk/v1/sentiment`: the stored analysis (sentiment.ts `Sentiment`) with its id. */
export const sentimentView = z.object({
  id: z.string(),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  score: z.number(),
  confidence: z.number(),
  emotions: z.object({ joy: z.number(), anger: z.number(), sadness: z.number(), fear: z.number(), surprise: z.number() }),
  trace_id: z.string().nullable(),
  analyzed_at: z.iso.datetime(),
});

const count = z.number().int().min(0);
const period = z.object({ from: z.iso.datetime().nullable(), to: z.iso.datetime().nullable() });
const costBucket = { input_tokens: count, output_tokens: count, cost: z.number().min(0), execution_count: count };

/** `GET /api/sdk/v1/costs` (costs.ts `costSummary`): USD, highest cost first. */
export const costSummaryView = z.object({
  currency: z.literal('USD'),
  total_cost: z.number().min(0),
  total_input_tokens: count,
  total_output_tokens: count,
  total_tokens: count,
  execution_count: count,
  workflow_id: z.string().nullable(),
  period,
  by_model: z.array(z.object({ model: z.string(), ...costBucket })),
  by_workflow: z.array(z.object({ workflow_id: z.string(), workflow_name: z.string().nullable(), ...costBucket })),
});

/** A red-team scan at the sandbox time (redteam.ts `toScanView`): `results` once COMPLETED, else null. */
export const scanView = z.object({
  scan_id: z.string(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  status: z.enum(['PENDING', 'RUNNING', 'COMPLETED']),
  categories: z.array(z.string()),
  progress: z.number().int().min(0).max(100),
  created_at: z.iso.datetime(),
  started_at: z.iso.datetime().nullable(),
  completed_at: z.iso.datetime().nullable(),
  results: z
    .object({
      total_probes: count,
      passed: count,
      failed: count,
      score: z.number().int().min(0).max(100),
      findings: z.array(
        z.object({
          id: z.string(),
          category: z.string(),
          severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
          probe: z.string(),
          description: z.string(),
          recommendation: z.string(),
        }),
      ),
    })
    .nullable(),
});

/** `POST /api/sdk/v1/evaluate` (evaluate.ts `evaluateExecution`): scores in 0–1. */
export const evaluationView = z.object({
  execution_id: z.string(),
  trace_id: z.string().nullable(),
  status: z.literal('COMPLETED'),
  overall_score: z.number(),
  passed: z.boolean(),
  criteria: z.array(z.object({ name: z.string(), score: z.number(), reasoning: z.string() })),
  judge_model: z.string(),
  evaluated_at: z.iso.datetime(),
});

/** `GET /api/sdk/v1/metrics` (metrics.ts `aggregateMetrics`): one aggregate per metric name, by name. */
export const metricsView = z.object({
  metrics: z.array(
    z.object({
      name: z.string(),
      unit: z.string().nullable(),
      count,
      sum: z.number(),
      avg: z.number(),
      min: z.number(),
      max: z.number(),
      latest: z.number(),
      first_at: z.iso.datetime(),
      last_at: z.iso.datetime(),
    }),
  ),
  period,
});
