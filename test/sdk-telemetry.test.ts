import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, expectSpringError, login, testSandbox } from './helpers.ts';
import { ADMIN, sendBatch, simpleTrace, span, t, traceEnd, traceStart } from './sdk-fixtures.ts';

/** POST /api/sdk/v1/telemetry (nodeloom-api.md 3.11.1): validation, the 200 answer, executions made from traces. */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = testSandbox();
  await sandbox.ready;
});

const executionOf = async (traceId: string) => {
  const record = sandbox.state.db.executions.all().find((e) => e.sdk?.traceId === traceId)!;
  return (await call(sandbox, 'GET', `/api/executions/${record.id}`, { token: ADMIN })).json;
};

describe('telemetry answers', () => {
  it('answers 200 with integer counts, the errors by index and the control payload for a partial batch', async () => {
    const events = [
      traceStart('tr-1', 'support-bot'),
      span('tr-1', 'sp-1'),
      span('tr-1', 'sp-2', { span_type: 'database' }),
      span('tr-1', 'sp-3'),
      { type: 'span', span_id: 'sp-4', name: 'x', span_type: 'tool', timestamp: t(), end_timestamp: t() },
      traceEnd('tr-1'),
    ];
    const response = await sendBatch(sandbox, events);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toEqual({
      accepted: 4,
      rejected: 2,
      errors: [
        { index: 2, error: 'invalid span_type: expected one of llm, tool, retrieval, chain, agent, custom; got "database"' },
        { index: 4, error: 'missing trace_id' },
      ],
      control: {
        agent_name: 'support-bot',
        halted: false,
        halt_source: 'none',
        halt_reason: null,
        halted_at: null,
        revision: 0,
        require_guardrails: 'OFF',
        guardrail_session_ttl_seconds: 300,
        polled_at: '2026-11-01T12:00:00.000Z',
      },
    });
  });

  it('answers 200 rejecting every event of a batch that is all bad, naming each reason', async () => {
    const response = await sendBatch(sandbox, [42, { type: 'bogus' }, { trace_id: 'x' }, { type: 'trace_start', trace_id: 'x', timestamp: t() }, { type: 'trace_end', trace_id: 'x', status: 'success', timestamp: 'yesterday' }]);
    expect(response.status).toBe(200);
    expect(response.json.accepted).toBe(0);
    expect(response.json.errors.map((e: { error: string }) => e.error)).toEqual([
      'invalid event: expected a JSON object, got number',
      'invalid type: expected one of trace_start, span, trace_end, event, metric, feedback; got "bogus"',
      'missing type',
      'missing agent_name',
      expect.stringMatching(/^invalid timestamp: expected an RFC 3339 date-time/),
    ]);
    expect(response.json.control.agent_name).toBeNull();
  });

  it('answers 400 for a body that is not a batch, and for more than 100 events', async () => {
    for (const body of [[], { events: 'nope' }, { sdk_version: '0.10.0' }]) {
      const response = await call(sandbox, 'POST', '/api/sdk/v1/telemetry', { token: ADMIN, body });
      expectSpringError(response, 400, 'Bad Request', '/api/sdk/v1/telemetry');
      expect(response.json.message).toContain('"events"');
    }
    const tooMany = await sendBatch(sandbox, Array.from({ length: 101 }, (_, i) => ({ type: 'metric', metric_name: 'm', metric_value: i, timestamp: t() })));
    expect(expectSpringError(tooMany, 400, 'Bad Request', '/api/sdk/v1/telemetry')).toContain('at most 100 events');
    const hundred = await sendBatch(sandbox, Array.from({ length: 100 }, (_, i) => ({ type: 'metric', metric_name: 'm', metric_value: i, timestamp: t() })));
    expect(hundred.json).toMatchObject({ accepted: 100, rejected: 0 });
  });

  it('answers 401 for a bad token and for a session cookie, and records nothing', async () => {
    expectSpringError(await sendBatch(sandbox, simpleTrace('tr-x', 'a'), 'sdk_not_a_token'), 401, 'Unauthorized', '/api/sdk/v1/telemetry');
    const cookie = await login(sandbox, 'admin@acme.test');
    const viaCookie = await call(sandbox, 'POST', '/api/sdk/v1/telemetry', { cookie, body: { events: simpleTrace('tr-x', 'a') } });
    expect(expectSpringError(viaCookie, 401, 'Unauthorized', '/api/sdk/v1/telemetry')).toContain('accepts SDK tokens only');
    expect(sandbox.state.db.sdkTraces.count()).toBe(0);
  });
});

