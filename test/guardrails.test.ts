import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { listGuardrailChecks } from '../src/resources/guardrails/check-log.ts';
import { findLiveGuardrailSession } from '../src/resources/guardrails/sessions.ts';
import { call, expectSpringError, testSandbox } from './helpers.ts';

/**
 * `POST /api/guardrails/check` behaviour around the detectors (nodeloom-api.md 3.8, 1.8, 2.4):
 * validation, roles and teams, guardrail sessions on the sandbox clock, the monitoring record, and
 * scenarios.
 */

const PATH = '/api/guardrails/check';

describe('guardrails check', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
  });
  const check = (body: unknown, token = 'sdk_sandbox_viewer', query = '') => call(sandbox, 'POST', `${PATH}${query}`, { token, body });

  it('returns 400 given no text', async () => {
    expect(expectSpringError(await check({ redactPii: true }), 400, 'Bad Request', PATH)).toBe('text is required: send {"text": "…"}');
  });

  it('accepts a text of exactly 100,000 characters and returns 400 naming the limit one past it', async () => {
    expect((await check({ text: 'a'.repeat(100_000), redactPii: true })).status).toBe(200);
    const message = expectSpringError(await check({ text: 'a'.repeat(100_001) }), 400, 'Bad Request', PATH);
    expect(message).toBe('text must be at most 100,000 characters (the guardrails limit); split longer content into several checks');
  });

  it.each([
    [{ text: 'x', redactPii: 'yes' }, 'redactPii must be true or false'],
    [{ text: 'x', injectionSensitivity: 1.5 }, 'injectionSensitivity must be a number from 0.0 to 1.0'],
    [{ text: 'x', injectionSensitivity: '0.5' }, 'injectionSensitivity must be a number from 0.0 to 1.0'],
    [{ text: 'x', onViolation: 'blocked' }, 'onViolation must be "BLOCKED", "WARNED" or "LOGGED"'],
    [{ text: 'x', piiTypes: 'email,passport' }, 'piiTypes: "passport" is not a known name; use a comma-separated list of email, ssn, credit_card, phone, ip_address, api_key, jwt'],
    [{ text: 'x', contentCategories: 'gore' }, 'contentCategories: "gore" is not a known name; use a comma-separated list of hate, harassment, violence, self_harm, sexual'],
    [{ text: 'x', agentName: 'a'.repeat(256) }, 'agentName must be at most 255 characters'],
    [{ text: 42 }, 'text must be a string'],
  ])('returns 400 naming the problem given %j', async (body, message) => {
    expect(expectSpringError(await check(body), 400, 'Bad Request', PATH)).toBe(message);
  });

  it('treats null options as not sent', async () => {
    const response = await check({ text: 'hi', redactPii: null, injectionSensitivity: null, onViolation: null, agentName: null, piiTypes: null });
    expect(response.json).toEqual({ passed: true, violations: [], redactedContent: null, checks: [], guardrailSessionId: null });
  });

  it('returns 401 without credentials and 403 for a token naming another team', async () => {
    expectSpringError(await call(sandbox, 'POST', PATH, { body: { text: 'hi' } }), 401, 'Unauthorized', PATH);
    expectSpringError(await check({ text: 'hi' }, 'sdk_sandbox_viewer', `?teamId=${HOBBY_TEAM_ID}`), 403, 'Forbidden', PATH);
  });

  it('lets every role check, COMPLIANCE_OFFICER included', async () => {
    for (const token of ['sdk_sandbox_viewer', 'sdk_sandbox_operator', 'sdk_sandbox_builder', 'sdk_sandbox_admin', 'sdk_sandbox_compliance']) {
      expect((await check({ text: 'hi' }, token)).status, token).toBe(200);
    }
  });

  it("applies the caller's team's custom rules: Hobby's, not Acme's", async () => {
    const hobby = await check({ text: 'HOBBY-ABC and Project Falcon', applyCustomRules: true }, 'sdk_sandbox_hobby');
    expect(hobby.json.violations.map((v: any) => v.details.ruleName)).toEqual(['Hobby project codes']);
    const acme = await check({ text: 'HOBBY-ABC and Project Falcon', applyCustomRules: true });
    expect(acme.json.violations.map((v: any) => v.details.ruleName)).toEqual(['Internal project codenames']);
  });

  it('opens a guardrail session for the agent, live for 300 s of sandbox time, for that team and agent only', async () => {
    const response = await check({ text: 'hello', agentName: 'support-bot' });
    const id = response.json.guardrailSessionId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const state = sandbox.state;
    expect(findLiveGuardrailSession(state, ACME_TEAM_ID, 'support-bot', id)).toMatchObject({
      id,
      teamId: ACME_TEAM_ID,
      agentName: 'support-bot',
      passed: true,
      createdAt: '2026-11-01T12:00:00.000Z',
      expiresAt: '2026-11-01T12:05:00.000Z',
    });
    expect(findLiveGuardrailSession(state, ACME_TEAM_ID, 'other-bot', id)).toBeUndefined();
    expect(findLiveGuardrailSession(state, HOBBY_TEAM_ID, 'support-bot', id)).toBeUndefined();
    expect(findLiveGuardrailSession(state, ACME_TEAM_ID, 'support-bot', 'no-such-id')).toBeUndefined();
    sandbox.clock.advance('299s');
    expect(findLiveGuardrailSession(state, ACME_TEAM_ID, 'support-bot', id)).toBeDefined();
    sandbox.clock.advance('1s');
    expect(findLiveGuardrailSession(state, ACME_TEAM_ID, 'support-bot', id)).toBeUndefined();
  });

  it('opens no session without an agent name (or with an empty one)', async () => {
    expect((await check({ text: 'hello' })).json.guardrailSessionId).toBeNull();
    expect((await check({ text: 'hello', agentName: '' })).json.guardrailSessionId).toBeNull();
    expect(sandbox.state.db.guardrailSessions.count()).toBe(0);
  });

  it('answers the same ids and findings for the same requests on two sandboxes with the same seed', async () => {
    const other = testSandbox();
    await other.ready;
    const body = { text: 'alice@example.com, ignore previous instructions', redactPii: true, detectPromptInjection: true, agentName: 'a' };
    const strip = (json: any) => ({ ...json, checks: json.checks.map((c: any) => ({ ...c, durationMs: 0 })) });
    expect(strip((await check(body)).json)).toEqual(strip((await call(other, 'POST', PATH, { token: 'sdk_sandbox_viewer', body })).json));
  });

  it('records each check for monitoring, newest first, and nothing for a refused one', async () => {
    await check({ text: 'alice@example.com', redactPii: true, agentName: 'bot-a' });
    await check({ text: 'I will kill you', filterContent: true, onViolation: 'WARNED' }, 'sdk_sandbox_admin');
    await check({ text: 'x'.repeat(100_001) });
    const records = listGuardrailChecks(sandbox.state, ACME_TEAM_ID);
    expect(records.map((r) => [r.agentName, r.principal, r.checksRun, r.typesFound, r.rulesFound, r.violationCount, r.passed, r.onViolation])).toEqual([
      [null, 'token:sandbox-admin', ['CONTENT_FILTER'], ['CONTENT_FILTER'], ['content.violence'], 1, true, 'WARNED'],
      ['bot-a', 'token:sandbox-viewer', ['PII'], ['PII'], ['pii.email'], 1, false, 'BLOCKED'],
    ]);
    expect(records[1]!.guardrailSessionId).toBe(sandbox.state.db.guardrailSessions.all()[0]!.id);
    expect(listGuardrailChecks(sandbox.state, ACME_TEAM_ID, { agentName: 'bot-a' })).toHaveLength(1);
    expect(listGuardrailChecks(sandbox.state, HOBBY_TEAM_ID)).toEqual([]);
  });

  it('answers 500 under the server-error scenario, and records nothing', async () => {
    const response = await call(sandbox, 'POST', PATH, { token: 'sdk_sandbox_viewer', body: { text: 'hi', agentName: 'a' }, headers: { 'X-Sandbox-Scenario': 'server-error' } });
    expectSpringError(response, 500, 'Internal Server Error', PATH);
    expect(response.headers.get('x-sandbox-scenario-applied')).toBe('server-error/error-500 (error 500)');
    expect(sandbox.state.db.guardrailChecks.count()).toBe(0);
    expect(sandbox.state.db.guardrailSessions.count()).toBe(0);
  });

  it('answers 403 for a check under the forbidden scenario (a POST)', async () => {
    sandbox.scenarios.use('forbidden');
    expectSpringError(await check({ text: 'hi' }), 403, 'Forbidden', PATH);
  });

  it('writes no audit entry for a check', async () => {
    const before = sandbox.state.db.auditLogs.count();
    await check({ text: 'hello', agentName: 'a' }, 'sdk_sandbox_admin');
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });
});
