import { ACME_TEAM_ID, FIXED_USERS } from 'nodeloom-sandbox';
import { isFinished } from '../src/resources/executions/view.ts';
import { traceKey } from '../src/resources/sdk/records.ts';
import { ingestBatch } from '../src/resources/sdk/telemetry.ts';
import type { SandboxState } from '../src/state.ts';
import type { ExampleBuilder, ExampleContext } from './route-examples.ts';

/**
 * The generated RBAC test's requests (test/route-examples.ts) for the SDK API (nodeloom-api.md
 * 3.11) and monitoring (3.7). Routes reading SDK records get them from {@link prepareSdkRecords}
 * (fixed ids in Acme, so the paths are known in advance); `/api/sdk/v1` routes naming an Acme record
 * answer another team's token 404 (`otherTeam`), as any record of another team does.
 */

const NOW = '2026-11-01T12:00:00.000Z';
/** Fixed names and ids of the records the examples act on. */
export const RBAC = { agent: 'rbac agent', trace: 'rbac-trace', webhook: 'rbac-webhook', probe: 'rbac-probe', scan: 'rbac-scan', prompt: 'rbac prompt', report: 'rbac-report' } as const;

/** Puts an SDK agent with one trace, a webhook, probe, scan, prompt and report into Acme (once per data set). */
export async function prepareSdkRecords(state: SandboxState): Promise<void> {
  if (state.db.sdkTraces.get(traceKey(ACME_TEAM_ID, RBAC.trace))) return;
  const at = (offset: number) => new Date(Date.parse(NOW) + offset).toISOString();
  await ingestBatch(state, { teamId: ACME_TEAM_ID, actorId: FIXED_USERS[0]!.id, sdkVersion: '0.10.0', sdkLanguage: 'typescript' }, [
    { type: 'trace_start', trace_id: RBAC.trace, agent_name: RBAC.agent, timestamp: at(-60_000) },
    { type: 'span', trace_id: RBAC.trace, span_id: 's1', name: 'llm', span_type: 'llm', status: 'success', token_usage: { prompt_tokens: 10, completion_tokens: 5, model: 'gpt-4o' }, timestamp: at(-59_000), end_timestamp: at(-58_000) },
    { type: 'trace_end', trace_id: RBAC.trace, status: 'success', timestamp: at(-57_000) },
  ]);
  const teamId = ACME_TEAM_ID;
  await state.db.sdkWebhooks.insert({ id: RBAC.webhook, teamId, url: 'https://hooks.acme.test/rbac', secret: null, eventTypes: ['anomaly'], createdAt: NOW });
  await state.db.ebpfProbes.insert({ id: RBAC.probe, teamId, hostname: 'rbac-node', clusterName: 'rbac', kernelVersion: '6.8', agentVersion: '1.1.0', registeredAt: NOW, lastHeartbeatAt: null, processesMonitored: 0, llmCallsIntercepted: 0, discoveredProcesses: [] });
  const workflow = state.db.workflows.all().find((w) => w.teamId === teamId)!;
  await state.db.redteamScans.insert({ id: RBAC.scan, teamId, workflowId: workflow.id, workflowName: workflow.name, categories: ['jailbreak'], createdAt: NOW });
  await state.db.sdkPrompts.insert({ id: 'rbac-prompt-1', teamId, name: RBAC.prompt, version: 1, content: 'Hi', description: null, variables: {}, modelHint: null, createdAt: NOW });
  await state.db.scheduledReports.insert({ id: RBAC.report, teamId, name: 'RBAC report', frequency: 'DAILY', recipients: ['ops@acme.test'], enabled: true, createdBy: null, createdAt: NOW, updatedAt: NOW });
}

const prepare = prepareSdkRecords;
const agent = encodeURIComponent(RBAC.agent);
const acmeWorkflow = ({ state }: ExampleContext) => state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id;
const finishedExecution = ({ state }: ExampleContext) => state.db.executions.all().find((e) => e.teamId === ACME_TEAM_ID && isFinished(e, state.clock.now()))!.id;
const monitoring = (c: ExampleContext, rest: string) => `/api/monitoring/teams/${c.teamId}${rest}`;
const batch = { sdk_version: '0.10.0', sdk_language: 'typescript', events: [{ type: 'metric', metric_name: 'rbac', metric_value: 1, timestamp: NOW }] };

