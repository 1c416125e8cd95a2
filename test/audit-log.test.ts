import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { ADMIN, auditPath, complianceOfficer, entriesOf, verify } from './audit-fixtures.ts';
import { call, expectSpringError, testSandbox, TEST_NOW, type CallResult } from './helpers.ts';

const LIST = auditPath();
const ENTRY_KEYS = ['id', 'teamId', 'userId', 'userName', 'action', 'resourceType', 'resourceId', 'details', 'ipAddress', 'createdAt', 'previousHash', 'hash'];

describe('GET /api/audit/team/:teamId', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
  });

  it('returns a Spring page of 50 entries, newest first, in the documented shape', async () => {
    const page = await call(sandbox, 'GET', LIST, { token: ADMIN });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('application/json');
    const total = entriesOf(sandbox).length;
    expect(page.json).toMatchObject({ totalElements: total, totalPages: Math.ceil(total / 50), number: 0, size: 50 });
    expect(page.json.content).toHaveLength(50);
    expect(Object.keys(page.json.content[0])).toEqual(ENTRY_KEYS);
    const times = page.json.content.map((e: { createdAt: string }) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(page.json.content[0].id).toBe(entriesOf(sandbox).at(-1)!.id);
  });

  it('filters by action, user and an inclusive from/to window', async () => {
    const ada = '00000000-0000-4000-8000-0000000a0001';
    const logins = await call(sandbox, 'GET', `${LIST}?action=USER_LOGIN&userId=${ada}&size=100`, { token: ADMIN });
    expect(logins.status).toBe(200);
    expect(logins.json.totalElements).toBeGreaterThan(0);
    for (const entry of logins.json.content) expect(entry).toMatchObject({ action: 'USER_LOGIN', userId: ada, userName: 'Ada Admin' });
    const one = logins.json.content[0].createdAt;
    const exact = await call(sandbox, 'GET', `${LIST}?action=USER_LOGIN&userId=${ada}&from=${one}&to=${one}`, { token: ADMIN });
    expect(exact.json.content.map((e: { createdAt: string }) => e.createdAt)).toEqual([one]);
    const window = await call(sandbox, 'GET', `${LIST}?from=2026-10-20&to=2026-10-21T00:00:00Z&size=100`, { token: ADMIN });
    expect(window.json.content.length).toBeGreaterThan(0);
    for (const entry of window.json.content) expect(entry.createdAt >= '2026-10-20' && entry.createdAt <= '2026-10-21T00:00:00.000Z').toBe(true);
  });

  it('pages with page and size, and answers an empty page past the last', async () => {
    const second = await call(sandbox, 'GET', `${LIST}?page=1&size=10`, { token: ADMIN });
    expect(second.json.content.map((e: { id: string }) => e.id)).toEqual(
      entriesOf(sandbox).slice(-20, -10).reverse().map((e) => e.id),
    );
    const past = await call(sandbox, 'GET', `${LIST}?page=99`, { token: ADMIN });
    expect(past.status).toBe(200);
    expect(past.json.content).toEqual([]);
  });

  it('returns 400 naming the allowed actions given an unknown action', async () => {
    const bad = await call(sandbox, 'GET', `${LIST}?action=WORKFLOW_EATEN`, { token: ADMIN });
    const message = expectSpringError(bad, 400, 'Bad Request', LIST);
    expect(message).toContain("Query parameter 'action' must be one of WORKFLOW_CREATED, ");
    expect(message).toContain('AUDIT_CHAIN_REBUILT');
    expect(message).toContain("got 'WORKFLOW_EATEN'");
  });

  it('returns 400 given a from that is not ISO-8601 or after to', async () => {
    expect(expectSpringError(await call(sandbox, 'GET', `${LIST}?from=yesterday`, { token: ADMIN }), 400, 'Bad Request', LIST)).toMatch(/'from' must be an ISO-8601/);
    expect(expectSpringError(await call(sandbox, 'GET', `${LIST}?from=2026-10-21&to=2026-10-20`, { token: ADMIN }), 400, 'Bad Request', LIST)).toMatch(/must not be after 'to'/);
  });

  it('returns 401 without credentials, 403 to a BUILDER and 403 for another team', async () => {
    expectSpringError(await call(sandbox, 'GET', LIST), 401, 'Unauthorized', LIST);
    expectSpringError(await call(sandbox, 'GET', LIST, { token: 'sdk_sandbox_builder' }), 403, 'Forbidden', LIST);
    expectSpringError(await call(sandbox, 'GET', auditPath(HOBBY_TEAM_ID), { token: ADMIN }), 403, 'Forbidden', auditPath(HOBBY_TEAM_ID));
  });

  it('lets a COMPLIANCE_OFFICER read the log and verify the chain but not rebuild it', async () => {
    const own = testSandbox();
    const { cookie } = await complianceOfficer(own);
    expect((await call(own, 'GET', LIST, { cookie })).status).toBe(200);
    expect((await call(own, 'GET', `${LIST}/verify`, { cookie })).status).toBe(200);
    expectSpringError(await call(own, 'POST', `${LIST}/rebuild-chain`, { cookie }), 403, 'Forbidden', `${LIST}/rebuild-chain`);
  });
});