describe('telemetry validation', () => {
  it('accepts RFC 3339 timestamps of any precision: Go nanoseconds, Python +00:00 microseconds, whole seconds', async () => {
    const response = await sendBatch(sandbox, [
      traceStart('tr-ts', 'clocks', { timestamp: '2026-11-01T11:59:00.123456789Z' }),
      span('tr-ts', 'sp-1', { timestamp: '2026-11-01T11:59:00.500123+00:00', end_timestamp: '2026-11-01T12:59:01+01:00' }),
      traceEnd('tr-ts', { timestamp: '2026-11-01T11:59:02Z' }),
    ]);
    expect(response.json).toMatchObject({ accepted: 3, rejected: 0 });
    const detail = await executionOf('tr-ts');
    expect(detail).toMatchObject({ startedAt: '2026-11-01T11:59:00.123Z', finishedAt: '2026-11-01T11:59:02.000Z', durationMs: 1877 });
    expect(detail.nodeExecutions[0]).toMatchObject({ startedAt: '2026-11-01T11:59:00.500Z', finishedAt: '2026-11-01T11:59:01.000Z', durationMs: 500 });
  });

  it('reads parent_span_id null, absent and "" as a root span, and keeps a real parent', async () => {
    const { parent_span_id: _drop, ...absent } = span('tr-p', 'sp-absent', { timestamp: t(-58_500) });
    const response = await sendBatch(sandbox, [
      traceStart('tr-p', 'parents'),
      span('tr-p', 'sp-null', { parent_span_id: null }),
      absent,
      span('tr-p', 'sp-empty', { parent_span_id: '', timestamp: t(-58_000), end_timestamp: t(-57_900) }),
      span('tr-p', 'sp-child', { parent_span_id: 'sp-null', span_type: 'tool', timestamp: t(-57_800), end_timestamp: t(-57_700) }),
    ]);
    expect(response.json).toMatchObject({ accepted: 5, rejected: 0 });
    const nodes = (await executionOf('tr-p')).nodeExecutions;
    expect(nodes.map((n: { nodeId: string; parentNodeId: string | null }) => [n.nodeId, n.parentNodeId])).toEqual([
      ['sp-null', null],
      ['sp-absent', null],
      ['sp-empty', null],
      ['sp-child', 'sp-null'],
    ]);
  });

  it("accepts the eBPF agent's span_input/span_output as well as input/output", async () => {
    const ebpfSpan = { ...span('tr-e', 'sp-e', { input: undefined, output: undefined }), span_input: { messages: '[...]' }, span_output: { response: 'hello' } };
    delete (ebpfSpan as Record<string, unknown>).parent_span_id;
    const response = await sendBatch(sandbox, [traceStart('tr-e', 'python3', { framework: 'ebpf', metadata: { source: 'ebpf_probe' } }), ebpfSpan, span('tr-e', 'sp-sdk', { timestamp: t(-57_000), end_timestamp: t(-56_000) })]);
    expect(response.json).toMatchObject({ accepted: 3, rejected: 0 });
    const detail = await executionOf('tr-e');
    expect(detail.nodeExecutions[0]).toMatchObject({ nodeId: 'sp-e', input: { messages: '[...]' }, output: { response: 'hello' } });
    expect(detail.nodeExecutions[1]).toMatchObject({ nodeId: 'sp-sdk', input: { messages: [{ role: 'user', content: 'Where is my order?' }] }, output: { content: 'It ships tomorrow.' } });
    expect(detail.sdkTrace).toMatchObject({ framework: 'ebpf', metadata: { source: 'ebpf_probe' } });
  });

  it('accepts every event of the union: event, metric and feedback, with or without a trace', async () => {
    const response = await sendBatch(sandbox, [
      ...simpleTrace('tr-u', 'union'),
      { type: 'event', trace_id: 'tr-u', name: 'guardrail_triggered', level: 'warn', data: { rule: 'pii' }, timestamp: t() },
      { type: 'event', trace_id: null, name: 'deploy', level: 'info', timestamp: t() },
      { type: 'metric', trace_id: 'tr-u', metric_name: 'latency_ms', metric_value: 812.5, metric_unit: 'ms', metric_tags: { region: 'eu' }, timestamp: t() },
      { type: 'metric', metric_name: 'queue_depth', metric_value: 3, timestamp: t() },
      { type: 'feedback', trace_id: 'tr-u', rating: 5, comment: 'spot on', timestamp: t() },
      { type: 'feedback', trace_id: 'tr-u', rating: 4.5, timestamp: t() },
      { type: 'metric', metric_name: 'x', metric_value: 'high', timestamp: t() },
    ]);
    expect(response.json.errors).toEqual([
      { index: 8, error: 'invalid rating: expected an integer, got 4.5' },
      { index: 9, error: 'invalid metric_value: expected a number, got "high"' },
    ]);
    const trace = await call(sandbox, 'GET', '/api/sdk/agents/union/traces/tr-u', { token: ADMIN });
    expect(trace.status).toBe(200);
    expect(trace.json.events).toEqual([expect.objectContaining({ name: 'guardrail_triggered', level: 'warn', data: { rule: 'pii' }, traceId: 'tr-u' })]);
    expect(trace.json.metrics).toEqual([expect.objectContaining({ name: 'latency_ms', value: 812.5, unit: 'ms', tags: { region: 'eu' } })]);
    expect(trace.json.feedback).toEqual([expect.objectContaining({ rating: 5, comment: 'spot on', source: 'TELEMETRY' })]);
    expect(sandbox.state.db.sdkEvents.filter((e) => e.executionId === null)).toHaveLength(1);
  });
});

