import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { pageQueryFields, pageSchema, toPage } from '../../core/paginate.ts';
import { textParam } from '../../core/query.ts';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { resolveWindow, windowQueryFields } from '../monitoring/window.ts';
import { costSummary } from './costs.ts';
import { evaluateExecution } from './evaluate.ts';
import { createFeedback, feedbackBody, listFeedback, toFeedbackView } from './feedback.ts';
import { aggregateMetrics } from './metrics.ts';
import { formDecodedParam } from './path-name.ts';
import { createPromptVersion, getPrompt, listPrompts, promptBody, toPromptView } from './prompts.ts';
import { scanBody, startScan, toScanView } from './redteam.ts';
import { analyzeSentiment } from './sentiment.ts';
import { resolveExecution } from './traces.ts';
import { costSummaryView, evaluationView, feedbackView, metricsView, promptView, scanView, sentimentView, webhookView } from './utility-views.ts';
import { createWebhook, toWebhookView, webhookBody } from './webhooks.ts';

/**
 * The other `/api/sdk/v1` endpoints the four SDK ApiClients call (nodeloom-api.md 3.11.3): SDK
 * tokens only, `sdk:use`, the token's team; snake_case bodies; the status codes 3.11.3 proposes
 * (201 creates, 202 scan start, 204 deletes, never a 200 without a body).
 */

const sdk = { auth: 'sdk-token', rateLimit: 'principal', permission: 'sdk:use', team: { from: 'principal' } } as const;
const PROMPT = '/api/sdk/v1/prompts/:name';
const optional = (schema: z.ZodString) => schema.optional().transform((v) => (v === '' ? undefined : v));

