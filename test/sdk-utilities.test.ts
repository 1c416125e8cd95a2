import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, expectSpringError, testSandbox } from './helpers.ts';
import { ADMIN, sendBatch, simpleTrace, t } from './sdk-fixtures.ts';

/** The other /api/sdk/v1 endpoints of the SDK ApiClients (nodeloom-api.md 3.11.3) and the eBPF probe endpoints (3.11.5). */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = testSandbox();
  await sandbox.ready;
});

const sdk = (method: string, path: string, body?: unknown, token = ADMIN) => call(sandbox, method, `/api/sdk/v1${path}`, { token, body });

describe('feedback', () => {
  it('creates feedback (201) for an execution or a trace id and pages it filtered by execution', async () => {
    await sendBatch(sandbox, simpleTrace('tr-f', 'feedback-bot'));
    const executionId = sandbox.state.db.executions.all().find((e) => e.sdk?.traceId === 'tr-f')!.id;
    const seeded = sandbox.state.db.executions.all().find((e) => e.teamId === ACME_TEAM_ID && !e.sdk)!.id;
    const created = await sdk('POST', '/feedback', { execution_id: 'tr-f', rating: 5, comment: 'great', tags: { channel: 'web' }, user_identifier: 'u-1' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), execution_id: executionId, trace_id: 'tr-f', span_id: null, rating: 5, comment: 'great', tags: { channel: 'web' }, user_identifier: 'u-1', source: 'api', created_at: '2026-11-01T12:00:00.000Z' });
    expect((await sdk('POST', '/feedback', { execution_id: seeded, rating: 2 })).status).toBe(201);

    const page = await call(sandbox, 'GET', `/api/sdk/v1/feedback?page=0&size=20&execution_id=${executionId}`, { token: ADMIN });
    expect(page.json).toMatchObject({ totalElements: 1, totalPages: 1, number: 0, size: 20, content: [{ rating: 5 }] });
    expect((await call(sandbox, 'GET', '/api/sdk/v1/feedback', { token: ADMIN })).json.totalElements).toBe(2);
    expect((await call(sandbox, 'GET', '/api/sdk/v1/feedback?execution_id=nope', { token: ADMIN })).json.totalElements).toBe(0);
  });

  it('answers 400 without a rating and 404 for an execution of another team', async () => {
    expect(expectSpringError(await sdk('POST', '/feedback', { execution_id: 'x' }), 400, 'Bad Request', '/api/sdk/v1/feedback')).toContain('rating');
    const hobby = sandbox.state.db.executions.all().find((e) => e.teamId !== ACME_TEAM_ID)!.id;
    expectSpringError(await sdk('POST', '/feedback', { execution_id: hobby, rating: 1 }), 404, 'Not Found', '/api/sdk/v1/feedback');
  });
});

