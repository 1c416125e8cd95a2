import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { COST_UNITS_PER_USD } from '../src/resources/monitoring/prices.ts';
import { call, expectSpringError, login, testSandbox } from './helpers.ts';
import { ADMIN, sendBatch, simpleTrace } from './sdk-fixtures.ts';

/** Monitoring (nodeloom-api.md 3.7), computed from the executions, SDK traces and config in the sandbox. */

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = testSandbox();
  await sandbox.ready;
});

const BASE = `/api/monitoring/teams/${ACME_TEAM_ID}`;
const get = (path: string, token = ADMIN) => call(sandbox, 'GET', `${BASE}${path}`, { token });
const units = (usd: number) => Math.round(usd * COST_UNITS_PER_USD);
const sum = (items: Array<Record<string, number>>, key: string) => items.reduce((total, item) => total + item[key]!, 0);

describe('config', () => {
  it('answers the documented defaults and applies a partial PUT by a BUILDER (audited)', async () => {
    expect((await get('/config', 'sdk_sandbox_viewer')).json).toEqual({
      anomalyDetectionEnabled: true,
      driftAlertEnabled: true,
      sentimentTrackingEnabled: false,
      alertThresholds: { tokenUsageSpike: 2.0, errorRateThreshold: 0.15, latencyThreshold: 5000 },
      notificationChannels: ['email', 'slack'],
    });
    const updated = await call(sandbox, 'PUT', `${BASE}/config`, { token: 'sdk_sandbox_builder', body: { sentimentTrackingEnabled: true, alertThresholds: { latencyThreshold: '8000' } } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ sentimentTrackingEnabled: true, anomalyDetectionEnabled: true, alertThresholds: { tokenUsageSpike: 2, errorRateThreshold: 0.15, latencyThreshold: 8000 } });
    expect((await get('/config')).json).toEqual(updated.json);
    expect(sandbox.state.db.auditLogs.all().at(-1)).toMatchObject({ action: 'MONITORING_CONFIG_UPDATED', resourceType: 'MONITORING', teamId: ACME_TEAM_ID });
  });

  it('answers 403 to an OPERATOR changing config and 400 to unknown fields or bad thresholds', async () => {
    expectSpringError(await call(sandbox, 'PUT', `${BASE}/config`, { token: 'sdk_sandbox_operator', body: { driftAlertEnabled: false } }), 403, 'Forbidden', `${BASE}/config`);
    for (const body of [{ anomalyDetection: true }, { alertThresholds: { errorRateThreshold: 2 } }, { alertThresholds: { tokenUsageSpike: 'lots' } }]) {
      expect((await call(sandbox, 'PUT', `${BASE}/config`, { token: ADMIN, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await get('/config', 'sdk_sandbox_hobby')).status).toBe(403);
  });
});

describe('token usage', () => {
  it('agrees across totals, daily and by-model: token sums equal, costs equal in exact units', async () => {
    const [totals, daily, byModel] = await Promise.all([get('/token-usage'), get('/token-usage/daily'), get('/token-usage/by-model')]);
    expect(totals.json.period).toEqual({ from: '2026-10-02T12:00:00.000Z', to: '2026-11-01T12:00:00.000Z' });
    expect(totals.json.totalInputTokens).toBeGreaterThan(10_000);
    expect(daily.json.days).toHaveLength(31);
    expect(daily.json.days[0]).toEqual({ date: '2026-10-02', inputTokens: expect.any(Number), outputTokens: expect.any(Number), cost: expect.any(Number), executionCount: expect.any(Number) });
    for (const view of [daily.json.days, byModel.json.models]) {
      expect(sum(view, 'inputTokens')).toBe(totals.json.totalInputTokens);
      expect(sum(view, 'outputTokens')).toBe(totals.json.totalOutputTokens);
      expect(view.reduce((total: number, item: { cost: number }) => total + units(item.cost), 0)).toBe(units(totals.json.totalCost));
    }
    expect(byModel.json.models.map((m: { model: string }) => m.model).sort()).toEqual(['claude-3-5-haiku', 'claude-sonnet-4', 'gpt-4o', 'gpt-4o-mini']);
  });

  it("shows a new trace's tokens in all three views at once, priced per model", async () => {
    const before = (await get('/token-usage')).json;
    await sendBatch(sandbox, simpleTrace('tr-t', 'token-bot', { prompt_tokens: 2000, completion_tokens: 1000 }, 'gemini-1.5-pro'));
    const after = (await get('/token-usage')).json;
    expect(after.totalInputTokens - before.totalInputTokens).toBe(2000);
    expect(after.totalOutputTokens - before.totalOutputTokens).toBe(1000);
    // gemini-1.5-pro: $0.00125 / 1K in, $0.005 / 1K out (D-TOK) → 0.0025 + 0.005.
    expect(units(after.totalCost) - units(before.totalCost)).toBe(units(0.0075));
    const model = (await get('/token-usage/by-model')).json.models.find((m: { model: string }) => m.model === 'gemini-1.5-pro');
    expect(model).toEqual({ model: 'gemini-1.5-pro', inputTokens: 2000, outputTokens: 1000, cost: 0.0075, executionCount: 1 });
    const today = (await get('/token-usage/daily')).json.days.at(-1);
    expect(today.date).toBe('2026-11-01');
    expect(today.inputTokens).toBeGreaterThanOrEqual(2000);
  });

  it("counts an agent chat reply's tokens in all three views and in the SDK costs", async () => {
    const workflowId = sandbox.state.db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID && w.nodes.some((n) => n.type === 'AI_AGENT'))!.id;
    const session = await call(sandbox, 'POST', '/api/agent-chat/sessions', { token: ADMIN, body: { workflowId, teamId: ACME_TEAM_ID } });
    const before = { totals: (await get('/token-usage')).json, costs: (await call(sandbox, 'GET', '/api/sdk/v1/costs', { token: ADMIN })).json };
    const reply = await call(sandbox, 'POST', `/api/agent-chat/sessions/${session.json.id}/messages`, { token: ADMIN, headers: { accept: 'application/json' }, body: { content: 'Where is order 4711?', model: 'gemini-1.5-flash' } });
    expect(reply.status).toBe(200);
    const { input, output } = reply.json.tokenUsage as { input: number; output: number };
    const after = (await get('/token-usage')).json;
    expect(after.totalInputTokens - before.totals.totalInputTokens).toBe(input);
    expect(after.totalOutputTokens - before.totals.totalOutputTokens).toBe(output);
    expect((await get('/token-usage/by-model')).json.models.find((m: { model: string }) => m.model === 'gemini-1.5-flash')).toMatchObject({ inputTokens: input, outputTokens: output, executionCount: 0 });
    expect((await get('/token-usage/daily')).json.days.at(-1).inputTokens).toBeGreaterThanOrEqual(input);
    // gemini-1.5-flash: $0.000075 / 1K in, $0.0003 / 1K out (D-TOK).
    const costs = (await call(sandbox, 'GET', '/api/sdk/v1/costs', { token: ADMIN })).json;
    expect(units(costs.total_cost) - units(before.costs.total_cost)).toBe(input * 750 + output * 3000);
  });

  it('reads from/to, answers 400 for a bad or reversed window, and keeps teams apart', async () => {
    const narrow = await get('/token-usage?from=2026-10-20&to=2026-10-21T00:00:00Z');
    expect(narrow.json.period).toEqual({ from: '2026-10-20T00:00:00.000Z', to: '2026-10-21T00:00:00.000Z' });
    expect((await get('/token-usage/daily?from=2026-10-20&to=2026-10-21T00:00:00Z')).json.days.map((d: { date: string }) => d.date)).toEqual(['2026-10-20', '2026-10-21']);
    expect((await get('/token-usage?from=last-week')).status).toBe(400);
    expect((await get('/token-usage?from=2026-10-21&to=2026-10-20')).status).toBe(400);
    expect((await get('/token-usage/daily?from=2024-01-01')).status).toBe(400);
    const hobby = await call(sandbox, 'GET', `/api/monitoring/teams/${HOBBY_TEAM_ID}/token-usage`, { token: 'sdk_sandbox_hobby' });
    expect(hobby.json.totalInputTokens).toBeLessThan((await get('/token-usage')).json.totalInputTokens);
  });
});

describe('anomalies and drift alerts', () => {
  it('finds a few seeded anomalies of each detector, scored 0-100, newest first', async () => {
    const page = (await get('/anomalies?size=100')).json;
    expect(page.totalElements).toBeGreaterThanOrEqual(4);
    expect(page.totalElements).toBeLessThan(30);
    for (const detector of ['durationSpike', 'tokenOveruse', 'outputSize', 'dataExfiltration']) {
      expect(page.content.some((a: { detectors: Record<string, number> }) => a.detectors[detector]! > 0), detector).toBe(true);
    }
    for (const anomaly of page.content) {
      expect(anomaly.score).toBeGreaterThanOrEqual(50);
      expect(anomaly.score).toBeLessThanOrEqual(100);
      expect(anomaly).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), executionId: expect.any(String), workflowId: expect.any(String), acknowledged: false, reasons: expect.any(Array) });
    }
    const times = page.content.map((a: { createdAt: string }) => a.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const strong = (await get('/anomalies?minScore=85')).json.content;
    expect(strong.every((a: { score: number }) => a.score >= 85)).toBe(true);
    const firstWorkflow = page.content[0].workflowId;
    expect((await get(`/anomalies?workflowId=${firstWorkflow}`)).json.content.every((a: { workflowId: string }) => a.workflowId === firstWorkflow)).toBe(true);
  });

  it('seeds its signals for any seed, also one with few busy workflows (seed 11 once crashed the seeding)', async () => {
    for (const seed of [11, 7]) {
      const other = testSandbox({ seed });
      const anomalies = await call(other, 'GET', `${BASE}/anomalies?size=100`, { token: ADMIN });
      expect(anomalies.status).toBe(200);
      for (const detector of ['durationSpike', 'tokenOveruse', 'outputSize', 'dataExfiltration']) {
        expect(anomalies.json.content.some((a: { detectors: Record<string, number> }) => a.detectors[detector]! > 0), `seed ${seed} ${detector}`).toBe(true);
      }
      expect((await call(other, 'GET', `${BASE}/drift-alerts`, { token: ADMIN })).json.totalElements).toBeGreaterThanOrEqual(3);
    }
  });

  it('finds a few seeded drift alerts of each type against the 30-day baseline', async () => {
    const page = (await get('/drift-alerts?size=50')).json;
    expect(page.totalElements).toBeGreaterThanOrEqual(4);
    expect(new Set(page.content.map((d: { driftType: string }) => d.driftType))).toEqual(new Set(['DURATION', 'TOKEN', 'OUTPUT_SIZE', 'ERROR_RATE']));
    for (const drift of page.content) {
      expect(drift.recentWindow.executionCount).toBeGreaterThanOrEqual(3);
      expect(drift.baselineWindow.executionCount).toBeGreaterThanOrEqual(5);
      expect(drift.recentValue).toBeGreaterThan(drift.baselineValue);
    }
    const tokens = (await get('/drift-alerts?driftType=TOKEN')).json.content;
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((d: { driftType: string }) => d.driftType === 'TOKEN')).toBe(true);
    expect((await get('/drift-alerts?driftType=VIBES')).status).toBe(400);
  });

  it('flags a trace with ten times the usual tokens as token overuse', async () => {
    const usual = Array.from({ length: 5 }, (_, i) => simpleTrace(`tr-${i}`, 'steady-bot', { prompt_tokens: 400 + i * 10, completion_tokens: 100 })).flat();
    await sendBatch(sandbox, usual);
    expect((await get(`/anomalies?workflowId=${sandbox.state.db.sdkAgents.all()[0]!.workflowId}`)).json.totalElements).toBe(0);
    await sendBatch(sandbox, simpleTrace('tr-big', 'steady-bot', { prompt_tokens: 4200, completion_tokens: 1000 }));
    const executionId = sandbox.state.db.executions.all().find((e) => e.sdk?.traceId === 'tr-big')!.id;
    const flagged = (await get('/anomalies?minScore=0&size=1')).json.content[0];
    expect(flagged).toMatchObject({ executionId, workflowName: 'steady-bot', score: 90, detectors: { tokenOveruse: 90, durationSpike: 0, outputSize: 0, dataExfiltration: 0 }, reasons: ['Used 5200 tokens, 9.9× the usual 525.'] });
  });

  it('bulk-acknowledges alerts (BUILDER), filters by acknowledged, and reports unknown ids', async () => {
    const anomaly = (await get('/anomalies?size=1')).json.content[0];
    const drift = (await get('/drift-alerts?size=1')).json.content[0];
    expectSpringError(await call(sandbox, 'POST', `${BASE}/alerts/bulk-acknowledge`, { token: 'sdk_sandbox_viewer', body: { alertIds: [anomaly.id] } }), 403, 'Forbidden', `${BASE}/alerts/bulk-acknowledge`);
    const acked = await call(sandbox, 'POST', `${BASE}/alerts/bulk-acknowledge`, { token: 'sdk_sandbox_builder', body: { alertIds: [anomaly.id, drift.id, 'nope'] } });
    expect(acked.status).toBe(200);
    expect(acked.json).toEqual({ acknowledged: 2, alreadyAcknowledged: 0, notFound: ['nope'] });
    expect((await get('/anomalies?size=1')).json.content[0]).toMatchObject({ id: anomaly.id, acknowledged: true, acknowledgedAt: '2026-11-01T12:00:00.000Z', acknowledgedBy: '00000000-0000-4000-8000-0000000a0001' });
    expect((await get('/anomalies?acknowledged=true')).json.totalElements).toBe(1);
    expect((await get('/drift-alerts?acknowledged=false')).json.content.some((d: { id: string }) => d.id === drift.id)).toBe(false);
    const again = await call(sandbox, 'POST', `${BASE}/alerts/bulk-acknowledge`, { token: ADMIN, body: { alertIds: [anomaly.id], alertType: 'ANOMALY' } });
    expect(again.json).toEqual({ acknowledged: 0, alreadyAcknowledged: 1, notFound: [] });
    expect(sandbox.state.db.auditLogs.filter((e) => e.action === 'ALERTS_ACKNOWLEDGED')).toHaveLength(1);
    expect((await call(sandbox, 'POST', `${BASE}/alerts/bulk-acknowledge`, { token: ADMIN, body: { alertIds: [] } })).status).toBe(400);
  });

  it('binds acknowledged as Spring binds a Boolean (True from Python, 1, yes, off; blank is unset)', async () => {
    const anomaly = (await get('/anomalies?size=1')).json.content[0];
    await call(sandbox, 'POST', `${BASE}/alerts/bulk-acknowledge`, { token: ADMIN, body: { alertIds: [anomaly.id] } });
    const all = (await get('/anomalies')).json.totalElements;
    for (const word of ['true', 'True', 'TRUE', '1', 'yes', 'on', '%20true%20']) {
      expect((await get(`/anomalies?acknowledged=${word}`)).json.totalElements, word).toBe(1);
    }
    for (const word of ['false', 'False', '0', 'no', 'OFF']) {
      expect((await get(`/anomalies?acknowledged=${word}`)).json.totalElements, word).toBe(all - 1);
    }
    expect((await get('/anomalies?acknowledged=')).json.totalElements).toBe(all);
    expect(expectSpringError(await get('/anomalies?acknowledged=maybe'), 400, 'Bad Request', `${BASE}/anomalies`)).toContain("'acknowledged' must be true or false; got 'maybe'");
  });

  it('derives nothing while detection is switched off in the config', async () => {
    await call(sandbox, 'PUT', `${BASE}/config`, { token: ADMIN, body: { anomalyDetectionEnabled: false, driftAlertEnabled: false } });
    expect((await get('/anomalies')).json.totalElements).toBe(0);
    expect((await get('/drift-alerts')).json.totalElements).toBe(0);
  });
});

