import { z } from 'zod';
import { sdkPromptRecord } from './records.ts';

/**
 * Zod schemas of the `/api/sdk/v1` utility answers (nodeloom-api.md 3.11.3 [INF]), snake_case as
 * the SDKs read them (1.3), for the OpenAPI document only (declarative: answers are not validated
 * at run time). They mirror `toFeedbackView`, `toPromptView`, `toWebhookView` and the sentiment
 * route's answer; times are ISO-8601 UTC.
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