describe('GET /api/audit/team/:teamId/verify', () => {
  it('answers valid with the count and the first and last entry of an intact chain', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const entries = entriesOf(sandbox);
    const answer = await verify(sandbox);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      valid: true,
      entriesVerified: entries.length,
      firstEntry: { id: entries[0]!.id, createdAt: entries[0]!.createdAt },
      lastEntry: { id: entries.at(-1)!.id, createdAt: entries.at(-1)!.createdAt },
      verifiedAt: TEST_NOW,
    });
  });

  it('answers valid with no entries for a team without history (empty data set)', async () => {
    const sandbox = testSandbox({ scenarios: ['empty'] });
    const answer = await verify(sandbox);
    expect(answer.json).toEqual({ valid: true, entriesVerified: 0, firstEntry: null, lastEntry: null, verifiedAt: TEST_NOW });
  });

  it('answers 200 with valid false at the tampered entry after POST /__sandbox/audit/tamper', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const entries = entriesOf(sandbox);
    const middle = entries[Math.floor(entries.length / 2)]!;
    const tamper = await call(sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: ACME_TEAM_ID } });
    expect(tamper.status).toBe(200);
    expect(tamper.json).toEqual({
      namespace: 'default',
      teamId: ACME_TEAM_ID,
      entryId: middle.id,
      action: middle.action,
      createdAt: middle.createdAt,
      index: Math.floor(entries.length / 2),
      field: 'details',
      before: middle.details,
      after: { ...middle.details, tampered: true },
    });
    const answer = await verify(sandbox);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      valid: false,
      entriesVerified: Math.floor(entries.length / 2),
      brokenAtTimestamp: middle.createdAt,
      brokenEntryId: middle.id,
      verifiedAt: TEST_NOW,
    });
    expect((await verify(sandbox, HOBBY_TEAM_ID, 'sdk_sandbox_hobby')).json.valid).toBe(true);
  });
});

/** Asserts a control-plane error: the Spring body with request id `control`. @returns the message */
function controlError(response: CallResult, status: number, error: string): string {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.json).toEqual({ status, error, message: expect.any(String), timestamp: TEST_NOW, path: '/__sandbox/audit/tamper', requestId: 'control' });
  return response.json.message;
}

describe('POST /__sandbox/audit/tamper', () => {
  it('changes the entry named by entryId, again on a second call', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const first = entriesOf(sandbox, HOBBY_TEAM_ID)[0]!;
    const once = await call(sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: HOBBY_TEAM_ID, entryId: first.id } });
    expect(once.json).toMatchObject({ entryId: first.id, index: 0 });
    const twice = await call(sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: HOBBY_TEAM_ID, entryId: first.id } });
    expect(twice.json.after).toEqual({ ...first.details, tampered: true, tamperedAgain: 1 });
    expect((await verify(sandbox, HOBBY_TEAM_ID, 'sdk_sandbox_hobby')).json).toMatchObject({ valid: false, entriesVerified: 0, brokenEntryId: first.id });
  });

  it('returns 404 for an unknown team or entry, and 400 for a missing teamId or an unknown field', async () => {
    const sandbox = testSandbox();
    const path = '/__sandbox/audit/tamper';
    expect(controlError(await call(sandbox, 'POST', path, { body: { teamId: 'nope' } }), 404, 'Not Found')).toMatch(/No team nope/);
    expect(controlError(await call(sandbox, 'POST', path, { body: { teamId: ACME_TEAM_ID, entryId: 'nope' } }), 404, 'Not Found')).toMatch(/No audit entry nope/);
    expect(controlError(await call(sandbox, 'POST', path, { body: {} }), 400, 'Bad Request')).toMatch(/teamId is required/);
    expect(controlError(await call(sandbox, 'POST', path, { body: { teamId: ACME_TEAM_ID, entry: 'x' } }), 400, 'Bad Request')).toMatch(/entry/);
  });

  it('returns 404 for a team without entries (empty data set)', async () => {
    const sandbox = testSandbox({ scenarios: ['empty'] });
    const path = '/__sandbox/audit/tamper';
    expect(controlError(await call(sandbox, 'POST', path, { body: { teamId: ACME_TEAM_ID } }), 404, 'Not Found')).toMatch(/no audit entries/);
  });
});

describe('POST /api/audit/team/:teamId/rebuild-chain', () => {
  it('repairs a tampered chain and records AUDIT_CHAIN_REBUILT after it', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const entries = entriesOf(sandbox);
    await call(sandbox, 'POST', '/__sandbox/audit/tamper', { body: { teamId: ACME_TEAM_ID } });
    const rebuilt = await call(sandbox, 'POST', `${LIST}/rebuild-chain`, { token: ADMIN });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.json).toEqual({
      message: 'Audit chain rebuilt',
      teamId: ACME_TEAM_ID,
      entriesRebuilt: entries.length,
      entriesRepaired: entries.length - Math.floor(entries.length / 2),
      rebuiltAt: TEST_NOW,
    });
    const after = entriesOf(sandbox);
    expect(after).toHaveLength(entries.length + 1);
    expect(after.at(-1)).toMatchObject({ action: 'AUDIT_CHAIN_REBUILT', resourceType: 'AUDIT', resourceId: ACME_TEAM_ID, userName: 'Ada Admin', details: { entriesRebuilt: entries.length } });
    expect((await verify(sandbox)).json).toMatchObject({ valid: true, entriesVerified: entries.length + 1, lastEntry: { id: after.at(-1)!.id } });
  });

  it('changes no hash of an intact chain', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const rebuilt = await call(sandbox, 'POST', `${LIST}/rebuild-chain`, { token: ADMIN });
    expect(rebuilt.json.entriesRepaired).toBe(0);
  });

  it('returns 403 to a VIEWER token and records nothing', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const before = entriesOf(sandbox).length;
    expectSpringError(await call(sandbox, 'POST', `${LIST}/rebuild-chain`, { token: 'sdk_sandbox_viewer' }), 403, 'Forbidden', `${LIST}/rebuild-chain`);
    expect(entriesOf(sandbox)).toHaveLength(before);
  });
});