describe('sentiment, evaluate, metrics, costs', () => {
  it('scores sentiment deterministically from the text', async () => {
    const happy = await sdk('POST', '/sentiment', { text: 'Thanks, the new gripper works great and setup was easy!', trace_id: 'tr-1' });
    expect(happy.status).toBe(200);
    expect(happy.json).toMatchObject({ sentiment: 'positive', score: 1, trace_id: 'tr-1', emotions: { joy: 1, anger: 0 } });
    expect(happy.json.confidence).toBeGreaterThan(0.5);
    const angry = await sdk('POST', '/sentiment', { text: 'This is not good: the robot crashed again and support was useless.' });
    expect(angry.json.sentiment).toBe('negative');
    expect((await sdk('POST', '/sentiment', { text: 'The order number is 4821.' })).json).toMatchObject({ sentiment: 'neutral', score: 0, confidence: 0.5 });
    const again = await sdk('POST', '/sentiment', { text: 'Thanks, the new gripper works great and setup was easy!', trace_id: 'tr-1' });
    expect({ ...again.json, id: 0 }).toEqual({ ...happy.json, id: 0 });
  });

  it('evaluates a finished execution deterministically and answers 409 for a running one', async () => {
    await sendBatch(sandbox, [...simpleTrace('tr-done', 'judge-me'), ...simpleTrace('tr-run', 'judge-me').slice(0, 2)]);
    const first = await sdk('POST', '/evaluate', { execution_id: 'tr-done' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ trace_id: 'tr-done', status: 'COMPLETED', judge_model: 'sandbox-judge', criteria: [{ name: 'relevance' }, { name: 'coherence' }, { name: 'helpfulness' }, { name: 'safety' }] });
    expect(first.json.overall_score).toBeGreaterThanOrEqual(0);
    expect(first.json.passed).toBe(first.json.overall_score >= 0.7);
    expect((await sdk('POST', '/evaluate', { execution_id: 'tr-done' })).json).toEqual(first.json);
    expect((await sdk('POST', '/evaluate', { execution_id: 'tr-run' })).status).toBe(409);
    expect((await sdk('POST', '/evaluate', { execution_id: 'nope' })).status).toBe(404);
  });

  it('aggregates stored metrics by name and time range', async () => {
    const metric = (name: string, value: number, at: number) => ({ type: 'metric', metric_name: name, metric_value: value, metric_unit: 'ms', timestamp: t(at) });
    await sendBatch(sandbox, [metric('latency', 100, -3_600_000), metric('latency', 300, -60_000), metric('latency', 200, -30_000), metric('cost', 0.5, -30_000)]);
    const all = await call(sandbox, 'GET', '/api/sdk/v1/metrics', { token: ADMIN });
    expect(all.json.metrics.map((m: { name: string; count: number }) => [m.name, m.count])).toEqual([
      ['cost', 1],
      ['latency', 3],
    ]);
    const recent = await call(sandbox, 'GET', `/api/sdk/v1/metrics?name=latency&from=${t(-120_000)}&to=${t()}`, { token: ADMIN });
    expect(recent.json).toEqual({
      metrics: [{ name: 'latency', unit: 'ms', count: 2, sum: 500, avg: 250, min: 200, max: 300, latest: 200, first_at: t(-60_000), last_at: t(-30_000) }],
      period: { from: t(-120_000), to: t() },
    });
    expect((await call(sandbox, 'GET', '/api/sdk/v1/metrics?from=yesterday', { token: ADMIN })).status).toBe(400);
  });

  it('sums costs from stored token usage at the documented per-model prices', async () => {
    const before = (await call(sandbox, 'GET', '/api/sdk/v1/costs', { token: ADMIN })).json;
    await sendBatch(sandbox, simpleTrace('tr-c', 'costly', { prompt_tokens: 1000, completion_tokens: 1000 }, 'claude-3-opus-20240229'));
    const workflowId = sandbox.state.db.sdkAgents.all().find((a) => a.agentName === 'costly')!.workflowId;
    const after = (await call(sandbox, 'GET', '/api/sdk/v1/costs?', { token: ADMIN })).json;
    // claude-3-opus: $0.015 per 1K input, $0.075 per 1K output (D-TOK).
    expect(after.total_cost).toBeCloseTo(before.total_cost + 0.09, 9);
    expect(after.total_input_tokens).toBe(before.total_input_tokens + 1000);
    const one = (await call(sandbox, 'GET', `/api/sdk/v1/costs?workflow_id=${workflowId}`, { token: ADMIN })).json;
    expect(one).toMatchObject({ currency: 'USD', total_cost: 0.09, total_input_tokens: 1000, total_output_tokens: 1000, execution_count: 1, by_model: [{ model: 'claude-3-opus-20240229', cost: 0.09 }], by_workflow: [{ workflow_id: workflowId, workflow_name: 'costly' }] });
  });
});

