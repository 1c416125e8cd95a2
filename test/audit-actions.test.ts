import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import type { AuditAction } from '../src/core/audit.ts';
import { compileRoutes } from '../src/core/router.ts';
import { isFinished } from '../src/resources/executions/view.ts';
import { apiRoutes } from '../src/routes.ts';
import { ADMIN, auditPath } from './audit-fixtures.ts';
import { call, login, testSandbox, type CallResult } from './helpers.ts';

/**
 * The audit test (issue 6 "Proof"): every audit action a served route declares is performed once
 * through the API, and the log must gain exactly one entry of that action in the right team per
 * success, and none for a failing variant of the same call. Then every chain verifies, and after
 * a tamper `verify` names the broken entry.
 *
 * The table below maps each action to a request that triggers it. A route declared later with a
 * new action makes "has a row for every declared audit action" fail until its row is added here.
 */

/** Ids and cookies rows share (seeded ids, or what a setup created). */
type Vars = Record<string, string>;
interface Ctx {
  sandbox: Sandbox;
  v: Vars;
}
interface ActionRow {
  /** The team the entry is recorded in (default Acme). */
  team?: string;
  /** Prepares what the request needs; what it records is not counted. */
  setup?: (c: Ctx) => Promise<void>;
  /** The request that must record the action exactly once (answers 2xx). */
  perform: (c: Ctx) => Promise<CallResult>;
  /** A failing variant (answers 4xx/5xx) that must record nothing. */
  fail?: (c: Ctx) => Promise<CallResult>;
  /**
   * The entry lands in a team the audit API cannot list before or after the request (a team
   * being created or deleted): count the stored entries of the action instead.
   */
  direct?: boolean;
}

