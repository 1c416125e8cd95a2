import { z } from 'zod';
import { toPage, pageQueryFields } from '../../core/paginate.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { defineRoute } from '../define-route.ts';
import { EXECUTION_STATUSES } from '../executions/records.ts';
import { executionSummary } from '../executions/schema.ts';
import { pageSchema } from '../../core/paginate.ts';
import { agentTraces, agentView, listAgents, requireAgent, toTraceSummary, traceDetail } from './agents-view.ts';
import { haltAgent, haltTeam, resumeAgent, resumeTeam, setGuardrailPolicy, toTeamControlView, TTL_RANGE } from './control.ts';
import { formDecodedParam } from './path-name.ts';
import { REQUIRE_GUARDRAILS } from './records.ts';

/**
 * Dashboard-side SDK routes ([INF] nodeloom-api.md 3.11.2 halt management, 3.11.4 data views):
 * session or token, the team from `?teamId=` (a token may omit it, 1.8), camelCase bodies (1.3).
 * Halts, resumes and guardrail policies need ADMIN (`team:admin`; 2.2 "security settings") and
 * are audited; views need VIEWER. Each change bumps the control revision the SDKs poll.
 */

const AGENT = '/api/sdk/agents/:agentName';
const TRACES = `${AGENT}/traces`;
const TRACE = `${AGENT}/traces/:traceId`;
const HALT = `${AGENT}/halt`;
const RESUME = `${AGENT}/resume`;
const POLICY = `${AGENT}/guardrail-policy`;

const teamQuery = z.object({ teamId: z.string().optional() });
const reasonBody = z
  .object({ reason: z.string({ error: 'reason must be a string (shown to the SDKs as halt_reason).' }).max(1000, 'reason must be at most 1,000 characters.').nullish() }, { error: 'Send {"reason": "..."} or no body.' })
  .optional();
const policyBody = z
  .object({
    requireGuardrails: z
      .string()
      .transform((v) => v.toUpperCase())
      .pipe(z.enum(REQUIRE_GUARDRAILS, { error: `requireGuardrails must be one of ${REQUIRE_GUARDRAILS.join(', ')}.` }))
      .optional(),
    guardrailSessionTtlSeconds: z
      .number({ error: 'guardrailSessionTtlSeconds must be an integer number of seconds.' })
      .int('guardrailSessionTtlSeconds must be an integer number of seconds.')
      .min(TTL_RANGE[0], `guardrailSessionTtlSeconds must be between ${TTL_RANGE[0]} and ${TTL_RANGE[1]} (the range the SDKs accept).`)
      .max(TTL_RANGE[1], `guardrailSessionTtlSeconds must be between ${TTL_RANGE[0]} and ${TTL_RANGE[1]} (the range the SDKs accept).`)
      .optional(),
  })
  .strict()
  .refine((b) => b.requireGuardrails !== undefined || b.guardrailSessionTtlSeconds !== undefined, 'Send requireGuardrails (OFF, SOFT, HARD) and/or guardrailSessionTtlSeconds.');

const view = { auth: 'session-or-token', rateLimit: 'principal', permission: 'workflows:view', team: { from: 'query' }, query: teamQuery } as const;
const admin = { auth: 'session-or-token', rateLimit: 'principal', permission: 'team:admin', team: { from: 'query' }, query: teamQuery } as const;
const name = (url: URL, pattern: string) => formDecodedParam(url.pathname, pattern, 'agentName');

/** An agent as `toAgentView` shows it (OpenAPI only; declarative, not checked at run time). */
const agentViewSchema = z.object({
  agentName: z.string(),
  workflowId: z.string().nullable(),
  halted: z.boolean(),
  haltSource: z.enum(['none', 'agent', 'team']),
  haltReason: z.string().nullable(),
  haltedAt: z.iso.datetime().nullable(),
  revision: z.number().int().min(0),
  requireGuardrails: z.enum(REQUIRE_GUARDRAILS),
  guardrailSessionTtlSeconds: z.number().int(),
  callbackUrl: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime().nullable(),
  traceCount: z.number().int().min(0),
  runningTraceCount: z.number().int().min(0),
  lastTraceAt: z.iso.datetime().nullable(),
  lastTraceStatus: z.enum(EXECUTION_STATUSES).nullable(),
});

/** A trace list item (`toTraceSummary`): the ExecutionSummary plus the trace's SDK fields (OpenAPI only). */
const traceSummarySchema = executionSummary.extend({
  traceId: z.string(),
  agentName: z.string(),
  environment: z.string(),
  spanCount: z.number().int().min(0),
  tokenUsage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0), totalTokens: z.number().int().min(0) }),
  warnings: z.array(z.string()),
});