describe('alert webhooks and prompts', () => {
  it('creates a webhook (201) without ever returning its secret, lists it and deletes it (204)', async () => {
    const created = await sdk('POST', '/alerts/webhooks', { url: 'https://hooks.acme.test/nodeloom', secret: 's3cret', event_types: ['anomaly'] });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), url: 'https://hooks.acme.test/nodeloom', event_types: ['anomaly'], secret_configured: true, created_at: '2026-11-01T12:00:00.000Z' });
    const list = await sdk('GET', '/alerts/webhooks');
    expect(list.json).toEqual([created.json]);
    expect(list.text).not.toContain('s3cret');
    const deleted = await sdk('DELETE', `/alerts/webhooks/${created.json.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await sdk('GET', '/alerts/webhooks')).json).toEqual([]);
    expect((await sdk('DELETE', `/alerts/webhooks/${created.json.id}`)).status).toBe(404);
    expect((await sdk('POST', '/alerts/webhooks', { url: 'ftp://x' })).status).toBe(400);
  });

  it('versions prompts: create, get latest or a version by name, list the latest of each', async () => {
    expect((await sdk('POST', '/prompts', { name: 'triage prompt', content: 'v1 {{ticket}}', variables: { ticket: 'string' } })).json).toMatchObject({ name: 'triage prompt', version: 1 });
    const v2 = await sdk('POST', '/prompts', { name: 'triage prompt', content: 'v2 {{ticket}}', model_hint: 'gpt-4o' });
    expect(v2.status).toBe(201);
    expect(v2.json).toMatchObject({ version: 2, model_hint: 'gpt-4o', version_count: 2 });
    await sdk('POST', '/prompts', { name: 'reply', content: 'Hi' });
    expect((await sdk('GET', '/prompts/triage%20prompt')).json).toMatchObject({ version: 2, content: 'v2 {{ticket}}' });
    expect((await sdk('GET', '/prompts/triage+prompt?version=1')).json).toMatchObject({ version: 1, content: 'v1 {{ticket}}', variables: { ticket: 'string' } });
    expect((await sdk('GET', '/prompts')).json.map((p: { name: string; version: number }) => [p.name, p.version])).toEqual([
      ['reply', 1],
      ['triage prompt', 2],
    ]);
    expect((await sdk('GET', '/prompts/triage%20prompt?version=3')).status).toBe(404);
    expect((await sdk('GET', '/prompts/nope')).status).toBe(404);
  });
});

describe('red team, agent callback and guardrail config', () => {
  it('starts a scan (202 PENDING) that runs and completes on the sandbox clock with findings', async () => {
    const workflowId = sandbox.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id;
    const started = await sdk('POST', '/redteam/scan', { workflow_id: workflowId, categories: ['PROMPT_INJECTION', 'jailbreak'] });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ scan_id: expect.any(String), status: 'PENDING', progress: 0, categories: ['prompt_injection', 'jailbreak'], results: null });
    const get = async () => (await sdk('GET', `/redteam/scan/${started.json.scan_id}`)).json;
    sandbox.clock.advance('5s');
    expect(await get()).toMatchObject({ status: 'RUNNING', progress: 30, completed_at: null });
    sandbox.clock.advance('10s');
    const done = await get();
    expect(done).toMatchObject({ status: 'COMPLETED', progress: 100, completed_at: '2026-11-01T12:00:12.000Z', results: { total_probes: 10 } });
    expect(done.results.passed + done.results.failed).toBe(10);
    expect(done.results.findings).toHaveLength(done.results.failed);
    expect((await sdk('POST', '/redteam/scan', { workflow_id: 'nope' })).status).toBe(404);
    expect((await sdk('POST', '/redteam/scan', { workflow_id: workflowId, categories: ['mind_control'] })).status).toBe(400);
  });

  it('sets (200) and removes (204) an agent callback, and reads the guardrail config', async () => {
    const set = await sdk('POST', '/agents/my+agent/callback', { callback_url: 'https://agent.acme.test/redteam' });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ agent_name: 'my agent', callback_url: 'https://agent.acme.test/redteam', updated_at: '2026-11-01T12:00:00.000Z' });
    expect((await call(sandbox, 'GET', '/api/sdk/agents/my%20agent', { token: ADMIN })).json.callbackUrl).toBe('https://agent.acme.test/redteam');
    expect((await sdk('DELETE', '/agents/my%20agent/callback')).status).toBe(204);
    expect((await sdk('DELETE', '/agents/unknown/callback')).status).toBe(404);
    const config = await sdk('GET', '/agents/my%20agent/guardrails');
    expect(config.json).toMatchObject({ agent_name: 'my agent', require_guardrails: 'OFF', guardrail_session_ttl_seconds: 300, on_violation: 'BLOCKED', checks: { detect_prompt_injection: true } });
  });
});

describe('eBPF probes', () => {
  it('registers a probe ({id}), stores heartbeats with discovered processes, and serves its config', async () => {
    const registered = await sdk('POST', '/ebpf/register', { hostname: 'node-1', clusterName: 'prod-eu', kernelVersion: 'Linux 6.8', agentVersion: '1.1.0' });
    expect(registered.status).toBe(201);
    const { id } = registered.json;
    expect(registered.json).toMatchObject({ id: expect.any(String), hostname: 'node-1', clusterName: 'prod-eu', agentVersion: '1.1.0', lastHeartbeatAt: null });
    const again = await sdk('POST', '/ebpf/register', { hostname: 'node-1', clusterName: 'prod-eu', kernelVersion: 'Linux 6.9', agentVersion: '1.1.0' });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(id);

    const process = { processName: 'python3', executablePath: '/usr/bin/python3', commandLine: 'python3 bot.py', pid: 4242, cgroupPath: '/kubepods/x', containerId: 'c0ffee', k8sPodName: 'bot-1', k8sNamespace: 'agents', llmCallCount: 17 };
    const beat = await sdk('POST', `/ebpf/probes/${id}/heartbeat`, { processesMonitored: 3, llmCallsIntercepted: 17, discoveredProcesses: [process] });
    expect(beat.status).toBe(200);
    expect(beat.json).toMatchObject({ lastHeartbeatAt: '2026-11-01T12:00:00.000Z', processesMonitored: 3, llmCallsIntercepted: 17, discoveredProcesses: [process], discoveredProcessCount: 1 });
    expect((await sdk('POST', `/ebpf/probes/${id}/heartbeat`, { processesMonitored: 2, llmCallsIntercepted: 20 })).json.discoveredProcesses).toEqual([process]);
    expect((await sdk('POST', '/ebpf/probes/nope/heartbeat', { processesMonitored: 0, llmCallsIntercepted: 0 })).status).toBe(404);

    const config = await sdk('GET', `/ebpf/probes/${id}/config`);
    expect(config.status).toBe(200);
    expect(Object.keys(config.json)).toEqual(['probe_id', 'llm_endpoints', 'pii_patterns', 'prompt_injection_patterns', 'blocked_endpoints', 'rate_limit_per_minute', 'enable_enforcement', 'enable_guardrails', 'enable_proc_scan']);
    expect(config.json.rate_limit_per_minute).toBe(1000);
  });
});
