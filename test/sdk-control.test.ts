import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { call, expectSpringError, login, testSandbox } from './helpers.ts';
import { ADMIN, liveGuardrailSession, sendBatch, simpleTrace, traceStart } from './sdk-fixtures.ts';

/** The agent control plane (nodeloom-api.md 3.11.2, 5.6): payloads, halts, guardrail policies, agent names in paths. */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = testSandbox();
  await sandbox.ready;
});

const control = async (path: string, token = ADMIN) => (await call(sandbox, 'GET', `/api/sdk/v1/agents/${path}/control`, { token })).json;
const auditActions = () => sandbox.state.db.auditLogs.filter((e) => e.teamId === ACME_TEAM_ID).map((e) => e.action);

describe('GET /api/sdk/v1/agents/:agentName/control', () => {
  it('answers the defaults for an agent the team never named, with the types the SDKs parse', async () => {
    const response = await call(sandbox, 'GET', '/api/sdk/v1/agents/never-seen/control', { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      '{"agent_name":"never-seen","halted":false,"halt_source":"none","halt_reason":null,"halted_at":null,"revision":0,"require_guardrails":"OFF","guardrail_session_ttl_seconds":300,"polled_at":"2026-11-01T12:00:00.000Z"}',
    );
  });

  it('answers 401 to a session cookie: /api/sdk/v1 takes SDK tokens only', async () => {
    const cookie = await login(sandbox, 'admin@acme.test');
    const response = await call(sandbox, 'GET', '/api/sdk/v1/agents/a/control', { cookie });
    expect(expectSpringError(response, 401, 'Unauthorized', '/api/sdk/v1/agents/a/control')).toContain('SDK tokens only');
  });
});

describe('halting and resuming', () => {
  it('halts an agent from the dashboard: revision up, events rejected with the reason, audited', async () => {
    await sendBatch(sandbox, simpleTrace('tr-1', 'billing-bot'));
    const halted = await call(sandbox, 'POST', '/api/sdk/agents/billing-bot/halt', { token: ADMIN, body: { reason: 'runaway spend' } });
    expect(halted.status).toBe(200);
    expect(halted.json).toMatchObject({ agentName: 'billing-bot', halted: true, haltSource: 'agent', haltReason: 'runaway spend', haltedAt: '2026-11-01T12:00:00.000Z', revision: 1, traceCount: 1 });
    expect(await control('billing-bot')).toMatchObject({ halted: true, halt_source: 'agent', halt_reason: 'runaway spend', halted_at: '2026-11-01T12:00:00.000Z', revision: 1 });
    const refused = await sendBatch(sandbox, [...simpleTrace('tr-2', 'billing-bot'), ...simpleTrace('tr-3', 'other-bot')]);
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ accepted: 3, rejected: 3 });
    expect(refused.json.errors[0]).toEqual({ index: 0, error: 'agent halted: agent "billing-bot" is halted (runaway spend); resume it to send telemetry again' });
    expect(refused.json.control).toMatchObject({ agent_name: 'other-bot', halted: false });

    const resumed = await call(sandbox, 'POST', '/api/sdk/agents/billing-bot/resume', { token: ADMIN });
    expect(resumed.json).toMatchObject({ halted: false, haltSource: 'none', revision: 2 });
    expect((await sendBatch(sandbox, simpleTrace('tr-2', 'billing-bot'))).json).toMatchObject({ accepted: 3, control: { halted: false, revision: 2 } });
    expect(auditActions().slice(-2)).toEqual(['AGENT_HALTED', 'AGENT_RESUMED']);
  });

  it('answers 403 to a BUILDER and a VIEWER halting an agent, and records nothing', async () => {
    for (const token of ['sdk_sandbox_builder', 'sdk_sandbox_viewer']) {
      expectSpringError(await call(sandbox, 'POST', '/api/sdk/agents/a/halt', { token, body: { reason: 'x' } }), 403, 'Forbidden', '/api/sdk/agents/a/halt');
    }
    const viewer = await login(sandbox, 'viewer@acme.test');
    expect((await call(sandbox, 'POST', `/api/sdk/team/halt?teamId=${ACME_TEAM_ID}`, { cookie: viewer })).status).toBe(403);
    expect(await control('a')).toMatchObject({ halted: false, revision: 0 });
  });

  it('halts the whole team: every agent, even unseen ones, and the telemetry control becomes team-wide', async () => {
    const cookie = await login(sandbox, 'admin@acme.test');
    await sendBatch(sandbox, simpleTrace('tr-1', 'known'));
    const halted = await call(sandbox, 'POST', `/api/sdk/team/halt?teamId=${ACME_TEAM_ID}`, { cookie, body: { reason: 'incident 42' } });
    expect(halted.json).toEqual({ teamId: ACME_TEAM_ID, halted: true, haltReason: 'incident 42', haltedAt: '2026-11-01T12:00:00.000Z', revision: 1 });
    expect(await control('brand-new')).toMatchObject({ agent_name: 'brand-new', halted: true, halt_source: 'team', halt_reason: 'incident 42', revision: 1 });
    const refused = await sendBatch(sandbox, simpleTrace('tr-2', 'known'));
    expect(refused.json.rejected).toBe(3);
    expect(refused.json.errors[0].error).toBe('agent halted: the team is halted (incident 42); resume it to send telemetry again');
    expect(refused.json.control).toMatchObject({ agent_name: null, halted: true, halt_source: 'team', revision: 1 });
    // Other teams are not halted.
    expect((await sendBatch(sandbox, simpleTrace('tr-h', 'known'), 'sdk_sandbox_hobby')).json.accepted).toBe(3);

    await call(sandbox, 'POST', `/api/sdk/team/resume?teamId=${ACME_TEAM_ID}`, { cookie });
    // After a team resume the payload stays team-sourced, so SDKs clear their team-wide flag.
    expect(await control('brand-new')).toMatchObject({ halted: false, halt_source: 'team', halt_reason: null, revision: 2 });
    expect(auditActions().slice(-2)).toEqual(['TEAM_HALTED', 'TEAM_RESUMED']);
  });

  it('mirrors halts in the control plane: one call halts an agent of Acme or of a named team', async () => {
    const halted = await call(sandbox, 'POST', '/__sandbox/agents/ci-agent/halt', { body: { reason: 'test halt' } });
    expect(halted.status).toBe(200);
    expect(halted.json).toMatchObject({ teamId: ACME_TEAM_ID, agentName: 'ci-agent', control: { halted: true, halt_source: 'agent', halt_reason: 'test halt', revision: 1 } });
    expect((await sendBatch(sandbox, [traceStart('tr', 'ci-agent')])).json.rejected).toBe(1);
    await call(sandbox, 'POST', '/__sandbox/agents/ci-agent/resume', {});
    expect((await sendBatch(sandbox, [traceStart('tr', 'ci-agent')])).json.accepted).toBe(1);

    const team = await call(sandbox, 'POST', '/__sandbox/team/halt', { body: { reason: 'drill', teamId: HOBBY_TEAM_ID } });
    expect(team.json).toMatchObject({ teamId: HOBBY_TEAM_ID, control: { agent_name: null, halted: true, halt_source: 'team' } });
    expect(await control('x', 'sdk_sandbox_hobby')).toMatchObject({ halted: true, halt_source: 'team', halt_reason: 'drill' });
    expect((await call(sandbox, 'POST', '/__sandbox/team/resume', { body: { teamId: HOBBY_TEAM_ID } })).json.control).toMatchObject({ halted: false });
    // Control-plane changes are test tooling: not audited.
    expect(auditActions()).not.toContain('AGENT_HALTED');
  });

  it('refuses control-plane bodies with unknown fields (400) and unknown teams (404)', async () => {
    const typo = await call(sandbox, 'POST', '/__sandbox/agents/a/halt', { body: { reason: 'x', team: ACME_TEAM_ID } });
    expect(typo.status).toBe(400);
    expect(typo.json.message).toContain('team');
    expect((await call(sandbox, 'POST', '/__sandbox/team/halt', { body: { teamId: 'no-such-team' } })).status).toBe(404);
  });
});