describe('telemetry becomes dashboard data', () => {
  it('lists a new agent as a virtual workflow and its trace as an SDK execution, RUNNING until trace_end', async () => {
    await sendBatch(sandbox, [traceStart('tr-r', 'order bot'), span('tr-r', 'sp-1')]);
    const workflows = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=order%20bot`, { token: ADMIN });
    expect(workflows.json.content).toEqual([expect.objectContaining({ name: 'order bot', active: true, nodeCount: 0, lastExecutionStatus: 'RUNNING', description: expect.stringContaining('Virtual workflow of the SDK agent "order bot"') })]);
    const page = await call(sandbox, 'GET', '/api/executions?size=1', { token: ADMIN });
    expect(page.json.content[0]).toMatchObject({ workflowName: 'order bot', status: 'RUNNING', triggerType: 'SDK', finishedAt: null, nodeCount: 1, durationMs: 2000 });
    await sandbox.clock.advance('2h'); // the sandbox clock does not end a reported trace
    expect((await executionOf('tr-r')).status).toBe('RUNNING');
    await sendBatch(sandbox, [traceEnd('tr-r', { status: 'error', error: 'tool timed out' })]);
    expect(await executionOf('tr-r')).toMatchObject({ status: 'FAILED', errorMessage: 'tool timed out', finishedAt: t(-57_000), durationMs: 3000, outputData: null });
  });

  it('keeps one virtual workflow per agent and orders spans by start time whatever order they arrive in', async () => {
    await sendBatch(sandbox, [traceStart('tr-a', 'sorter'), span('tr-a', 'late', { timestamp: t(-50_000), end_timestamp: t(-49_000) })]);
    await sendBatch(sandbox, [span('tr-a', 'early', { timestamp: t(-59_000), end_timestamp: t(-58_000) }), span('tr-a', 'late', { name: 'retried', timestamp: t(-50_000), end_timestamp: t(-49_000) }), traceEnd('tr-a'), ...simpleTrace('tr-b', 'sorter')]);
    expect(sandbox.state.db.workflows.filter((w) => w.name === 'sorter')).toHaveLength(1);
    const detail = await executionOf('tr-a');
    expect(detail.nodeExecutions.map((n: { nodeId: string; nodeName: string }) => `${n.nodeId}:${n.nodeName}`)).toEqual(['early:openai.chat', 'late:retried']);
    expect(detail.nodeExecutions[0]).toMatchObject({ nodeType: 'LLM', spanType: 'llm', status: 'SUCCESS', tokenUsage: { promptTokens: 120, completionTokens: 30, totalTokens: 150, model: 'gpt-4o' } });
    const agents = await call(sandbox, 'GET', '/api/sdk/agents', { token: ADMIN });
    expect(agents.json).toEqual([expect.objectContaining({ agentName: 'sorter', traceCount: 2, runningTraceCount: 0, lastTraceStatus: 'SUCCESS' })]);
  });

  it('accepts a retried batch without creating a second execution', async () => {
    const events = simpleTrace('tr-retry', 'retrier');
    expect((await sendBatch(sandbox, events)).json.accepted).toBe(3);
    expect((await sendBatch(sandbox, events)).json).toMatchObject({ accepted: 3, rejected: 0 });
    expect(sandbox.state.db.executions.filter((e) => e.sdk?.traceId === 'tr-retry')).toHaveLength(1);
    const clash = await sendBatch(sandbox, [traceStart('tr-retry', 'other-agent')]);
    expect(clash.json.errors).toEqual([{ index: 0, error: 'duplicate trace_id "tr-retry": it already belongs to agent "retrier"' }]);
  });

  it('rejects events of a trace whose trace_start never arrived', async () => {
    const response = await sendBatch(sandbox, [span('tr-none', 'sp'), traceEnd('tr-none'), { type: 'feedback', trace_id: 'tr-none', rating: 1, timestamp: t() }]);
    expect(response.json.rejected).toBe(3);
    expect(response.json.errors[0].error).toBe('unknown trace_id "tr-none": send the trace\'s trace_start first (or it was rejected)');
  });

  it("keeps each team's traces apart, even with the same trace id", async () => {
    await sendBatch(sandbox, simpleTrace('shared-id', 'acme-agent'));
    const hobby = await sendBatch(sandbox, simpleTrace('shared-id', 'hobby-agent'), 'sdk_sandbox_hobby');
    expect(hobby.json).toMatchObject({ accepted: 3, rejected: 0 });
    const acmeAgents = await call(sandbox, 'GET', '/api/sdk/agents', { token: ADMIN });
    expect(acmeAgents.json.map((a: { agentName: string }) => a.agentName)).toEqual(['acme-agent']);
    expect((await call(sandbox, 'GET', '/api/sdk/agents/hobby-agent', { token: ADMIN })).status).toBe(404);
  });
});