/** Examples by route key. */
export const SDK_EXAMPLES: Record<string, ExampleBuilder> = {
  // Telemetry, control, agent (3.11.1–3.11.3)
  'POST /api/sdk/v1/telemetry': () => ({ path: '/api/sdk/v1/telemetry', body: batch }),
  'GET /api/sdk/v1/agents/:agentName/control': () => ({ path: `/api/sdk/v1/agents/${agent}/control` }),
  'POST /api/sdk/v1/agents/:agentName/callback': () => ({ path: `/api/sdk/v1/agents/${agent}/callback`, body: { callback_url: 'https://agent.acme.test/cb' } }),
  'DELETE /api/sdk/v1/agents/:agentName/callback': () => ({ path: `/api/sdk/v1/agents/${agent}/callback`, prepare, otherTeam: 404 }),
  'GET /api/sdk/v1/agents/:agentName/guardrails': () => ({ path: `/api/sdk/v1/agents/${agent}/guardrails` }),
  // Utilities (3.11.3)
  'POST /api/sdk/v1/feedback': (c) => ({ path: '/api/sdk/v1/feedback', body: { execution_id: finishedExecution(c), rating: 5 }, otherTeam: 404 }),
  'GET /api/sdk/v1/feedback': () => ({ path: '/api/sdk/v1/feedback', query: { page: '0', size: '20' } }),
  'POST /api/sdk/v1/sentiment': () => ({ path: '/api/sdk/v1/sentiment', body: { text: 'Great, thanks' } }),
  'GET /api/sdk/v1/costs': () => ({ path: '/api/sdk/v1/costs' }),
  'POST /api/sdk/v1/alerts/webhooks': () => ({ path: '/api/sdk/v1/alerts/webhooks', body: { url: 'https://hooks.acme.test/x' } }),
  'GET /api/sdk/v1/alerts/webhooks': () => ({ path: '/api/sdk/v1/alerts/webhooks' }),
  'DELETE /api/sdk/v1/alerts/webhooks/:webhookId': () => ({ path: `/api/sdk/v1/alerts/webhooks/${RBAC.webhook}`, prepare, otherTeam: 404 }),
  'POST /api/sdk/v1/prompts': () => ({ path: '/api/sdk/v1/prompts', body: { name: 'p', content: 'Hello' } }),
  'GET /api/sdk/v1/prompts': () => ({ path: '/api/sdk/v1/prompts' }),
  'GET /api/sdk/v1/prompts/:name': () => ({ path: `/api/sdk/v1/prompts/${encodeURIComponent(RBAC.prompt)}`, prepare, otherTeam: 404 }),
  'POST /api/sdk/v1/redteam/scan': (c) => ({ path: '/api/sdk/v1/redteam/scan', body: { workflow_id: acmeWorkflow(c) }, otherTeam: 404 }),
  'GET /api/sdk/v1/redteam/scan/:scanId': () => ({ path: `/api/sdk/v1/redteam/scan/${RBAC.scan}`, prepare, otherTeam: 404 }),
  'POST /api/sdk/v1/evaluate': (c) => ({ path: '/api/sdk/v1/evaluate', body: { execution_id: finishedExecution(c) }, otherTeam: 404 }),
  'GET /api/sdk/v1/metrics': () => ({ path: '/api/sdk/v1/metrics' }),
  // eBPF (3.11.5)
  'POST /api/sdk/v1/ebpf/register': () => ({ path: '/api/sdk/v1/ebpf/register', body: { hostname: 'node-1', clusterName: 'prod', kernelVersion: '6.8', agentVersion: '1.1.0' } }),
  'POST /api/sdk/v1/ebpf/probes/:probeId/heartbeat': () => ({ path: `/api/sdk/v1/ebpf/probes/${RBAC.probe}/heartbeat`, body: { processesMonitored: 1, llmCallsIntercepted: 0 }, prepare, otherTeam: 404 }),
  'GET /api/sdk/v1/ebpf/probes/:probeId/config': () => ({ path: `/api/sdk/v1/ebpf/probes/${RBAC.probe}/config`, prepare, otherTeam: 404 }),
  // Dashboard: agents, halts, data views (3.11.2, 3.11.4)
  'GET /api/sdk/agents': (c) => ({ path: '/api/sdk/agents', query: { teamId: c.teamId } }),
  'GET /api/sdk/agents/:agentName': (c) => ({ path: `/api/sdk/agents/${agent}`, query: { teamId: c.teamId }, prepare }),
  'GET /api/sdk/agents/:agentName/traces': (c) => ({ path: `/api/sdk/agents/${agent}/traces`, query: { teamId: c.teamId }, prepare }),
  'GET /api/sdk/agents/:agentName/traces/:traceId': (c) => ({ path: `/api/sdk/agents/${agent}/traces/${RBAC.trace}`, query: { teamId: c.teamId }, prepare }),
  'POST /api/sdk/agents/:agentName/halt': (c) => ({ path: `/api/sdk/agents/${agent}/halt`, query: { teamId: c.teamId }, body: { reason: 'rbac' } }),
  'POST /api/sdk/agents/:agentName/resume': (c) => ({ path: `/api/sdk/agents/${agent}/resume`, query: { teamId: c.teamId } }),
  'PUT /api/sdk/agents/:agentName/guardrail-policy': (c) => ({ path: `/api/sdk/agents/${agent}/guardrail-policy`, query: { teamId: c.teamId }, body: { requireGuardrails: 'SOFT' } }),
  'POST /api/sdk/team/halt': (c) => ({ path: '/api/sdk/team/halt', query: { teamId: c.teamId }, body: { reason: 'rbac' } }),
  'POST /api/sdk/team/resume': (c) => ({ path: '/api/sdk/team/resume', query: { teamId: c.teamId } }),
  // Monitoring (3.7)
  'GET /api/monitoring/teams/:teamId/config': (c) => ({ path: monitoring(c, '/config') }),
  'PUT /api/monitoring/teams/:teamId/config': (c) => ({ path: monitoring(c, '/config'), body: { driftAlertEnabled: false } }),
  'GET /api/monitoring/teams/:teamId/token-usage': (c) => ({ path: monitoring(c, '/token-usage') }),
  'GET /api/monitoring/teams/:teamId/token-usage/daily': (c) => ({ path: monitoring(c, '/token-usage/daily') }),
  'GET /api/monitoring/teams/:teamId/token-usage/by-model': (c) => ({ path: monitoring(c, '/token-usage/by-model') }),
  'GET /api/monitoring/teams/:teamId/anomalies': (c) => ({ path: monitoring(c, '/anomalies') }),
  'GET /api/monitoring/teams/:teamId/drift-alerts': (c) => ({ path: monitoring(c, '/drift-alerts') }),
  'POST /api/monitoring/teams/:teamId/alerts/bulk-acknowledge': (c) => ({ path: monitoring(c, '/alerts/bulk-acknowledge'), body: { alertIds: ['not-an-alert'] } }),
  'GET /api/monitoring/teams/:teamId/sentiment': (c) => ({ path: monitoring(c, '/sentiment') }),
  'GET /api/monitoring/teams/:teamId/reports': (c) => ({ path: monitoring(c, '/reports') }),
  'POST /api/monitoring/teams/:teamId/reports': (c) => ({ path: monitoring(c, '/reports'), body: { name: 'RBAC', frequency: 'WEEKLY', recipients: ['ops@acme.test'] } }),
  'PUT /api/monitoring/teams/:teamId/reports/:id': (c) => ({ path: monitoring(c, `/reports/${RBAC.report}`), body: { enabled: false }, prepare }),
  'DELETE /api/monitoring/teams/:teamId/reports/:id': (c) => ({ path: monitoring(c, `/reports/${RBAC.report}`), prepare }),
  'GET /api/monitoring/admin/rate-limits': (c) => ({ path: '/api/monitoring/admin/rate-limits', query: { teamId: c.teamId } }),
};
