import { ACME_TEAM_ID, FIXED_TOKENS, FIXED_USERS } from 'nodeloom-sandbox';
import { isFinished } from '../src/resources/executions/view.ts';
import type { SandboxState } from '../src/state.ts';
import { SDK_EXAMPLES } from './route-examples-sdk.ts';

/**
 * One valid request per served route, built from the seeded data, for the generated RBAC test
 * (test/rbac-generated.test.ts). Every route the router serves needs an entry here, keyed
 * `"METHOD /path/pattern"` exactly as declared: the RBAC test fails for a route without one, and
 * for an entry naming no route. Requests act on Acme Robotics (the team of the role callers) and
 * must succeed (2xx) for a caller whose role holds the route's permission; writes run in a fresh
 * sandbox, so an example may delete or change what it likes.
 */

/** What an example builds a request from: the seeded state of a sandbox (read it, never write it). */
export interface ExampleContext {
  readonly state: SandboxState;
  /** Acme Robotics, the team of the role callers. */
  readonly teamId: string;
}

/** One request: a concrete path (no `:params` left), an optional query and JSON body. */
export interface RouteExample {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /**
   * For routes only a user session may use: the status the handler answers an SDK token with
   * (e.g. 401 for refresh, 403 for creating a team), instead of success.
   */
  tokenRefused?: 401 | 403;
  /**
   * What an allowed caller gets when the seeded data cannot make this route succeed (a report that
   * does not exist yet, a SIEM destination not configured): past RBAC, the handler's own 404 or 409.
   */
  allowedStatus?: 404 | 409;
  /**
   * For routes whose team is the caller's own (`principal`) but whose request names an Acme record
   * (an id in the path or body): what another team's caller gets instead of success (404, as for
   * any record of another team).
   */
  otherTeam?: 404;
  /**
   * Puts records the example needs into the data set it runs against (the shared one, or a fresh
   * namespace), before the call. Must be idempotent: it runs before every call of the example.
   */
  prepare?: (state: SandboxState) => Promise<void>;
}

/** Builds a route's example request. */
export type ExampleBuilder = (ctx: ExampleContext) => RouteExample;

/** The first record of an Acme table matching `where`. @throws Error when the seed has none */
function acme<T extends { teamId: string }>(records: ReadonlyArray<T>, what: string, where: (record: T) => boolean = () => true): T {
  const found = records.find((r) => r.teamId === ACME_TEAM_ID && where(r));
  if (!found) throw new Error(`route-examples: the seeded data has no Acme ${what}`);
  return found;
}

const workflow = ({ state }: ExampleContext) => acme(state.db.workflows.all(), 'workflow').id;
const execution = ({ state }: ExampleContext) => acme(state.db.executions.all(), 'execution').id;
const credential = ({ state }: ExampleContext) => acme(state.db.credentials.all(), 'credential').id;
/** A seeded Acme member who is none of the fixed callers (so changing them affects no caller). */
const extraMember = ({ state }: ExampleContext) => acme(state.db.memberships.all(), 'extra member', (m) => !FIXED_USERS.some((u) => u.id === m.userId)).userId;
/** An Acme workflow with an AI agent node (chat sessions and widgets need one). */
const agentWorkflow = ({ state }: ExampleContext) => acme(state.db.workflows.all(), 'AI agent workflow', (w) => w.nodes.some((n) => n.type === 'AI_AGENT')).id;
const chatSession = ({ state }: ExampleContext) => acme(state.db.chatSessions.all(), 'chat session', (c) => c.source === 'DASHBOARD').id;
const widget = ({ state }: ExampleContext) => acme(state.db.widgets.all(), 'widget').id;
/** Acme's help widget, which allows any origin. */
const HELP_WIDGET = 'wgt_sandbox_acme_help';
const widgetSession = ({ state }: ExampleContext) => {
  const help = state.db.widgets.all().find((w) => w.token === HELP_WIDGET);
  return acme(state.db.chatSessions.all(), 'widget session', (c) => c.widgetId === help?.id).id;
};
const viewerToken = FIXED_TOKENS.find((t) => t.token === 'sdk_sandbox_viewer')!.id;

