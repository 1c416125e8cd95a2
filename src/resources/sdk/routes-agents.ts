import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { agentControlPayload, DEFAULT_TTL_SECONDS, ensureAgentRecord, findAgent } from './control.ts';
import { formDecodedParam } from './path-name.ts';
import { REQUIRE_GUARDRAILS } from './records.ts';
import { ingestBatch } from './telemetry.ts';

/**
 * `/api/sdk/v1` routes of telemetry and of one agent (nodeloom-api.md 3.11.1, 3.11.2, 3.11.3):
 * SDK tokens only, `sdk:use`, the token's team. Bodies and answers are snake_case (1.3).
 * Agent names in paths are form-decoded as the SDKs encode them (path-name.ts, 5.3).
 */

const TELEMETRY = '/api/sdk/v1/telemetry';
const CONTROL = '/api/sdk/v1/agents/:agentName/control';
const CALLBACK = '/api/sdk/v1/agents/:agentName/callback';
const GUARDRAILS = '/api/sdk/v1/agents/:agentName/guardrails';

/** Most events per batch (3.11.1, DOC D-SDK). */
export const MAX_BATCH_EVENTS = 100;

const BATCH_SHAPE = 'A telemetry batch is a JSON object {"events": [...], "sdk_version": "0.10.0", "sdk_language": "typescript"}';
const batchBody = z.object(
  {
    events: z
      .array(z.unknown(), { error: `${BATCH_SHAPE}: "events" must be an array.` })
      .max(MAX_BATCH_EVENTS, `A batch holds at most ${MAX_BATCH_EVENTS} events (nodeloom-api.md 3.11.1); split it into several batches.`),
    sdk_version: z.string({ error: 'sdk_version must be a string such as "0.10.0".' }).nullish(),
    sdk_language: z.string({ error: 'sdk_language must be a string such as "typescript".' }).nullish(),
  },
  { error: `${BATCH_SHAPE}.` },
);

const callbackBody = z.object({
  callback_url: z.url({ protocol: /^https?$/, error: 'callback_url is required and must be an http(s) URL, e.g. https://agent.example.com/redteam.' }),
});

/** The guardrail checks an agent's config reports as enabled ([INF]: configured in the NodeLoom UI, read-only here). */
const DEFAULT_CHECKS = {
  detect_prompt_injection: true,
  redact_pii: true,
  filter_content: false,
  validate_schema: false,
  apply_custom_rules: false,
  detect_semantic_manipulation: false,
};

/** AgentControlPayload (control.ts) as a zod schema, snake_case as the SDKs parse it (OpenAPI only). */
const controlPayloadSchema = z.object({
  agent_name: z.string().nullable(),
  halted: z.boolean(),
  halt_source: z.enum(['none', 'agent', 'team']),
  halt_reason: z.string().nullable(),
  halted_at: z.iso.datetime().nullable(),
  revision: z.number().int().min(0),
  require_guardrails: z.enum(REQUIRE_GUARDRAILS),
  guardrail_session_ttl_seconds: z.number().int(),
  polled_at: z.iso.datetime(),
});

/** The telemetry answer (`BatchAnswer`, 3.11.1), OpenAPI only. */
const batchAnswerSchema = z.object({
  accepted: z.number().int().min(0),
  rejected: z.number().int().min(0),
  errors: z.array(z.object({ index: z.number().int().min(0), error: z.string() })),
  control: controlPayloadSchema,
});

/** The callback answer (3.11.3), OpenAPI only. */
const callbackSchema = z.object({ agent_name: z.string(), callback_url: z.string().nullable(), updated_at: z.iso.datetime() });

/** The guardrails answer (3.11.3), OpenAPI only. */
const guardrailsSchema = z.object({
  agent_name: z.string(),
  require_guardrails: z.enum(REQUIRE_GUARDRAILS),
  guardrail_session_ttl_seconds: z.number().int(),
  on_violation: z.literal('BLOCKED'),
  checks: z.object({
    detect_prompt_injection: z.boolean(),
    redact_pii: z.boolean(),
    filter_content: z.boolean(),
    validate_schema: z.boolean(),
    apply_custom_rules: z.boolean(),
    detect_semantic_manipulation: z.boolean(),
  }),
  revision: z.number().int().min(0),
  configure_url: z.string(),
});