describe('guardrail policy', () => {
  it('under HARD rejects a trace_start without a live guardrail session and accepts one with it', async () => {
    const policy = await call(sandbox, 'PUT', '/api/sdk/agents/guarded/guardrail-policy', { token: ADMIN, body: { requireGuardrails: 'hard', guardrailSessionTtlSeconds: 120 } });
    expect(policy.json).toMatchObject({ requireGuardrails: 'HARD', guardrailSessionTtlSeconds: 120, revision: 1 });
    expect(await control('guarded')).toMatchObject({ require_guardrails: 'HARD', guardrail_session_ttl_seconds: 120, revision: 1 });

    const without = await sendBatch(sandbox, simpleTrace('tr-1', 'guarded'));
    expect(without.json.rejected).toBe(3);
    expect(without.json.errors[0].error).toMatch(/^guardrails required \(HARD\): the trace_start carried no guardrail_session_id; call POST \/api\/guardrails\/check with "agentName": "guarded"/);
    const wrong = await sendBatch(sandbox, [traceStart('tr-2', 'guarded', { guardrail_session_id: 'sess-forged' })]);
    expect(wrong.json.errors[0].error).toContain('guardrail_session_id "sess-forged" is not a live guardrail session of agent "guarded"');
    const otherAgents = await liveGuardrailSession(sandbox, 'someone-else');
    expect((await sendBatch(sandbox, [traceStart('tr-3', 'guarded', { guardrail_session_id: otherAgents })])).json.rejected).toBe(1);

    const session = await liveGuardrailSession(sandbox, 'guarded');
    const ok = await sendBatch(sandbox, [traceStart('tr-4', 'guarded', { guardrail_session_id: session })]);
    expect(ok.json).toMatchObject({ accepted: 1, rejected: 0 });
    expect(auditActions().at(-1)).toBe('AGENT_GUARDRAIL_POLICY_UPDATED');
  });

  it('under SOFT accepts a trace without a session and stores a warning on its execution', async () => {
    await call(sandbox, 'PUT', '/api/sdk/agents/soft/guardrail-policy', { token: ADMIN, body: { requireGuardrails: 'SOFT' } });
    expect((await sendBatch(sandbox, simpleTrace('tr-s', 'soft'))).json).toMatchObject({ accepted: 3, rejected: 0 });
    const id = sandbox.state.db.executions.all().find((e) => e.sdk?.traceId === 'tr-s')!.id;
    const detail = await call(sandbox, 'GET', `/api/executions/${id}`, { token: ADMIN });
    expect(detail.json.sdkTrace.warnings).toEqual([expect.stringMatching(/^require_guardrails is SOFT and the trace_start carried no guardrail_session_id/)]);
  });

  it('answers 400 for a policy outside the values and TTL range the SDKs accept', async () => {
    for (const body of [{ requireGuardrails: 'STRICT' }, { guardrailSessionTtlSeconds: 0 }, { guardrailSessionTtlSeconds: 86_401 }, {}, { ttl: 5 }]) {
      expect((await call(sandbox, 'PUT', '/api/sdk/agents/a/guardrail-policy', { token: ADMIN, body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('agent names in paths', () => {
  // Go's url.QueryEscape / Java's URLEncoder: space → "+", "/" → "%2F", "+" → "%2B" (5.3).
  const goEscape = (name: string) => encodeURIComponent(name).replace(/%20/g, '+');

  it('decodes + and %2F the way Go and Java encode names, and %2B as a literal plus', async () => {
    await sendBatch(sandbox, [...simpleTrace('tr-1', 'support bot/eu'), ...simpleTrace('tr-2', 'c++ agent')]);
    await call(sandbox, 'POST', `/api/sdk/agents/${goEscape('support bot/eu')}/halt`, { token: ADMIN, body: { reason: 'slash' } });
    expect(goEscape('support bot/eu')).toBe('support+bot%2Feu');
    expect(await control('support+bot%2Feu')).toMatchObject({ agent_name: 'support bot/eu', halted: true, halt_reason: 'slash' });
    expect(await control('support%20bot%2Feu')).toMatchObject({ agent_name: 'support bot/eu', halted: true });
    expect(await control(goEscape('c++ agent'))).toMatchObject({ agent_name: 'c++ agent', halted: false });
    const traces = await call(sandbox, 'GET', `/api/sdk/agents/${goEscape('c++ agent')}/traces`, { token: ADMIN });
    expect(traces.json.content).toEqual([expect.objectContaining({ traceId: 'tr-2', agentName: 'c++ agent' })]);
  });

  it('keeps %2F inside one path segment through the express host', async () => {
    await sendBatch(sandbox, simpleTrace('tr-1', 'team/agent one'));
    await call(sandbox, 'POST', '/__sandbox/agents/team%2Fagent+one/halt', { body: { reason: 'via express' } });
    const server = await new Promise<Server>((resolve) => {
      const s = createApp(sandbox).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const response = await fetch(`${base}/api/sdk/v1/agents/team%2Fagent+one/control`, { headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'user-agent': 'nodeloom-sdk-go/0.10.1' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ agent_name: 'team/agent one', halted: true, halt_reason: 'via express' });
      const resumed = await fetch(`${base}/__sandbox/agents/team%2Fagent+one/resume`, { method: 'POST' });
      expect(await resumed.json()).toMatchObject({ agentName: 'team/agent one', control: { halted: false } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