const BUILDER = 'sdk_sandbox_builder';
const OPERATOR = 'sdk_sandbox_operator';
const VIEWER = 'sdk_sandbox_viewer';
const AUDIT = auditPath();
const SIEM = { enabled: true, provider: 'WEBHOOK', url: 'https://hooks.acme.test/audit', token: 'whk_0123456789abcdef' };
const REPORT = { name: 'Audit test report', framework: 'HIPAA', from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59Z' };
const created = async (c: Ctx, key: string, response: Promise<CallResult>) => {
  const answer = await response;
  expect(answer.status, answer.text).toBe(201);
  c.v[key] = answer.json.id;
};

const HOBBY = 'sdk_sandbox_hobby';
const hobbyMembers = `/api/teams/${HOBBY_TEAM_ID}/members`;
const addHobbyMember = async (c: Ctx, email: string) => {
  const answer = await call(c.sandbox, 'POST', hobbyMembers, { token: HOBBY, body: { email, role: 'VIEWER' } });
  expect(answer.status, answer.text).toBe(201);
  return answer.json.userId as string;
};

const ROWS: Partial<Record<AuditAction, ActionRow>> = {
  CHAT_SESSION_CREATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', '/api/agent-chat/sessions', { token: OPERATOR, body: { workflowId: v.agentWorkflow, teamId: ACME_TEAM_ID } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', '/api/agent-chat/sessions', { token: VIEWER, body: { workflowId: v.agentWorkflow, teamId: ACME_TEAM_ID } }),
  },
  CHAT_SESSION_UPDATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'PATCH', `/api/agent-chat/sessions/${v.chatSession}`, { token: OPERATOR, body: { title: 'Audited title' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'PATCH', `/api/agent-chat/sessions/${v.chatSession}`, { token: VIEWER, body: { title: 'x' } }),
  },
  CHAT_MESSAGE_SENT: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/agent-chat/sessions/${v.chatSession}/messages`, { token: OPERATOR, body: { content: 'Hello' }, headers: { accept: 'application/json' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/agent-chat/sessions/${v.chatSession}/messages`, { token: OPERATOR, body: {} }),
  },
  CHAT_SESSION_DELETED: {
    setup: (c) => created(c, 'doomedChat', call(c.sandbox, 'POST', '/api/agent-chat/sessions', { token: OPERATOR, body: { workflowId: c.v.agentWorkflow, teamId: ACME_TEAM_ID } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/agent-chat/sessions/${v.doomedChat}`, { token: OPERATOR }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', '/api/agent-chat/sessions/no-such-session', { token: OPERATOR }),
  },
  WIDGET_CREATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/teams/${ACME_TEAM_ID}/widgets`, { token: BUILDER, body: { name: 'Audit widget', workflowId: v.agentWorkflow } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/teams/${ACME_TEAM_ID}/widgets`, { token: OPERATOR, body: { name: 'x', workflowId: v.agentWorkflow } }),
  },
  WIDGET_UPDATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}`, { token: BUILDER, body: { name: 'Audited widget' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}`, { token: VIEWER, body: { name: 'x' } }),
  },
  WIDGET_TOKEN_REGENERATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}/regenerate-token`, { token: BUILDER }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/teams/${ACME_TEAM_ID}/widgets/${v.widget}/regenerate-token`, { token: VIEWER }),
  },
  WIDGET_DELETED: {
    setup: (c) => created(c, 'doomedWidget', call(c.sandbox, 'POST', `/api/teams/${ACME_TEAM_ID}/widgets`, { token: BUILDER, body: { name: 'Doomed', workflowId: c.v.agentWorkflow } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/teams/${ACME_TEAM_ID}/widgets/${v.doomedWidget}`, { token: BUILDER }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', `/api/teams/${ACME_TEAM_ID}/widgets/no-such-widget`, { token: BUILDER }),
  },
  TEAM_CREATED: {
    direct: true,
    setup: async (c) => void (c.v.adminCookie = await login(c.sandbox, 'admin@acme.test')),
    perform: ({ sandbox, v }) => call(sandbox, 'POST', '/api/teams', { cookie: v.adminCookie, body: { name: 'Audit team' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', '/api/teams', { cookie: v.adminCookie, body: {} }),
  },
  TEAM_UPDATED: {
    team: HOBBY_TEAM_ID,
    perform: ({ sandbox }) => call(sandbox, 'PUT', `/api/teams/${HOBBY_TEAM_ID}`, { token: HOBBY, body: { description: 'Audited change' } }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', `/api/teams/${ACME_TEAM_ID}`, { token: VIEWER, body: { description: 'x' } }),
  },
  TEAM_DELETED: {
    direct: true,
    setup: async (c) => {
      c.v.adminCookie ??= await login(c.sandbox, 'admin@acme.test');
      const team = await call(c.sandbox, 'POST', '/api/teams', { cookie: c.v.adminCookie, body: { name: 'Doomed team' } });
      c.v.doomed = team.json.id;
    },
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/teams/${v.doomed}`, { cookie: v.adminCookie }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', `/api/teams/${ACME_TEAM_ID}`, { token: VIEWER }),
  },
  MEMBER_ADDED: {
    team: HOBBY_TEAM_ID,
    perform: ({ sandbox }) => call(sandbox, 'POST', hobbyMembers, { token: HOBBY, body: { email: 'audit.added@hobby.test', role: 'VIEWER' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', hobbyMembers, { token: HOBBY, body: { email: 'audit.added2@hobby.test', role: 'OWNER' } }),
  },
  MEMBER_ROLE_CHANGED: {
    team: HOBBY_TEAM_ID,
    setup: async (c) => void (c.v.promoted = await addHobbyMember(c, 'audit.promoted@hobby.test')),
    perform: ({ sandbox, v }) => call(sandbox, 'PUT', `${hobbyMembers}/${v.promoted}`, { token: HOBBY, body: { role: 'OPERATOR' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'PUT', `${hobbyMembers}/${v.promoted}`, { token: HOBBY, body: { role: 'OWNER' } }),
  },
  MEMBER_REMOVED: {
    team: HOBBY_TEAM_ID,
    setup: async (c) => void (c.v.removed = await addHobbyMember(c, 'audit.removed@hobby.test')),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `${hobbyMembers}/${v.removed}`, { token: HOBBY }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', `${hobbyMembers}/no-such-user`, { token: HOBBY }),
  },
  SDK_TOKEN_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/tokens', { token: ADMIN, body: { teamId: ACME_TEAM_ID, name: 'audit-token', role: 'VIEWER' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/tokens', { token: ADMIN, body: { teamId: ACME_TEAM_ID, name: 'audit-token', role: 'OWNER' } }),
  },
  SDK_TOKEN_REVOKED: {
    setup: async (c) => {
      const token = await call(c.sandbox, 'POST', '/api/sdk/tokens', { token: ADMIN, body: { teamId: ACME_TEAM_ID, name: 'doomed-token', role: 'VIEWER' } });
      c.v.doomedToken = token.json.id;
    },
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/sdk/tokens/${v.doomedToken}`, { token: ADMIN }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', '/api/sdk/tokens/no-such-token', { token: ADMIN }),
  },
  USER_LOGIN: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/auth/login', { body: { email: 'builder@acme.test', password: 'sandbox' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/auth/login', { body: { email: 'builder@acme.test', password: 'wrong' } }),
  },
  USER_LOGOUT: {
    setup: async (c) => void (c.v.cookie = await login(c.sandbox, 'operator@acme.test')),
    perform: ({ sandbox, v }) => call(sandbox, 'POST', '/api/auth/logout', { cookie: v.cookie }),
  },
  WORKFLOW_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/workflows', { token: BUILDER, body: { name: 'Audit test', teamId: ACME_TEAM_ID } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/workflows', { token: VIEWER, body: { name: 'Audit test', teamId: ACME_TEAM_ID } }),
  },
  WORKFLOW_UPDATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/workflows/${v.workflow}`, { token: BUILDER, body: { description: 'Edited by the audit test' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/workflows/${v.workflow}`, { token: BUILDER, body: { active: 'yes' } }),
  },
  WORKFLOW_ACTIVATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/workflows/${v.workflow}/activate`, { token: BUILDER }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/workflows/${v.workflow}/activate`, { token: OPERATOR }),
  },
  WORKFLOW_DEACTIVATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/workflows/${v.workflow}/deactivate`, { token: BUILDER }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/workflows/no-such-workflow/deactivate', { token: BUILDER }),
  },
  WORKFLOW_EXECUTED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/workflows/${v.workflow}/execute`, { token: OPERATOR, body: { query: 'audit' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/workflows/${v.workflow}/execute`, { token: OPERATOR, body: [1, 2] }),
  },
  WORKFLOW_DELETED: {
    setup: (c) => created(c, 'doomedWorkflow', call(c.sandbox, 'POST', '/api/workflows', { token: BUILDER, body: { name: 'To delete', teamId: ACME_TEAM_ID } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/workflows/${v.doomedWorkflow}`, { token: BUILDER }),
    fail: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/workflows/${v.doomedWorkflow}`, { token: VIEWER }),
  },
  EXECUTION_CANCELLED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/executions/${v.running}/cancel`, { token: OPERATOR }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/executions/${v.finished}/cancel`, { token: OPERATOR }),
  },
  CREDENTIAL_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/credentials', { token: BUILDER, body: { name: 'Audit key', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-audit-0123456789abcdef' } } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/credentials', { token: BUILDER, body: { name: 'Audit key', type: 'OPENAI', teamId: ACME_TEAM_ID } }),
  },
  CREDENTIAL_UPDATED: {
    perform: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/credentials/${v.credential}`, { token: BUILDER, body: { name: 'Renamed by the audit test' } }),
    fail: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/credentials/${v.credential}`, { token: VIEWER, body: { name: 'x' } }),
  },
  CREDENTIAL_TESTED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/credentials/${v.credential}/test`, { token: BUILDER }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/credentials/${v.hobbyCredential}/test`, { token: BUILDER }),
  },
  CREDENTIAL_DELETED: {
    setup: (c) =>
      created(c, 'doomedCredential', call(c.sandbox, 'POST', '/api/credentials', { token: BUILDER, body: { name: 'To delete', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-doomed' } } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/credentials/${v.doomedCredential}`, { token: BUILDER }),
    fail: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/credentials/${v.doomedCredential}?teamId=${HOBBY_TEAM_ID}`, { token: BUILDER }),
  },
  AUDIT_REPORT_GENERATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', `${AUDIT}/reports`, { token: ADMIN, body: REPORT }),
    fail: ({ sandbox }) => call(sandbox, 'POST', `${AUDIT}/reports`, { token: ADMIN, body: { ...REPORT, framework: 'ISO27001' } }),
  },
  AUDIT_RETENTION_UPDATED: {
    perform: ({ sandbox }) => call(sandbox, 'PUT', `${AUDIT}/retention`, { token: ADMIN, body: { retentionDays: 2190 } }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', `${AUDIT}/retention`, { token: BUILDER, body: { retentionDays: 2190 } }),
  },
  AUDIT_SIEM_UPDATED: {
    perform: ({ sandbox }) => call(sandbox, 'PUT', `${AUDIT}/siem`, { token: ADMIN, body: SIEM }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', `${AUDIT}/siem`, { token: ADMIN, body: { ...SIEM, url: 'hooks.acme.test' } }),
  },
  AUDIT_SIEM_TESTED: {
    setup: async ({ sandbox }) => void expect((await call(sandbox, 'PUT', `${AUDIT}/siem`, { token: ADMIN, body: SIEM })).status).toBe(200),
    perform: ({ sandbox }) => call(sandbox, 'POST', `${AUDIT}/siem/test`, { token: ADMIN }),
    // Hobby has no destination: 409.
    fail: ({ sandbox }) => call(sandbox, 'POST', `${auditPath(HOBBY_TEAM_ID)}/siem/test`, { token: 'sdk_sandbox_hobby' }),
  },
  // SDK API (3.11) and monitoring (3.7)
  AGENT_CALLBACK_SET: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/agents/audit-agent/callback', { token: ADMIN, body: { callback_url: 'https://agent.acme.test/cb' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/agents/audit-agent/callback', { token: ADMIN, body: { callback_url: 'not a url' } }),
  },
  AGENT_CALLBACK_REMOVED: {
    setup: async ({ sandbox }) => void expect((await call(sandbox, 'POST', '/api/sdk/v1/agents/audit-agent/callback', { token: ADMIN, body: { callback_url: 'https://agent.acme.test/cb' } })).status).toBe(200),
    perform: ({ sandbox }) => call(sandbox, 'DELETE', '/api/sdk/v1/agents/audit-agent/callback', { token: ADMIN }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', '/api/sdk/v1/agents/never-seen/callback', { token: ADMIN }),
  },
  ALERT_WEBHOOK_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/alerts/webhooks', { token: ADMIN, body: { url: 'https://hooks.acme.test/a', secret: 's' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/alerts/webhooks', { token: ADMIN, body: { url: 'ftp://hooks.acme.test' } }),
  },
  ALERT_WEBHOOK_DELETED: {
    setup: (c) => created(c, 'webhook', call(c.sandbox, 'POST', '/api/sdk/v1/alerts/webhooks', { token: ADMIN, body: { url: 'https://hooks.acme.test/b' } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/sdk/v1/alerts/webhooks/${v.webhook}`, { token: ADMIN }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', '/api/sdk/v1/alerts/webhooks/no-such-webhook', { token: ADMIN }),
  },
  PROMPT_VERSION_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/prompts', { token: ADMIN, body: { name: 'audited prompt', content: 'Hi {{name}}' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/prompts', { token: ADMIN, body: { name: 'audited prompt' } }),
  },
  REDTEAM_SCAN_STARTED: {
    perform: ({ sandbox, v }) => call(sandbox, 'POST', '/api/sdk/v1/redteam/scan', { token: ADMIN, body: { workflow_id: v.workflow } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/redteam/scan', { token: ADMIN, body: { workflow_id: 'no-such-workflow' } }),
  },
  EBPF_PROBE_REGISTERED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/ebpf/register', { token: ADMIN, body: { hostname: 'node-audit', clusterName: 'prod', kernelVersion: '6.8', agentVersion: '1.1.0' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/v1/ebpf/register', { token: ADMIN, body: { clusterName: 'prod' } }),
  },
  AGENT_HALTED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/agents/audit-agent/halt', { token: ADMIN, body: { reason: 'audit test' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/agents/audit-agent/halt', { token: BUILDER, body: { reason: 'x' } }),
  },
  AGENT_RESUMED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/agents/audit-agent/resume', { token: ADMIN }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/agents/audit-agent/resume', { token: BUILDER }),
  },
  AGENT_GUARDRAIL_POLICY_UPDATED: {
    perform: ({ sandbox }) => call(sandbox, 'PUT', '/api/sdk/agents/audit-agent/guardrail-policy', { token: ADMIN, body: { requireGuardrails: 'SOFT' } }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', '/api/sdk/agents/audit-agent/guardrail-policy', { token: ADMIN, body: { requireGuardrails: 'ALWAYS' } }),
  },
  TEAM_HALTED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/team/halt', { token: ADMIN, body: { reason: 'audit test' } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/team/halt', { token: BUILDER, body: { reason: 'x' } }),
  },
  TEAM_RESUMED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/team/resume', { token: ADMIN }),
    fail: ({ sandbox }) => call(sandbox, 'POST', '/api/sdk/team/resume', { token: VIEWER }),
  },
  MONITORING_CONFIG_UPDATED: {
    perform: ({ sandbox }) => call(sandbox, 'PUT', `/api/monitoring/teams/${ACME_TEAM_ID}/config`, { token: BUILDER, body: { sentimentTrackingEnabled: true } }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', `/api/monitoring/teams/${ACME_TEAM_ID}/config`, { token: VIEWER, body: { sentimentTrackingEnabled: true } }),
  },
  ALERTS_ACKNOWLEDGED: {
    setup: async ({ sandbox, v }) => {
      v.anomaly = (await call(sandbox, 'GET', `/api/monitoring/teams/${ACME_TEAM_ID}/anomalies?size=1`, { token: VIEWER })).json.content[0].id;
    },
    perform: ({ sandbox, v }) => call(sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/alerts/bulk-acknowledge`, { token: BUILDER, body: { alertIds: [v.anomaly] } }),
    fail: ({ sandbox, v }) => call(sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/alerts/bulk-acknowledge`, { token: VIEWER, body: { alertIds: [v.anomaly] } }),
  },
  REPORT_CREATED: {
    perform: ({ sandbox }) => call(sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, { token: BUILDER, body: { name: 'Weekly spend', frequency: 'WEEKLY', recipients: ['ops@acme.test'] } }),
    fail: ({ sandbox }) => call(sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, { token: BUILDER, body: { name: 'x', frequency: 'HOURLY', recipients: ['ops@acme.test'] } }),
  },
  REPORT_UPDATED: {
    setup: (c) => created(c, 'report', call(c.sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, { token: BUILDER, body: { name: 'Daily', frequency: 'DAILY', recipients: ['ops@acme.test'] } })),
    perform: ({ sandbox, v }) => call(sandbox, 'PUT', `/api/monitoring/teams/${ACME_TEAM_ID}/reports/${v.report}`, { token: BUILDER, body: { enabled: false } }),
    fail: ({ sandbox }) => call(sandbox, 'PUT', `/api/monitoring/teams/${ACME_TEAM_ID}/reports/no-such-report`, { token: BUILDER, body: { enabled: false } }),
  },
  REPORT_DELETED: {
    setup: (c) => created(c, 'doomedReport', call(c.sandbox, 'POST', `/api/monitoring/teams/${ACME_TEAM_ID}/reports`, { token: BUILDER, body: { name: 'Doomed', frequency: 'MONTHLY', recipients: ['ops@acme.test'] } })),
    perform: ({ sandbox, v }) => call(sandbox, 'DELETE', `/api/monitoring/teams/${ACME_TEAM_ID}/reports/${v.doomedReport}`, { token: BUILDER }),
    fail: ({ sandbox }) => call(sandbox, 'DELETE', `/api/monitoring/teams/${ACME_TEAM_ID}/reports/no-such-report`, { token: BUILDER }),
  },
  AUDIT_CHAIN_REBUILT: {
    team: HOBBY_TEAM_ID,
    perform: ({ sandbox }) => call(sandbox, 'POST', `${auditPath(HOBBY_TEAM_ID)}/rebuild-chain`, { token: 'sdk_sandbox_hobby' }),
    fail: ({ sandbox }) => call(sandbox, 'POST', `${auditPath(HOBBY_TEAM_ID)}/rebuild-chain`, { token: ADMIN }),
  },
};