/** Every served route's example. */
export const ROUTE_EXAMPLES: Record<string, ExampleBuilder> = {
  // Auth (3.1)
  'POST /api/auth/login': () => ({ path: '/api/auth/login', body: { email: 'admin@acme.test', password: 'sandbox' } }),
  'POST /api/auth/refresh': () => ({ path: '/api/auth/refresh', tokenRefused: 401 }),
  'POST /api/auth/logout': () => ({ path: '/api/auth/logout' }),
  'GET /api/auth/me': () => ({ path: '/api/auth/me' }),
  // Workflows (3.2)
  'GET /api/workflows': (c) => ({ path: '/api/workflows', query: { teamId: c.teamId } }),
  'POST /api/workflows': (c) => ({ path: '/api/workflows', body: { name: 'RBAC example', teamId: c.teamId } }),
  'GET /api/workflows/:id': (c) => ({ path: `/api/workflows/${workflow(c)}` }),
  'PUT /api/workflows/:id': (c) => ({ path: `/api/workflows/${workflow(c)}`, body: { name: 'RBAC renamed' } }),
  'DELETE /api/workflows/:id': (c) => ({ path: `/api/workflows/${workflow(c)}` }),
  'POST /api/workflows/:id/execute': (c) => ({ path: `/api/workflows/${workflow(c)}/execute`, body: { query: 'hello' } }),
  'POST /api/workflows/:id/activate': (c) => ({ path: `/api/workflows/${workflow(c)}/activate` }),
  'POST /api/workflows/:id/deactivate': (c) => ({ path: `/api/workflows/${workflow(c)}/deactivate` }),
  // Executions (3.3)
  'GET /api/executions': (c) => ({ path: '/api/executions', query: { teamId: c.teamId } }),
  'GET /api/executions/team/:teamId': (c) => ({ path: `/api/executions/team/${c.teamId}` }),
  'GET /api/executions/team/:teamId/export': (c) => ({ path: `/api/executions/team/${c.teamId}/export`, query: { format: 'json' } }),
  'GET /api/executions/:id': (c) => ({ path: `/api/executions/${execution(c)}` }),
  'POST /api/executions/:id/cancel': ({ state }) => ({
    path: `/api/executions/${acme(state.db.executions.all(), 'running execution', (e) => !isFinished(e, state.clock.now())).id}/cancel`,
  }),
  // Credentials (3.4)
  'GET /api/credentials': (c) => ({ path: '/api/credentials', query: { teamId: c.teamId } }),
  'POST /api/credentials': (c) => ({ path: '/api/credentials', body: { name: 'RBAC key', type: 'OPENAI', teamId: c.teamId, data: { apiKey: 'sk-rbac-1234' } } }),
  'GET /api/credentials/:id': (c) => ({ path: `/api/credentials/${credential(c)}` }),
  'PUT /api/credentials/:id': (c) => ({ path: `/api/credentials/${credential(c)}`, body: { name: 'RBAC renamed' } }),
  'DELETE /api/credentials/:id': (c) => ({ path: `/api/credentials/${credential(c)}` }),
  'POST /api/credentials/:id/test': (c) => ({ path: `/api/credentials/${credential(c)}/test` }),
  // Teams and members (3.9)
  'GET /api/teams': () => ({ path: '/api/teams' }),
  'POST /api/teams': () => ({ path: '/api/teams', body: { name: 'RBAC team' }, tokenRefused: 403 }),
  'GET /api/teams/:teamId': (c) => ({ path: `/api/teams/${c.teamId}` }),
  'PUT /api/teams/:teamId': (c) => ({ path: `/api/teams/${c.teamId}`, body: { description: 'Changed by the RBAC test' } }),
  'DELETE /api/teams/:teamId': (c) => ({ path: `/api/teams/${c.teamId}` }),
  'GET /api/teams/:teamId/members': (c) => ({ path: `/api/teams/${c.teamId}/members` }),
  'POST /api/teams/:teamId/members': (c) => ({ path: `/api/teams/${c.teamId}/members`, body: { email: 'rbac.new@acme.test', role: 'VIEWER' } }),
  'PUT /api/teams/:teamId/members/:userId': (c) => ({ path: `/api/teams/${c.teamId}/members/${extraMember(c)}`, body: { role: 'OPERATOR' } }),
  'DELETE /api/teams/:teamId/members/:userId': (c) => ({ path: `/api/teams/${c.teamId}/members/${extraMember(c)}` }),
  // SDK token management (3.11.4)
  'GET /api/sdk/tokens': (c) => ({ path: '/api/sdk/tokens', query: { teamId: c.teamId } }),
  'POST /api/sdk/tokens': (c) => ({ path: '/api/sdk/tokens', body: { teamId: c.teamId, name: 'rbac-token', role: 'VIEWER' } }),
  'DELETE /api/sdk/tokens/:id': () => ({ path: `/api/sdk/tokens/${viewerToken}` }),
  // Agent chat (3.5); `Accept: application/json` is not needed: a stream also answers 200.
  'POST /api/agent-chat/sessions': (c) => ({ path: '/api/agent-chat/sessions', body: { workflowId: agentWorkflow(c), teamId: c.teamId, title: 'RBAC chat' } }),
  'GET /api/agent-chat/sessions': (c) => ({ path: '/api/agent-chat/sessions', query: { teamId: c.teamId } }),
  'GET /api/agent-chat/sessions/:id': (c) => ({ path: `/api/agent-chat/sessions/${chatSession(c)}` }),
  'PATCH /api/agent-chat/sessions/:id': (c) => ({ path: `/api/agent-chat/sessions/${chatSession(c)}`, body: { title: 'RBAC renamed' } }),
  'DELETE /api/agent-chat/sessions/:id': (c) => ({ path: `/api/agent-chat/sessions/${chatSession(c)}` }),
  'POST /api/agent-chat/sessions/:id/messages': (c) => ({ path: `/api/agent-chat/sessions/${chatSession(c)}/messages`, body: { content: 'Hello' } }),
  // Widgets (3.6)
  'GET /api/teams/:teamId/widgets': (c) => ({ path: `/api/teams/${c.teamId}/widgets` }),
  'POST /api/teams/:teamId/widgets': (c) => ({ path: `/api/teams/${c.teamId}/widgets`, body: { name: 'RBAC widget', workflowId: agentWorkflow(c) } }),
  'PUT /api/teams/:teamId/widgets/:id': (c) => ({ path: `/api/teams/${c.teamId}/widgets/${widget(c)}`, body: { name: 'RBAC renamed' } }),
  'DELETE /api/teams/:teamId/widgets/:id': (c) => ({ path: `/api/teams/${c.teamId}/widgets/${widget(c)}` }),
  'GET /api/teams/:teamId/widgets/:id/embed-code': (c) => ({ path: `/api/teams/${c.teamId}/widgets/${widget(c)}/embed-code` }),
  'POST /api/teams/:teamId/widgets/:id/regenerate-token': (c) => ({ path: `/api/teams/${c.teamId}/widgets/${widget(c)}/regenerate-token` }),
  'GET /api/public/widgets/:token/config': () => ({ path: `/api/public/widgets/${HELP_WIDGET}/config` }),
  'POST /api/public/widgets/:token/sessions': () => ({ path: `/api/public/widgets/${HELP_WIDGET}/sessions`, body: {} }),
  'POST /api/public/widgets/:token/sessions/:sessionId/messages': (c) => ({ path: `/api/public/widgets/${HELP_WIDGET}/sessions/${widgetSession(c)}/messages`, body: { content: 'Hi' } }),
  'GET /api/public/widgets/:token/sessions/:sessionId/messages': (c) => ({ path: `/api/public/widgets/${HELP_WIDGET}/sessions/${widgetSession(c)}/messages` }),
  // Audit (3.10)
  'GET /api/audit/team/:teamId': (c) => ({ path: `/api/audit/team/${c.teamId}` }),
  'GET /api/audit/team/:teamId/verify': (c) => ({ path: `/api/audit/team/${c.teamId}/verify` }),
  'GET /api/audit/team/:teamId/reports': (c) => ({ path: `/api/audit/team/${c.teamId}/reports` }),
  'POST /api/audit/team/:teamId/reports': (c) => ({
    path: `/api/audit/team/${c.teamId}/reports`,
    body: { name: 'RBAC report', framework: 'SOC2', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
  }),
  'GET /api/audit/team/:teamId/reports/:id/download': (c) => ({ path: `/api/audit/team/${c.teamId}/reports/no-such-report/download`, allowedStatus: 404 }),
  'GET /api/audit/team/:teamId/retention': (c) => ({ path: `/api/audit/team/${c.teamId}/retention` }),
  'PUT /api/audit/team/:teamId/retention': (c) => ({ path: `/api/audit/team/${c.teamId}/retention`, body: { retentionDays: 90 } }),
  'GET /api/audit/team/:teamId/siem': (c) => ({ path: `/api/audit/team/${c.teamId}/siem` }),
  'PUT /api/audit/team/:teamId/siem': (c) => ({
    path: `/api/audit/team/${c.teamId}/siem`,
    body: { enabled: true, provider: 'WEBHOOK', url: 'https://siem.example.test/hook' },
  }),
  'POST /api/audit/team/:teamId/siem/test': (c) => ({ path: `/api/audit/team/${c.teamId}/siem/test`, allowedStatus: 409 }),
  'POST /api/audit/team/:teamId/rebuild-chain': (c) => ({ path: `/api/audit/team/${c.teamId}/rebuild-chain` }),
  // Guardrails (3.8)
  'POST /api/guardrails/check': (c) => ({ path: '/api/guardrails/check', query: { teamId: c.teamId }, body: { text: 'Mail alice@example.com', redactPii: true, agentName: 'rbac-bot' } }),
  // SDK API (3.11) and monitoring (3.7): test/route-examples-sdk.ts
  ...SDK_EXAMPLES,
};
