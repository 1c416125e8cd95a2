import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { testSandbox } from './helpers.ts';
import { GUARDRAILS_SERVED } from './sdk-fixtures.ts';

/**
 * Sends what each official client sends to /api/sdk/v1, byte for byte (nodeloom-api.md 3.11, 5):
 * headers (Authorization, Content-Type on every request, each SDK's User-Agent on telemetry),
 * snake_case bodies serialised as each language does (TS/Go/Java compact, Python `json.dumps` with
 * spaces), each client's timestamp format, control polling with each client's path encoding, and
 * the ApiClient utility calls. Then checks what each client relies on: telemetry status exactly
 * 200 with integer counts, JSON objects and arrays where expected, 204 on deletes, never a 200 with
 * an empty body, and the control payload's types (5.4, 5.6, 5.8).
 */

const BASE = 'https://api.nodeloom.io';
const KEY = 'sdk_sandbox_admin';

interface Sent {
  status: number;
  contentType: string | null;
  text: string;
  json: any;
}

/** Sends raw bytes with exactly the given headers (what the client's HTTP library puts on the wire). */
async function send(sandbox: Sandbox, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Sent> {
  const response = await sandbox.fetch(new Request(BASE + path, { method, headers, body }));
  const text = await response.text();
  const sent = { status: response.status, contentType: response.headers.get('content-type'), text, json: text ? JSON.parse(text) : undefined };
  // 5.8: a 200 is never empty (TS and Python call response.json() on it).
  if (sent.status === 200) expect(text, `${method} ${path}`).not.toBe('');
  return sent;
}

const ts = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
const py = { 'User-Agent': 'python-requests/2.32.3', 'Accept-Encoding': 'gzip, deflate', Accept: '*/*', Connection: 'keep-alive', 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` };
const go = { 'User-Agent': 'Go-http-client/1.1', 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, 'Accept-Encoding': 'gzip' };
const java = { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, 'User-Agent': 'Java-http-client/17.0.9' };

/** What every SDK's telemetry transport requires of the answer (5.4), and the control payload types (5.6). */
function expectTelemetryAnswer(answer: Sent, accepted: number, rejected = 0): void {
  expect(answer.status).toBe(200); // Python: anything else drops the batch
  expect(answer.contentType).toBe('application/json');
  expect(answer.json).toEqual({ accepted, rejected, errors: expect.any(Array), control: expect.any(Object) });
  expect(Number.isInteger(answer.json.accepted) && Number.isInteger(answer.json.rejected)).toBe(true);
  expectControlPayload(answer.json.control);
}

function expectControlPayload(control: any): void {
  expect(typeof control.halted).toBe('boolean'); // Java: Boolean.TRUE.equals(map.get("halted"))
  expect(Number.isSafeInteger(control.revision)).toBe(true); // Go: int64
  expect(['OFF', 'SOFT', 'HARD']).toContain(control.require_guardrails);
  expect(['none', 'agent', 'team']).toContain(control.halt_source);
  expect(Number.isInteger(control.guardrail_session_ttl_seconds)).toBe(true);
  expect(control.guardrail_session_ttl_seconds).toBeGreaterThanOrEqual(1);
  expect(control.guardrail_session_ttl_seconds).toBeLessThanOrEqual(86_400);
  expect(control.agent_name === null || typeof control.agent_name === 'string').toBe(true);
  expect(control.halt_reason === null || typeof control.halt_reason === 'string').toBe(true);
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = testSandbox();
  await sandbox.ready;
});

describe('telemetry as each SDK sends it', () => {
  it('TypeScript: compact JSON, toISOString() times, parent_span_id null', async () => {
    const body =
      '{"events":[{"type":"trace_start","trace_id":"5b0a0c3e-1111-4c1e-9a51-0c3b5f0a1e01","agent_name":"ts-agent","environment":"production","input":{"query":"hi"},"sdk_language":"typescript","timestamp":"2026-11-01T11:59:00.000Z"},' +
      '{"type":"span","trace_id":"5b0a0c3e-1111-4c1e-9a51-0c3b5f0a1e01","span_id":"7d1e","parent_span_id":null,"name":"anthropic.messages.create","span_type":"llm","status":"success","input":{"messages":[]},"output":{"text":"hello"},"token_usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"model":"claude-3-5-haiku-20241022"},"timestamp":"2026-11-01T11:59:00.100Z","end_timestamp":"2026-11-01T11:59:00.900Z"},' +
      '{"type":"trace_end","trace_id":"5b0a0c3e-1111-4c1e-9a51-0c3b5f0a1e01","status":"success","output":{"text":"hello"},"timestamp":"2026-11-01T11:59:01.000Z"}],"sdk_version":"0.10.0","sdk_language":"typescript"}';
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...ts, 'User-Agent': 'nodeloom-sdk-typescript/0.10.0' }, body), 3);
  });

  it('Python: json.dumps spacing, isoformat() +00:00 microseconds, metric and feedback', async () => {
    const body =
      '{"events": [{"type": "trace_start", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02", "agent_name": "py-agent", "environment": "production", "timestamp": "2026-11-01T11:59:00.123456+00:00", "metadata": {"user": "u1"}, "sdk_language": "python"}, ' +
      '{"type": "span", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02", "span_id": "a1", "parent_span_id": null, "name": "retrieve", "span_type": "retrieval", "status": "success", "timestamp": "2026-11-01T11:59:00.200000+00:00", "end_timestamp": "2026-11-01T11:59:00.400000+00:00", "output": {"docs": 3}}, ' +
      '{"type": "metric", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02", "metric_name": "docs_retrieved", "metric_value": 3, "metric_unit": "count", "metric_tags": {"index": "faq"}, "timestamp": "2026-11-01T11:59:00.400000+00:00"}, ' +
      '{"type": "feedback", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02", "rating": 4, "comment": "ok", "timestamp": "2026-11-01T11:59:01+00:00"}, ' +
      '{"type": "trace_end", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02", "status": "error", "timestamp": "2026-11-01T11:59:01.500000+00:00", "error": "ValueError: boom"}], "sdk_version": "0.10.0", "sdk_language": "python"}';
    const answer = await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...py, 'User-Agent': 'nodeloom-python-sdk/0.10.0' }, body);
    expectTelemetryAnswer(answer, 5);
    expect(answer.json.rejected ?? 0).toBe(0); // body.get("rejected", 0)
  });

  it('Go: json.Marshal, RFC3339Nano times, parent_span_id "" and no trace_id on a team metric', async () => {
    const body =
      '{"events":[{"type":"trace_start","trace_id":"c3d4","agent_name":"go agent","environment":"staging","input":{"q":"x"},"guardrail_session_id":"","timestamp":"2026-11-01T11:59:00.123456789Z"},' +
      '{"type":"span","trace_id":"c3d4","span_id":"s1","parent_span_id":"","name":"tool.call","span_type":"tool","status":"success","timestamp":"2026-11-01T11:59:00.200000001Z","end_timestamp":"2026-11-01T11:59:00.300000002Z"},' +
      '{"type":"metric","metric_name":"queue_depth","metric_value":2,"timestamp":"2026-11-01T11:59:00.3Z"},' +
      '{"type":"event","name":"cache_miss","level":"warn","timestamp":"2026-11-01T11:59:00.3Z"},' +
      '{"type":"trace_end","trace_id":"c3d4","status":"success","timestamp":"2026-11-01T11:59:00.4Z"}],"sdk_version":"0.10.1","sdk_language":"go"}';
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...go, 'User-Agent': 'nodeloom-sdk-go/0.10.1' }, body), 5);
  });

  it('Java: its own compact serialiser, ISO_INSTANT times, span metadata', async () => {
    const body =
      '{"events":[{"type":"trace_start","trace_id":"8e2f","agent_name":"java-agent","environment":"production","sdk_language":"java","timestamp":"2026-11-01T11:59:00.123456Z"},' +
      '{"type":"span","trace_id":"8e2f","span_id":"j1","parent_span_id":null,"name":"chain","span_type":"chain","status":"success","metadata":{"k":"v"},"token_usage":{"prompt_tokens":40,"completion_tokens":10,"total_tokens":50,"model":"gpt-4o-mini"},"timestamp":"2026-11-01T11:59:00.2Z","end_timestamp":"2026-11-01T11:59:00.5Z"},' +
      '{"type":"trace_end","trace_id":"8e2f","status":"success","timestamp":"2026-11-01T11:59:01Z"}],"sdk_version":"0.10.0","sdk_language":"java"}';
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...java, 'User-Agent': 'nodeloom-java-sdk/0.10.0' }, body), 3);
  });

  it('eBPF agent: no User-Agent of its own, span_input/span_output, omitted parent_span_id', async () => {
    const body =
      '{"events":[{"type":"trace_start","trace_id":"e1","timestamp":"2026-11-01T11:59:00.5Z","agent_name":"python3","framework":"ebpf","input":{"prompt":"{\\"model\\":\\"gpt-4o\\"}"},"metadata":{"source":"ebpf_probe","hostname":"node-1","pid":4242}},' +
      '{"type":"span","trace_id":"e1","timestamp":"2026-11-01T11:59:00.5Z","status":"success","span_id":"e1s","name":"openai.chat","span_type":"llm","span_input":{"messages":"..."},"span_output":{"response":"..."},"token_usage":{"prompt_tokens":10,"completion_tokens":4,"total_tokens":14,"model":"gpt-4o"},"end_timestamp":"2026-11-01T11:59:01.25Z"},' +
      '{"type":"trace_end","trace_id":"e1","timestamp":"2026-11-01T11:59:01.25Z","output":{"completion":"..."},"status":"success"}],"sdk_version":"ebpf-agent/1.1.0","sdk_language":"go"}';
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, 'User-Agent': 'Go-http-client/1.1' }, body), 3);
  });

  it('answers a full batch of 100 (every SDK default batch size) with 200', async () => {
    const events = Array.from({ length: 100 }, (_, i) => `{"type":"metric","trace_id":null,"metric_name":"m","metric_value":${i},"timestamp":"2026-11-01T11:59:00.000Z"}`);
    const body = `{"events":[${events.join(',')}],"sdk_version":"0.10.0","sdk_language":"typescript"}`;
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...ts, 'User-Agent': 'nodeloom-sdk-typescript/0.10.0' }, body), 100);
  });
});

describe('control polling as each SDK builds the path', () => {
  it('answers the same payload to TS/Python (raw name) and Go/Java (QueryEscape/URLEncoder)', async () => {
    const raw = await send(sandbox, 'GET', '/api/sdk/v1/agents/go%20agent/control', ts); // fetch encodes the space
    const python = await send(sandbox, 'GET', '/api/sdk/v1/agents/go%20agent/control', py);
    const goPath = await send(sandbox, 'GET', '/api/sdk/v1/agents/go+agent/control', go);
    const javaPath = await send(sandbox, 'GET', '/api/sdk/v1/agents/go+agent/control', { ...java });
    for (const answer of [raw, python, goPath, javaPath]) {
      expect(answer.status).toBe(200);
      expectControlPayload(answer.json);
      expect(answer.json).toMatchObject({ agent_name: 'go agent', halted: false });
    }
  });
});

describe('ApiClient utility calls', () => {
  it('feedback, sentiment, costs, metrics: JSON objects as the clients type them', async () => {
    const feedback = await send(sandbox, 'POST', '/api/sdk/v1/feedback', ts, '{"execution_id":"8e2f","rating":5,"comment":"great"}');
    expect(feedback.status).toBe(201);
    expect(feedback.json).toMatchObject({ id: expect.any(String), rating: 5 });
    const pyList = await send(sandbox, 'GET', `/api/sdk/v1/feedback?page=0&size=20&execution_id=${feedback.json.execution_id}`, py);
    expect(pyList.json).toMatchObject({ content: [expect.objectContaining({ rating: 5 })], totalElements: 1 });
    expect((await send(sandbox, 'GET', '/api/sdk/v1/feedback?page=0&size=20', ts)).json.content).toEqual(expect.any(Array));
    const sentiment = await send(sandbox, 'POST', '/api/sdk/v1/sentiment', py, '{"text": "I love it", "trace_id": "9f1c2b7e-2222-4f0a-8c51-6a2d1e0b7c02"}');
    expect(sentiment.json).toMatchObject({ sentiment: 'positive', score: expect.any(Number), confidence: expect.any(Number), emotions: expect.any(Object) });
    expect((await send(sandbox, 'GET', '/api/sdk/v1/costs?', ts)).json).toMatchObject({ total_cost: expect.any(Number) }); // TS appends "?" with no params
    expect((await send(sandbox, 'GET', '/api/sdk/v1/costs?from=2026-10-01T00%3A00%3A00Z&to=2026-11-01T12%3A00%3A00Z', go)).status).toBe(200);
    expect((await send(sandbox, 'GET', '/api/sdk/v1/metrics?name=docs_retrieved', py)).json.metrics).toEqual([expect.objectContaining({ name: 'docs_retrieved', count: 1 })]);
  });

  it('webhooks and prompts: arrays for lists, 204 with no body on delete', async () => {
    const created = await send(sandbox, 'POST', '/api/sdk/v1/alerts/webhooks', java, '{"url":"https://hooks.acme.test/x","secret":"shh","event_types":["anomaly","drift"]}');
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('shh');
    expect(Array.isArray((await send(sandbox, 'GET', '/api/sdk/v1/alerts/webhooks', ts)).json)).toBe(true);
    const deleted = await send(sandbox, 'DELETE', `/api/sdk/v1/alerts/webhooks/${created.json.id}`, go);
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect((await send(sandbox, 'POST', '/api/sdk/v1/prompts', py, '{"name": "greeting v2", "content": "Hello {{name}}", "variables": {"name": "string"}}')).status).toBe(201);
    expect((await send(sandbox, 'GET', '/api/sdk/v1/prompts/greeting+v2?version=1', go)).json).toMatchObject({ name: 'greeting v2', version: 1 });
    expect((await send(sandbox, 'GET', '/api/sdk/v1/prompts/greeting%20v2', ts)).json).toMatchObject({ version: 1 });
    expect(Array.isArray((await send(sandbox, 'GET', '/api/sdk/v1/prompts', java)).json)).toBe(true);
  });

  it('red team, evaluate, callback and guardrail config', async () => {
    const workflowId = sandbox.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID)!.id;
    const scan = await send(sandbox, 'POST', '/api/sdk/v1/redteam/scan', ts, `{"workflow_id":"${workflowId}","categories":["prompt_injection"]}`);
    expect(scan.status).toBe(202);
    expect((await send(sandbox, 'GET', `/api/sdk/v1/redteam/scan/${scan.json.scan_id}`, go)).json).toMatchObject({ scan_id: scan.json.scan_id, status: 'PENDING' });
    expect((await send(sandbox, 'POST', '/api/sdk/v1/evaluate', py, '{"execution_id": "c3d4"}')).json).toMatchObject({ overall_score: expect.any(Number), passed: expect.any(Boolean) });
    expect((await send(sandbox, 'POST', '/api/sdk/v1/agents/java-agent/callback', java, '{"callback_url":"https://agent.acme.test/cb"}')).json).toMatchObject({ agent_name: 'java-agent' });
    expect(await send(sandbox, 'DELETE', '/api/sdk/v1/agents/java-agent/callback', java)).toMatchObject({ status: 204, text: '' });
    expect((await send(sandbox, 'GET', '/api/sdk/v1/agents/go+agent/guardrails', go)).json).toMatchObject({ agent_name: 'go agent', require_guardrails: 'OFF' });
  });

  it('eBPF: register → {id}, heartbeat < 400, config 200', async () => {
    const registered = await send(sandbox, 'POST', '/api/sdk/v1/ebpf/register', go, '{"agentVersion":"1.1.0","clusterName":"prod","hostname":"node-7","kernelVersion":"Linux version 6.8.0"}');
    expect(registered.status).toBeLessThan(400);
    expect(typeof registered.json.id).toBe('string');
    const beat = await send(sandbox, 'POST', `/api/sdk/v1/ebpf/probes/${registered.json.id}/heartbeat`, go, '{"llmCallsIntercepted":3,"processesMonitored":1}');
    expect(beat.status).toBeLessThan(400);
    expect((await send(sandbox, 'GET', `/api/sdk/v1/ebpf/probes/${registered.json.id}/config`, { Authorization: `Bearer ${KEY}`, 'User-Agent': 'Go-http-client/1.1' })).status).toBe(200);
  });

  it('errors are JSON objects with an error string (TS/Python read body.error)', async () => {
    for (const answer of [
      await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...ts, Authorization: 'Bearer sdk_wrong' }, '{"events":[]}'),
      await send(sandbox, 'POST', '/api/sdk/v1/telemetry', ts, '{"events":{}}'),
      await send(sandbox, 'GET', '/api/sdk/v1/redteam/scan/nope', ts),
    ]) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(typeof answer.json.error).toBe('string');
      expect(Array.isArray(answer.json)).toBe(false);
    }
  });

  it.runIf(GUARDRAILS_SERVED)('guardrails check with agentName returns the session the next trace_start carries', async () => {
    const checked = await send(sandbox, 'POST', '/api/guardrails/check', py, '{"text": "hello", "redactPii": true, "detectPromptInjection": true, "onViolation": "BLOCKED", "agentName": "py-agent"}');
    expect(checked.status).toBe(200);
    expect(typeof checked.json.guardrailSessionId).toBe('string');
    await sandbox.fetch(new Request(`${BASE}/api/sdk/agents/py-agent/guardrail-policy`, { method: 'PUT', headers: ts, body: '{"requireGuardrails":"HARD"}' }));
    const body = `{"events": [{"type": "trace_start", "trace_id": "g1", "agent_name": "py-agent", "environment": "production", "timestamp": "2026-11-01T11:59:00+00:00", "sdk_language": "python", "guardrail_session_id": "${checked.json.guardrailSessionId}"}], "sdk_version": "0.10.0", "sdk_language": "python"}`;
    expectTelemetryAnswer(await send(sandbox, 'POST', '/api/sdk/v1/telemetry', { ...py, 'User-Agent': 'nodeloom-python-sdk/0.10.0' }, body), 1);
  });
});