/** Every audit action the served routes declare, in route order. */
const DECLARED: AuditAction[] = [
  ...new Set(compileRoutes(apiRoutes).routes.flatMap((route) => (route.audit && 'action' in route.audit ? [route.audit.action] : []))),
];

/** The audit log through the API, as the team's admin: `{totalElements, newest}` for one action. */
async function logOf(sandbox: Sandbox, teamId: string, action?: string) {
  const token = teamId === HOBBY_TEAM_ID ? 'sdk_sandbox_hobby' : ADMIN;
  const page = await call(sandbox, 'GET', `${auditPath(teamId)}?size=1${action ? `&action=${action}` : ''}`, { token });
  expect(page.status).toBe(200);
  return { total: page.json.totalElements as number, newest: page.json.content[0] as { id: string; action: string } | undefined };
}

describe('the audit test: every declared audit action', () => {
  it('has a row for every declared audit action', () => {
    expect(DECLARED.length).toBeGreaterThan(0);
    expect(DECLARED.filter((action) => !ROWS[action]), 'add a row to ROWS in test/audit-actions.test.ts for each').toEqual([]);
  });

  it('has no row for an action no route declares', () => {
    expect(Object.keys(ROWS).filter((action) => !DECLARED.includes(action as AuditAction))).toEqual([]);
  });

  const ctx = {} as Ctx;
  /** Entries the rows recorded, by action. */
  const recorded = new Map<string, { id: string; teamId: string }>();
  beforeAll(async () => {
    ctx.sandbox = testSandbox();
    await ctx.sandbox.ready;
    const { db, clock } = ctx.sandbox.state;
    const acme = (e: { teamId: string }) => e.teamId === ACME_TEAM_ID;
    ctx.v = {
      workflow: db.workflows.all().find(acme)!.id,
      credential: db.credentials.all().find(acme)!.id,
      hobbyCredential: db.credentials.all().find((c) => c.teamId === HOBBY_TEAM_ID)!.id,
      running: db.executions.all().find((e) => acme(e) && !isFinished(e, clock.now()))!.id,
      finished: db.executions.all().find((e) => acme(e) && isFinished(e, clock.now()))!.id,
      agentWorkflow: db.workflows.all().find((w) => acme(w) && w.nodes.some((n) => n.type === 'AI_AGENT'))!.id,
      chatSession: db.chatSessions.all().find((c) => acme(c) && c.source === 'DASHBOARD')!.id,
      widget: db.widgets.all().find(acme)!.id,
    };
  });

  it.each(DECLARED)('%s: one entry per success, none for a failure', async (action) => {
    const row = ROWS[action];
    if (!row) throw new Error(`No row for ${action}: add one to ROWS`);
    const team = row.team ?? ACME_TEAM_ID;
    await row.setup?.(ctx);
    const before = ctx.sandbox.state.db.auditLogs.count();
    if (row.fail) {
      const failed = await row.fail(ctx);
      expect(failed.status, `failing variant of ${action}: ${failed.text}`).toBeGreaterThanOrEqual(400);
      expect(ctx.sandbox.state.db.auditLogs.count(), `the failing ${action} recorded something`).toBe(before);
    }
    if (row.direct) {
      const stored = () => ctx.sandbox.state.db.auditLogs.filter((e) => e.action === action).length;
      const ofActionStored = stored();
      const done = await row.perform(ctx);
      expect(done.status, `${action}: ${done.text}`).toBeLessThan(300);
      expect(stored()).toBe(ofActionStored + 1);
      expect(ctx.sandbox.state.db.auditLogs.count()).toBe(before + 1);
      return;
    }
    const ofAction = await logOf(ctx.sandbox, team, action);
    const all = await logOf(ctx.sandbox, team);
    const done = await row.perform(ctx);
    expect(done.status, `${action}: ${done.text}`).toBeLessThan(300);
    const afterAction = await logOf(ctx.sandbox, team, action);
    expect(afterAction.total).toBe(ofAction.total + 1);
    expect((await logOf(ctx.sandbox, team)).total).toBe(all.total + 1);
    expect(ctx.sandbox.state.db.auditLogs.count(), `${action} recorded entries in other teams`).toBe(before + 1);
    recorded.set(action, { id: afterAction.newest!.id, teamId: team });
  });

  it('leaves every team\'s chain valid, then verify reports a tampered entry', async () => {
    for (const [teamId, token] of [[ACME_TEAM_ID, ADMIN], [HOBBY_TEAM_ID, 'sdk_sandbox_hobby']] as const) {
      const answer = await call(ctx.sandbox, 'GET', `${auditPath(teamId)}/verify`, { token });
      expect(answer.json, teamId).toMatchObject({ valid: true });
    }
    const target = recorded.get('WORKFLOW_CREATED') ?? [...recorded.values()].find((e) => e.teamId === ACME_TEAM_ID)!;
    const tamper = await call(ctx.sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: ACME_TEAM_ID, entryId: target.id } });
    expect(tamper.status).toBe(200);
    const broken = await call(ctx.sandbox, 'GET', `${AUDIT}/verify`, { token: ADMIN });
    expect(broken.status).toBe(200);
    expect(broken.json).toMatchObject({ valid: false, brokenEntryId: target.id, brokenAtTimestamp: tamper.json.createdAt, entriesVerified: tamper.json.index });
  });
});
