import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { ADMIN, auditPath, complianceOfficer, entriesOf } from './audit-fixtures.ts';
import { call, expectSpringError, testSandbox, TEST_NOW } from './helpers.ts';

const RETENTION = `${auditPath()}/retention`;
const SIEM = `${auditPath()}/siem`;
const SIEM_TEST = `${SIEM}/test`;
const SPLUNK = { enabled: true, provider: 'SPLUNK', url: 'https://splunk.acme.test:8088/services/collector', token: 'hec-0f1e2d3c4b5a69788796a5b4' };

describe('GET/PUT /api/audit/team/:teamId/retention', () => {
  it('answers the default of 365 days before any change', async () => {
    const sandbox = testSandbox();
    const answer = await call(sandbox, 'GET', RETENTION, { token: ADMIN });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ teamId: ACME_TEAM_ID, retentionDays: 365, updatedAt: null });
  });

  it('stores a new retention, answers it and records AUDIT_RETENTION_UPDATED', async () => {
    const sandbox = testSandbox();
    const put = await call(sandbox, 'PUT', RETENTION, { token: ADMIN, body: { retentionDays: 2555 } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ teamId: ACME_TEAM_ID, retentionDays: 2555, updatedAt: TEST_NOW });
    expect((await call(sandbox, 'GET', RETENTION, { token: ADMIN })).json.retentionDays).toBe(2555);
    expect(entriesOf(sandbox).at(-1)).toMatchObject({ action: 'AUDIT_RETENTION_UPDATED', resourceType: 'AUDIT', resourceId: ACME_TEAM_ID, details: { retentionDays: 2555, previousRetentionDays: 365 } });
    expect((await call(sandbox, 'GET', `${auditPath(HOBBY_TEAM_ID)}/retention`, { token: 'sdk_sandbox_hobby' })).json.retentionDays).toBe(365);
  });

  it.each([[29], [3651], [90.5], ['90'], [null]])('returns 400 naming the range given retentionDays %j', async (retentionDays) => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const before = sandbox.state.db.auditLogs.count();
    const message = expectSpringError(await call(sandbox, 'PUT', RETENTION, { token: ADMIN, body: { retentionDays } }), 400, 'Bad Request', RETENTION);
    expect(message).toBe('retentionDays must be a whole number of days from 30 to 3650 (10 years), e.g. {"retentionDays": 365}.');
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });

  it('returns 403 to a COMPLIANCE_OFFICER changing it, who can read it', async () => {
    const sandbox = testSandbox();
    const { cookie } = await complianceOfficer(sandbox);
    expect((await call(sandbox, 'GET', RETENTION, { cookie })).status).toBe(200);
    expectSpringError(await call(sandbox, 'PUT', RETENTION, { cookie, body: { retentionDays: 400 } }), 403, 'Forbidden', RETENTION);
  });
});

describe('GET/PUT /api/audit/team/:teamId/siem', () => {
  it('answers an unconfigured destination before any change', async () => {
    const answer = await call(testSandbox(), 'GET', SIEM, { token: ADMIN });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ teamId: ACME_TEAM_ID, enabled: false, provider: null, url: null, tokenSet: false, tokenPreview: null, updatedAt: null });
  });

  it('stores the settings and never shows the token, only that it is set and a masked preview', async () => {
    const sandbox = testSandbox();
    const put = await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: SPLUNK });
    expect(put.status).toBe(200);
    const expected = { teamId: ACME_TEAM_ID, enabled: true, provider: 'SPLUNK', url: SPLUNK.url, tokenSet: true, tokenPreview: 'hec-...a5b4', updatedAt: TEST_NOW };
    expect(put.json).toEqual(expected);
    const get = await call(sandbox, 'GET', SIEM, { token: ADMIN });
    expect(get.json).toEqual(expected);
    expect(get.text).not.toContain(SPLUNK.token);
    const entry = entriesOf(sandbox).at(-1)!;
    expect(entry).toMatchObject({ action: 'AUDIT_SIEM_UPDATED', details: { enabled: true, provider: 'SPLUNK', url: SPLUNK.url, tokenChanged: true } });
    expect(JSON.stringify(entry)).not.toContain(SPLUNK.token);
  });

  it('keeps the stored token when the body leaves it out and removes it given null', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: SPLUNK });
    const { token: _token, ...withoutToken } = SPLUNK;
    const kept = await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: { ...withoutToken, enabled: false } });
    expect(kept.json).toMatchObject({ enabled: false, tokenSet: true, tokenPreview: 'hec-...a5b4' });
    const removed = await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: { ...SPLUNK, token: null } });
    expect(removed.json).toMatchObject({ tokenSet: false, tokenPreview: null });
  });

  it('returns 400 naming the field given an unknown provider, a URL that is not http(s) or a missing enabled', async () => {
    const sandbox = testSandbox();
    const bad = async (body: unknown) => expectSpringError(await call(sandbox, 'PUT', SIEM, { token: ADMIN, body }), 400, 'Bad Request', SIEM);
    expect(await bad({ ...SPLUNK, provider: 'SUMO' })).toBe('provider must be one of SPLUNK, DATADOG, ELASTICSEARCH, WEBHOOK.');
    expect(await bad({ ...SPLUNK, url: 'ftp://logs.acme.test' })).toMatch(/^url must be an absolute http\(s\) URL/);
    expect(await bad({ ...SPLUNK, url: 'not a url' })).toMatch(/^url must be an absolute http\(s\) URL/);
    expect(await bad({ provider: 'SPLUNK', url: SPLUNK.url })).toBe('enabled must be true or false.');
    expect(await bad({ ...SPLUNK, token: '' })).toMatch(/^token must not be empty/);
  });

  it('returns 403 to a BUILDER and to another team\'s admin', async () => {
    const sandbox = testSandbox();
    expectSpringError(await call(sandbox, 'GET', SIEM, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', SIEM);
    expectSpringError(await call(sandbox, 'PUT', SIEM, { token: 'sdk_sandbox_hobby', body: SPLUNK }), 403, 'Forbidden', SIEM);
  });
});