describe('sentiment, reports, rate limits', () => {
  it('summarises sentiment of chat messages and SDK analyses', async () => {
    const before = (await get('/sentiment')).json;
    expect(before.sources.chat).toBeGreaterThan(0);
    expect(before.totalAnalyzed).toBe(before.positive + before.neutral + before.negative);
    await call(sandbox, 'POST', '/api/sdk/v1/sentiment', { token: ADMIN, body: { text: 'Terrible, the robot crashed twice.' } });
    const after = (await get('/sentiment')).json;
    expect(after).toMatchObject({ totalAnalyzed: before.totalAnalyzed + 1, negative: before.negative + 1, sources: { sdk: 1 } });
    expect(after.daily.at(-1).date).toBe('2026-11-01');
  });

  it('creates (201), lists, updates and deletes (204) scheduled reports as a BUILDER', async () => {
    const created = await call(sandbox, 'POST', `${BASE}/reports`, { token: 'sdk_sandbox_builder', body: { name: 'Weekly spend', frequency: 'WEEKLY', recipients: ['ops@acme.test'] } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Weekly spend', frequency: 'WEEKLY', recipients: ['ops@acme.test'], enabled: true, teamId: ACME_TEAM_ID, nextRunAt: '2026-11-02T06:00:00.000Z' });
    const id = created.json.id;
    expect((await get('/reports')).json).toEqual([created.json]);
    const updated = await call(sandbox, 'PUT', `${BASE}/reports/${id}`, { token: ADMIN, body: { frequency: 'MONTHLY', enabled: false } });
    expect(updated.json).toMatchObject({ name: 'Weekly spend', frequency: 'MONTHLY', enabled: false, nextRunAt: null });
    expect((await call(sandbox, 'POST', `${BASE}/reports`, { token: 'sdk_sandbox_viewer', body: { name: 'x', frequency: 'DAILY', recipients: ['a@b.co'] } })).status).toBe(403);
    expect((await call(sandbox, 'POST', `${BASE}/reports`, { token: ADMIN, body: { name: 'x', frequency: 'HOURLY', recipients: ['a@b.co'] } })).status).toBe(400);
    expect((await call(sandbox, 'DELETE', `${BASE}/reports/${id}`, { token: ADMIN })).status).toBe(204);
    expect((await call(sandbox, 'DELETE', `${BASE}/reports/${id}`, { token: ADMIN })).status).toBe(404);
    expect(sandbox.state.db.auditLogs.all().slice(-3).map((e) => e.action)).toEqual(['REPORT_CREATED', 'REPORT_UPDATED', 'REPORT_DELETED']);
  });

  it("shows each team's current rate-limit window against its plan to an ADMIN", async () => {
    const cookie = await login(sandbox, 'admin@acme.test');
    for (let i = 0; i < 3; i++) await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    const view = await call(sandbox, 'GET', `/api/monitoring/admin/rate-limits?teamId=${ACME_TEAM_ID}`, { cookie });
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ windowStart: '2026-11-01T12:00:00.000Z', windowResetAt: '2026-11-01T12:01:00.000Z', windowSeconds: 60 });
    const hobby = view.json.teams.find((team: { teamId: string }) => team.teamId === HOBBY_TEAM_ID);
    expect(hobby).toMatchObject({ plan: 'FREE', limitPerMinute: 60, requestsThisWindow: 3, callers: [{ kind: 'TOKEN', name: 'sandbox-hobby', requests: 3, remaining: 57, exceeded: false }] });
    const acme = view.json.teams.find((team: { teamId: string }) => team.teamId === ACME_TEAM_ID);
    expect(acme).toMatchObject({ plan: 'BUSINESS', limitPerMinute: 1000, callers: [{ kind: 'USER', name: 'admin@acme.test', requests: 1 }] }); // this request (the login counted by address)
    expect((await call(sandbox, 'GET', '/api/monitoring/admin/rate-limits', { token: 'sdk_sandbox_builder' })).status).toBe(403);
  });
});

describe('health and unserved areas', () => {
  it('keeps /actuator/health UP and answers SCIM with a 404 that says the sandbox does not serve it', async () => {
    expect((await call(sandbox, 'GET', '/actuator/health')).json).toEqual({ status: 'UP' });
    expect((await call(sandbox, 'GET', '/api/scim/v2/Users')).status).toBe(401);
    const scim = await call(sandbox, 'GET', '/api/scim/v2/Users?filter=userName', { token: ADMIN });
    expect(expectSpringError(scim, 404, 'Not Found', '/api/scim/v2/Users')).toMatch(/^The sandbox does not serve SCIM 2\.0 provisioning/);
  });
});