/** The routes. */
export const sdkAgentRoutes: AnyRoute[] = [
  /**
   * `POST /api/sdk/v1/telemetry` (3.11.1, 5.4): always HTTP 200 with integer `accepted`/`rejected`,
   * `errors` by index and the `control` payload, also when events are rejected (Python drops a
   * batch answered with anything but 200). 400 for a body that is not a batch or > 100 events.
   */
  defineRoute({
    method: 'POST',
    path: TELEMETRY,
    response: { body: batchAnswerSchema },
    auth: 'sdk-token',
    rateLimit: 'principal',
    permission: 'sdk:use',
    team: { from: 'principal' },
    body: batchBody,
    audit: { none: 'telemetry is ingested data, not a change of configuration; its executions show it' },
    spec: { section: '3.11.1' },
    async handler({ state, team, principal, body }) {
      const answer = await ingestBatch(
        state,
        { teamId: team.id, actorId: principal.creator.id, sdkVersion: body.sdk_version ?? null, sdkLanguage: body.sdk_language ?? null },
        body.events,
      );
      return json(answer, 200);
    },
  }),
  /** `GET /api/sdk/v1/agents/:agentName/control` (3.11.2): the payload; an unknown agent gets the defaults. */
  defineRoute({
    method: 'GET',
    path: CONTROL,
    response: { body: controlPayloadSchema },
    auth: 'sdk-token',
    rateLimit: 'principal',
    permission: 'sdk:use',
    team: { from: 'principal' },
    spec: { section: '3.11.2' },
    handler: ({ state, team, url }) => json(agentControlPayload(state, team.id, formDecodedParam(url.pathname, CONTROL, 'agentName'))),
  }),
  /** `POST /api/sdk/v1/agents/:agentName/callback` `{callback_url}` (3.11.3): 200 with the agent's callback. */
  defineRoute({
    method: 'POST',
    path: CALLBACK,
    response: { body: callbackSchema },
    auth: 'sdk-token',
    rateLimit: 'principal',
    permission: 'sdk:use',
    team: { from: 'principal' },
    body: callbackBody,
    audit: { action: 'AGENT_CALLBACK_SET', resourceType: 'AGENT' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, url, body, audit }) {
      const agentName = formDecodedParam(url.pathname, CALLBACK, 'agentName');
      const agent = await ensureAgentRecord(state, team.id, agentName);
      const updated = (await state.db.sdkAgents.update(agent.id, { callbackUrl: body.callback_url, updatedAt: state.clock.iso() }))!;
      audit.resourceId = agent.id;
      audit.details = { agentName, callbackUrl: body.callback_url };
      return json({ agent_name: agentName, callback_url: updated.callbackUrl, updated_at: updated.updatedAt });
    },
  }),
  /** `DELETE /api/sdk/v1/agents/:agentName/callback` (3.11.3): 204; 404 for an agent the team never named. */
  defineRoute({
    method: 'DELETE',
    path: CALLBACK,
    auth: 'sdk-token',
    rateLimit: 'principal',
    permission: 'sdk:use',
    team: { from: 'principal' },
    audit: { action: 'AGENT_CALLBACK_REMOVED', resourceType: 'AGENT' },
    spec: { section: '3.11.3', inferred: true },
    async handler({ state, team, url, audit }) {
      const agentName = formDecodedParam(url.pathname, CALLBACK, 'agentName');
      const agent = findAgent(state, team.id, agentName);
      if (!agent) throw new HttpError(404, `Agent "${agentName}" not found in your team: it has sent no telemetry and has no callback.`);
      await state.db.sdkAgents.update(agent.id, { callbackUrl: null, updatedAt: state.clock.iso() });
      audit.resourceId = agent.id;
      audit.details = { agentName };
      return noContent();
    },
  }),
  /**
   * `GET /api/sdk/v1/agents/:agentName/guardrails` (3.11.3, read-only "configure via NodeLoom UI"):
   * the agent's guardrail policy and the checks its guardrail config enables; defaults for an unknown agent.
   */
  defineRoute({
    method: 'GET',
    path: GUARDRAILS,
    response: { body: guardrailsSchema },
    auth: 'sdk-token',
    rateLimit: 'principal',
    permission: 'sdk:use',
    team: { from: 'principal' },
    spec: { section: '3.11.3', inferred: true },
    handler({ state, team, url }) {
      const agentName = formDecodedParam(url.pathname, GUARDRAILS, 'agentName');
      const agent = findAgent(state, team.id, agentName);
      const control = agentControlPayload(state, team.id, agentName);
      return json({
        agent_name: agentName,
        require_guardrails: agent?.requireGuardrails ?? 'OFF',
        guardrail_session_ttl_seconds: agent?.guardrailSessionTtlSeconds ?? DEFAULT_TTL_SECONDS,
        on_violation: 'BLOCKED',
        checks: DEFAULT_CHECKS,
        revision: control.revision,
        configure_url: '/settings/observability-sdk',
      });
    },
  }),
];