/** The routes. */
export const sdkUtilityRoutes: AnyRoute[] = [
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/feedback',
    response: { body: feedbackView },
    body: feedbackBody,
    audit: { none: 'feedback is end-user data about an execution, not a configuration change' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, body }) {
      return json(toFeedbackView(await createFeedback(state, team.id, body)), 201);
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/feedback',
    response: { body: pageSchema(feedbackView) },
    query: z.object({ ...pageQueryFields(), execution_id: optional(z.string()) }),
    spec: { section: '3.11.3', inferred: true },
    handler: ({ state, team, query }) => json(toPage(listFeedback(state, team.id, query.execution_id), query.page, query.size, toFeedbackView)),
  }),
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/sentiment',
    response: { body: sentimentView },
    body: z.object({
      text: z.string({ error: 'text is required: the text to analyse.' }).max(100_000, 'text must be at most 100,000 characters.'),
      trace_id: z.string().nullish(),
    }),
    audit: { none: 'an analysis of a text, not a configuration change (kept for the monitoring sentiment summary)' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, body }) {
      const result = analyzeSentiment(body.text);
      const record = await state.db.sentimentAnalyses.insert({ id: state.ids.uuid(), teamId: team.id, traceId: body.trace_id ?? null, ...result, textLength: body.text.length, createdAt: state.clock.iso() });
      return json({ id: record.id, ...result, trace_id: record.traceId, analyzed_at: record.createdAt });
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/costs',
    response: { body: costSummaryView },
    query: z.object({ ...windowQueryFields(), workflow_id: optional(z.string()) }),
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, query }) {
      return json(costSummary(state, team.id, resolveWindow(query, state.clock.now()), query.workflow_id));
    },
  }),
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/alerts/webhooks',
    response: { body: webhookView },
    body: webhookBody,
    audit: { action: 'ALERT_WEBHOOK_CREATED', resourceType: 'WEBHOOK' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, body, audit }) {
      const record = await createWebhook(state, team.id, body);
      audit.resourceId = record.id;
      audit.details = { url: record.url, eventTypes: record.eventTypes };
      return json(toWebhookView(record), 201);
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/alerts/webhooks',
    response: { body: z.array(webhookView) },
    spec: { section: '3.11.3', inferred: true },
    handler: ({ state, team }) => json(state.db.sdkWebhooks.filter((w) => w.teamId === team.id).map(toWebhookView)),
  }),
  defineRoute({
    ...sdk,
    method: 'DELETE',
    path: '/api/sdk/v1/alerts/webhooks/:webhookId',
    audit: { action: 'ALERT_WEBHOOK_DELETED', resourceType: 'WEBHOOK' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, params, audit }) {
      const webhook = state.db.sdkWebhooks.get(params.webhookId!);
      if (!webhook || webhook.teamId !== team.id) throw new HttpError(404, `Webhook ${params.webhookId} not found (GET /api/sdk/v1/alerts/webhooks lists yours).`);
      await state.db.sdkWebhooks.delete(webhook.id);
      audit.resourceId = webhook.id;
      audit.details = { url: webhook.url };
      return noContent();
    },
  }),
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/prompts',
    response: { body: promptView },
    body: promptBody,
    audit: { action: 'PROMPT_VERSION_CREATED', resourceType: 'PROMPT' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, body, audit }) {
      const record = await createPromptVersion(state, team.id, body);
      audit.resourceId = record.id;
      audit.details = { name: record.name, version: record.version };
      return json(toPromptView(record, record.version), 201);
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/prompts',
    response: { body: z.array(promptView) },
    spec: { section: '3.11.3', inferred: true },
    handler: ({ state, team }) => json(listPrompts(state, team.id).map(({ record, versions }) => toPromptView(record, versions))),
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: PROMPT,
    response: { body: promptView },
    query: z.object({
      version: optional(z.string().regex(/^[1-9]\d*$/, "Query parameter 'version' must be a positive integer."))
        .transform((v) => (v === undefined ? undefined : Number(v)))
        .meta({ type: 'integer', minimum: 1 }), // documented as an integer (src/openapi/document.ts)
    }),
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, url, query }) {
      const { record, versions } = getPrompt(state, team.id, formDecodedParam(url.pathname, PROMPT, 'name'), query.version);
      return json(toPromptView(record, versions));
    },
  }),
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/redteam/scan',
    response: { body: scanView },
    body: scanBody,
    audit: { action: 'REDTEAM_SCAN_STARTED', resourceType: 'REDTEAM_SCAN' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, body, audit }) {
      const scan = await startScan(state, team.id, body);
      audit.resourceId = scan.id;
      audit.details = { workflowId: scan.workflowId, categories: scan.categories };
      return json(toScanView(state, scan), 202);
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/redteam/scan/:scanId',
    response: { body: scanView },
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, params }) {
      const scan = state.db.redteamScans.get(params.scanId!);
      if (!scan || scan.teamId !== team.id) throw new HttpError(404, `Red-team scan ${params.scanId} not found. Start one with POST /api/sdk/v1/redteam/scan.`);
      return json(toScanView(state, scan));
    },
  }),
  defineRoute({
    ...sdk,
    method: 'POST',
    path: '/api/sdk/v1/evaluate',
    response: { body: evaluationView },
    body: z.object({ execution_id: z.string({ error: 'execution_id is required: the execution (or SDK trace id) to evaluate.' }).min(1, 'execution_id must not be empty.') }),
    audit: { none: 'an evaluation reads an execution and changes nothing' },
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, body }) {
      const execution = resolveExecution(state, team.id, body.execution_id);
      if (!execution) throw new HttpError(404, `Execution ${body.execution_id} not found in your team: send an execution id (GET /api/executions) or an SDK trace id.`);
      return json(evaluateExecution(state, execution));
    },
  }),
  defineRoute({
    ...sdk,
    method: 'GET',
    path: '/api/sdk/v1/metrics',
    response: { body: metricsView },
    query: z.object({ ...windowQueryFields(), name: optional(textParam(z.string())) }),
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, query }) {
      return json(aggregateMetrics(state, team.id, resolveWindow(query, state.clock.now(), null), query.name));
    },
  }),
];
