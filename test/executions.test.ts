import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login, testSandbox } from './helpers.ts';
import { ACME_NEWEST_FIRST, ADMIN, at, execution, HOUR, ids, parseCsv, SEC, sandboxWith } from './execution-fixtures.ts';

describe('GET /api/executions and /api/executions/team/:teamId', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await sandboxWith();
  });

  it('returns the team page newest first (createdAt desc, then id desc) as JSON', async () => {
    const res = await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`, { token: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(ids(res.json)).toEqual(ACME_NEWEST_FIRST);
    expect(res.json).toMatchObject({ totalElements: 6, totalPages: 1, number: 0, size: 20 });
    expect(res.json.content[1]).toEqual({
      id: 'ex-d-running', workflowId: 'wf-1', workflowName: 'Order sync', status: 'RUNNING', startedAt: at(-9 * SEC),
      finishedAt: null, durationMs: 9 * SEC, triggerType: 'WEBHOOK', nodeCount: 2, errorMessage: null,
    });
  });

  it('answers both list paths with the same page for the same filters', async () => {
    const q = 'status=SUCCESS&workflowId=wf-1&page=0&size=1';
    const sdk = await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&${q}`, { token: ADMIN });
    const team = await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}?${q}`, { token: ADMIN });
    const noTeamId = await call(sandbox, 'GET', `/api/executions?${q}`, { token: ADMIN });
    expect(sdk.status).toBe(200);
    expect(team.text).toBe(sdk.text);
    expect(noTeamId.text).toBe(sdk.text);
    expect(sdk.json).toMatchObject({ content: [{ id: 'ex-b2-success' }], totalElements: 2, totalPages: 2, size: 1 });
  });

  it.each([
    ['status=PENDING', ['ex-e-pending']],
    ['status=RUNNING', ['ex-d-running']],
    ['status=SUCCESS', ['ex-b2-success', 'ex-b-success']],
    ['status=FAILED', ['ex-c-failed']],
    ['status=CANCELLED', ['ex-a-cancelled']],
    ['status=', ACME_NEWEST_FIRST],
    ['workflowId=wf-2', ['ex-c-failed', 'ex-a-cancelled']],
    ['workflowId=wf-h', []],
    [`from=${at(-150 * 60_000)}`, ['ex-e-pending', 'ex-d-running', 'ex-c-failed']],
    // ex-e-pending starts at +5 s: until then the window bounds its createdAt (-1 s).
    [`to=${at(0)}`, ACME_NEWEST_FIRST],
    [`to=${at(-HOUR)}`, ['ex-c-failed', 'ex-b2-success', 'ex-b-success', 'ex-a-cancelled']],
    [`from=${at(-150 * 60_000)}&to=${at(-HOUR)}&status=FAILED`, ['ex-c-failed']],
    ['from=2026-11-01T10:00:00.100000001Z', ['ex-e-pending', 'ex-d-running']],
    ['from=2026-11-01T10:00:00.1000Z&to=2026-11-01T12:00:00.100%2B02:00', ['ex-c-failed']],
    ['from=2026-11-01T10:00:00.1000001Z&to=2026-11-01T10:00:00.1000002Z', []],
    ['from=2026-11-01', ['ex-e-pending', 'ex-d-running', 'ex-c-failed', 'ex-b2-success', 'ex-b-success']],
  ])('filters by %s', async (query, expected) => {
    const res = await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}?${query}`, { token: ADMIN });
    expect(res.status).toBe(200);
    expect(ids(res.json)).toEqual(expected);
    expect(res.json.totalElements).toBe(expected.length);
  });

  it('pages with 0-based page and size', async () => {
    const res = await call(sandbox, 'GET', `/api/executions?page=1&size=2`, { token: ADMIN });
    expect(res.json).toEqual(expect.objectContaining({ totalElements: 6, totalPages: 3, number: 1, size: 2 }));
    expect(ids(res.json)).toEqual(['ex-c-failed', 'ex-b2-success']);
    const past = await call(sandbox, 'GET', `/api/executions?page=9&size=2`, { token: ADMIN });
    expect(past.json).toMatchObject({ content: [], totalElements: 6, number: 9 });
  });

  it('derives status from the clock: RUNNING and PENDING become SUCCESS once their time is up', async () => {
    sandbox.clock.advance(60 * SEC);
    const running = await call(sandbox, 'GET', `/api/executions?status=RUNNING`, { token: ADMIN });
    expect(running.json.content).toEqual([]);
    const success = await call(sandbox, 'GET', `/api/executions?status=SUCCESS`, { token: ADMIN });
    expect(ids(success.json)).toEqual(['ex-e-pending', 'ex-d-running', 'ex-b2-success', 'ex-b-success']);
    expect(success.json.content[1]).toMatchObject({ finishedAt: at(51 * SEC), durationMs: 60 * SEC });
  });

  it.each([
    ['status=DONE', "Query parameter 'status' must be one of PENDING, RUNNING, SUCCESS, FAILED, CANCELLED; got 'DONE'."],
    ['status=success', "Query parameter 'status' must be one of PENDING, RUNNING, SUCCESS, FAILED, CANCELLED; got 'success'."],
    ['from=yesterday', "Query parameter 'from' must be an ISO-8601 date-time such as 2026-02-17T10:30:00.000Z"],
    ['to=2026-02-30T00:00:00Z', "Query parameter 'to' must be an ISO-8601 date-time"],
    [`from=${at(0)}&to=${at(-1)}`, "Query parameter 'from' (2026-11-01T12:00:00.000Z) must not be after 'to' (2026-11-01T11:59:59.999Z)."],
  ])('answers 400 given %s', async (query, message) => {
    for (const path of [`/api/executions?${query}`, `/api/executions/team/${ACME_TEAM_ID}?${query}`]) {
      const res = await call(sandbox, 'GET', path, { token: ADMIN });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ status: 400, error: 'Bad Request', path: path.split('?')[0] });
      expect(res.json.message).toContain(message);
    }
  });

  it('answers 400 for a cookie login without teamId, and 200 with it', async () => {
    const cookie = await login(sandbox, 'viewer@acme.test');
    const res = await call(sandbox, 'GET', '/api/executions?page=0&size=20', { cookie });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe('teamId is required: add the query parameter ?teamId=<team id> (GET /api/auth/me lists your teams).');
    const ok = await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}`, { cookie });
    expect(ok.status).toBe(200);
    expect(ids(ok.json)).toEqual(ACME_NEWEST_FIRST);
  });

  it("answers 403 when an Acme token names Hobby's team, and shows Hobby's token only its own", async () => {
    for (const path of [`/api/executions?teamId=${HOBBY_TEAM_ID}`, `/api/executions/team/${HOBBY_TEAM_ID}`, `/api/executions/team/${HOBBY_TEAM_ID}/export`]) {
      const res = await call(sandbox, 'GET', path, { token: ADMIN });
      expect(res.status).toBe(403);
      expect(res.json.message).toBe(`This SDK token belongs to team ${ACME_TEAM_ID} and cannot act on team ${HOBBY_TEAM_ID}.`);
    }
    const hobby = await call(sandbox, 'GET', '/api/executions', { token: 'sdk_sandbox_hobby' });
    expect(ids(hobby.json)).toEqual(['ex-h-hobby']);
  });

  it('answers 401 without credentials', async () => {
    const res = await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}`);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('Unauthorized');
  });
});

describe('size cap and the seeded history', () => {
  it('clamps size to 100, and the export still has every row', async () => {
    const many = Array.from({ length: 120 }, (_, i) => execution(`ex-many-${String(i).padStart(3, '0')}`, -i * 60_000));
    const sandbox = await sandboxWith(many);
    const res = await call(sandbox, 'GET', '/api/executions?size=500', { token: ADMIN });
    expect(res.json).toMatchObject({ totalElements: 120, totalPages: 2, number: 0, size: 100 });
    expect(res.json.content).toHaveLength(100);
    expect(res.json.content[0].id).toBe('ex-many-000');
    const csv = await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export?size=5`, { token: ADMIN });
    expect(parseCsv(csv.text)).toHaveLength(121);
  });

  it("lists every seeded Acme execution newest first (guarded: the seed may have none yet)", async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const seeded = sandbox.state.db.executions.filter((r) => r.teamId === ACME_TEAM_ID);
    const res = await call(sandbox, 'GET', '/api/executions?size=100', { token: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json.totalElements).toBe(seeded.length);
    const created = res.json.content.map((s: { id: string }) => sandbox.state.db.executions.get(s.id)!.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });
});