/** The team's halt state (`toTeamControlView`, OpenAPI only). */
const teamControlSchema = z.object({ teamId: z.string(), halted: z.boolean(), haltReason: z.string().nullable(), haltedAt: z.iso.datetime().nullable(), revision: z.number().int().min(0) });

/** The routes. */
export const sdkDashboardRoutes: AnyRoute[] = [
  defineRoute({ ...view, method: 'GET', path: '/api/sdk/agents', response: { body: z.array(agentViewSchema) }, spec: { section: '3.11.4', inferred: true }, handler: ({ state, team }) => json(listAgents(state, team.id)) }),
  defineRoute({ ...view, method: 'GET', path: AGENT, response: { body: agentViewSchema }, spec: { section: '3.11.4', inferred: true }, handler: ({ state, team, url }) => json(agentView(state, team.id, name(url, AGENT))) }),
  defineRoute({
    ...view,
    method: 'GET',
    path: TRACES,
    response: { body: pageSchema(traceSummarySchema) },
    query: z.object({ teamId: z.string().optional(), status: z.enum(EXECUTION_STATUSES, { error: `Query parameter 'status' must be one of ${EXECUTION_STATUSES.join(', ')}.` }).optional(), ...pageQueryFields() }),
    spec: { section: '3.11.4', inferred: true },
    handler({ state, team, url, query }) {
      const agentName = name(url, TRACES);
      requireAgent(state, team.id, agentName);
      const now = state.clock.now();
      return json(toPage(agentTraces(state, team.id, agentName, query.status), query.page, query.size, (r) => toTraceSummary(r, now)));
    },
  }),
  defineRoute({
    ...view,
    method: 'GET',
    path: TRACE,
    spec: { section: '3.11.4', inferred: true },
    handler: ({ state, team, url, params }) => json(traceDetail(state, team.id, name(url, TRACE), params.traceId!)),
  }),
  defineRoute({
    ...admin,
    method: 'POST',
    path: HALT,
    response: { body: agentViewSchema },
    body: reasonBody,
    audit: { action: 'AGENT_HALTED', resourceType: 'AGENT' },
    spec: { section: '3.11.2', inferred: true },
    async handler({ state, team, url, body, audit }) {
      const agentName = name(url, HALT);
      const agent = await haltAgent(state, team.id, agentName, body?.reason ?? null);
      audit.resourceId = agent.id;
      audit.details = { agentName, reason: agent.haltReason, revision: agent.revision };
      return json(agentView(state, team.id, agentName));
    },
  }),
  defineRoute({
    ...admin,
    method: 'POST',
    path: RESUME,
    response: { body: agentViewSchema },
    audit: { action: 'AGENT_RESUMED', resourceType: 'AGENT' },
    spec: { section: '3.11.2', inferred: true },
    async handler({ state, team, url, audit }) {
      const agentName = name(url, RESUME);
      const agent = await resumeAgent(state, team.id, agentName);
      audit.resourceId = agent.id;
      audit.details = { agentName, revision: agent.revision };
      return json(agentView(state, team.id, agentName));
    },
  }),
  defineRoute({
    ...admin,
    method: 'PUT',
    path: POLICY,
    response: { body: agentViewSchema },
    body: policyBody,
    audit: { action: 'AGENT_GUARDRAIL_POLICY_UPDATED', resourceType: 'AGENT' },
    spec: { section: '3.11.2', inferred: true },
    async handler({ state, team, url, body, audit }) {
      const agentName = name(url, POLICY);
      const agent = await setGuardrailPolicy(state, team.id, agentName, body);
      audit.resourceId = agent.id;
      audit.details = { agentName, requireGuardrails: agent.requireGuardrails, guardrailSessionTtlSeconds: agent.guardrailSessionTtlSeconds, revision: agent.revision };
      return json(agentView(state, team.id, agentName));
    },
  }),
  defineRoute({
    ...admin,
    method: 'POST',
    path: '/api/sdk/team/halt',
    response: { body: teamControlSchema },
    body: reasonBody,
    audit: { action: 'TEAM_HALTED', resourceType: 'TEAM' },
    spec: { section: '3.11.2', inferred: true },
    async handler({ state, team, body, audit }) {
      const control = await haltTeam(state, team.id, body?.reason ?? null);
      audit.details = { reason: control.haltReason, revision: control.revision };
      return json(toTeamControlView(state, team.id));
    },
  }),
  defineRoute({
    ...admin,
    method: 'POST',
    path: '/api/sdk/team/resume',
    response: { body: teamControlSchema },
    audit: { action: 'TEAM_RESUMED', resourceType: 'TEAM' },
    spec: { section: '3.11.2', inferred: true },
    async handler({ state, team, audit }) {
      const control = await resumeTeam(state, team.id);
      audit.details = { revision: control.revision };
      return json(toTeamControlView(state, team.id));
    },
  }),
];