describe('POST /api/audit/team/:teamId/siem/test', () => {
  const tested = async (settings: Record<string, unknown>) => {
    const sandbox = testSandbox();
    expect((await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: settings })).status).toBe(200);
    const answer = await call(sandbox, 'POST', SIEM_TEST, { token: ADMIN });
    expect(answer.status).toBe(200);
    return { answer, sandbox };
  };

  it('answers a successful delivery without any network call and records AUDIT_SIEM_TESTED', async () => {
    const { answer, sandbox } = await tested(SPLUNK);
    expect(answer.json).toEqual({ success: true, statusCode: 200, message: 'Test event delivered to Splunk HEC at splunk.acme.test.', testedAt: TEST_NOW });
    expect(entriesOf(sandbox).at(-1)).toMatchObject({ action: 'AUDIT_SIEM_TESTED', details: { provider: 'SPLUNK', success: true, statusCode: 200 } });
  });

  it('answers 202 for Datadog, whose Logs API accepts with 202', async () => {
    const { answer } = await tested({ enabled: true, provider: 'DATADOG', url: 'https://http-intake.logs.datadoghq.eu/api/v2/logs', token: 'dd-api-key-0123456789abcdef' });
    expect(answer.json).toMatchObject({ success: true, statusCode: 202 });
  });

  it('fails with 502 when the URL host contains "invalid", even with export disabled', async () => {
    const { answer } = await tested({ enabled: false, provider: 'WEBHOOK', url: 'https://siem.invalid/hook' });
    expect(answer.json).toEqual({ success: false, statusCode: 502, message: expect.stringMatching(/^Could not deliver the test event to siem\.invalid/), testedAt: TEST_NOW });
  });

  it('fails with 401 for Splunk without a token and 403 for Datadog with a token containing "invalid"', async () => {
    const { token: _token, ...noToken } = SPLUNK;
    expect((await tested(noToken)).answer.json).toMatchObject({ success: false, statusCode: 401, message: expect.stringMatching(/no token is set/) });
    const datadog = { enabled: true, provider: 'DATADOG', url: 'https://http-intake.logs.datadoghq.com/api/v2/logs', token: 'invalid-key' };
    expect((await tested(datadog)).answer.json).toMatchObject({ success: false, statusCode: 403, message: expect.stringMatching(/rejected the token/) });
  });

  it('returns 409 before any destination is saved, and records nothing', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const before = sandbox.state.db.auditLogs.count();
    expect(expectSpringError(await call(sandbox, 'POST', SIEM_TEST, { token: ADMIN }), 409, 'Conflict', SIEM_TEST)).toMatch(/PUT \/api\/audit\/team\/.*\/siem/);
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });

  it('fails as a scenario rule says (502 on POST /api/audit/team/*/siem/test) and records nothing', async () => {
    const sandbox = testSandbox({
      scenarios: [{ name: 'siem-down', description: 'The SIEM test call fails', rules: [{ when: 'POST /api/audit/team/*/siem/test', effect: { type: 'error', status: 502 } }] }],
    });
    expect((await call(sandbox, 'PUT', SIEM, { token: ADMIN, body: SPLUNK })).status).toBe(200);
    const before = sandbox.state.db.auditLogs.count();
    const failed = await call(sandbox, 'POST', SIEM_TEST, { token: ADMIN });
    expectSpringError(failed, 502, 'Bad Gateway', SIEM_TEST);
    expect(failed.headers.get('x-sandbox-scenario-applied')).toMatch(/^siem-down/);
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
  });
});
