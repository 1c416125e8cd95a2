import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, login } from './helpers.ts';
import { ACME_NEWEST_FIRST, ADMIN, at, execution, HOUR, parseCsv, QUOTED_NAME, SEC, sandboxWith } from './execution-fixtures.ts';

const TEST_ISO = at(0); // the frozen test clock
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await sandboxWith();
});

describe('GET /api/executions/:id', () => {
  it('returns the ExecutionDetail with both documented shapes and nodeExecutions', async () => {
    const res = await call(sandbox, 'GET', '/api/executions/ex-b-success', { token: 'sdk_sandbox_viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const started = -3 * HOUR + 100;
    expect(res.json).toEqual({
      // v1 fields
      id: 'ex-b-success', workflowId: 'wf-1', workflowName: 'Order sync', status: 'SUCCESS', triggerType: 'WEBHOOK',
      startedAt: at(started), finishedAt: at(started + 4000), durationMs: 4000, nodeCount: 2, errorMessage: null,
      // v2 fields
      workflowVersion: 3, trigger: 'WEBHOOK', inputData: { orderId: 42 }, outputData: { synced: true }, createdAt: at(-3 * HOUR),
      nodeExecutions: [
        { nodeId: 'n1', nodeName: 'Webhook Trigger', nodeType: 'WEBHOOK_TRIGGER', status: 'SUCCESS', startedAt: at(started),
          finishedAt: at(started + 10), durationMs: 10, input: {}, output: { orderId: 42 }, errorMessage: null },
        { nodeId: 'n2', nodeName: 'HTTP Request', nodeType: 'HTTP_REQUEST', status: 'SUCCESS', startedAt: at(started + 10),
          finishedAt: at(started + 4000), durationMs: 3990, input: { orderId: 42 }, output: { status: 200 }, errorMessage: null },
      ],
    });
  });

  it('shows a running execution node by node, and its outcome once the clock passes its end', async () => {
    const running = await call(sandbox, 'GET', '/api/executions/ex-d-running', { token: ADMIN });
    expect(running.json).toMatchObject({ status: 'RUNNING', finishedAt: null, outputData: null });
    expect(running.json.nodeExecutions.map((n: { status: string }) => n.status)).toEqual(['SUCCESS', 'RUNNING']);
    sandbox.clock.advance(60 * SEC);
    const done = await call(sandbox, 'GET', '/api/executions/ex-d-running', { token: ADMIN });
    expect(done.json).toMatchObject({ status: 'SUCCESS', finishedAt: at(51 * SEC), durationMs: 60 * SEC, outputData: { synced: true } });
    expect(done.json.nodeExecutions.map((n: { status: string }) => n.status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('shows the error of a failed execution on it and on its failed node', async () => {
    const res = await call(sandbox, 'GET', '/api/executions/ex-c-failed', { token: ADMIN });
    expect(res.json).toMatchObject({ status: 'FAILED', errorMessage: 'Upstream said "no",\nretry later', outputData: null });
    expect(res.json.nodeExecutions[1]).toMatchObject({ status: 'FAILED', errorMessage: 'Upstream said "no",\nretry later', output: null });
  });

  it("answers 404 for Hobby's execution read by an Acme token, and for an unknown id", async () => {
    for (const id of ['ex-h-hobby', 'no-such-execution']) {
      const res = await call(sandbox, 'GET', `/api/executions/${id}`, { token: ADMIN });
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ status: 404, error: 'Not Found', message: `Execution ${id} not found.`, path: `/api/executions/${id}` });
    }
    expect((await call(sandbox, 'GET', '/api/executions/ex-h-hobby', { token: 'sdk_sandbox_hobby' })).status).toBe(200);
  });
});

describe('POST /api/executions/:id/cancel', () => {
  it('cancels a running execution (200, CANCELLED), then answers 409', async () => {
    const res = await call(sandbox, 'POST', '/api/executions/ex-d-running/cancel', { token: 'sdk_sandbox_operator' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 'ex-d-running', status: 'CANCELLED', finishedAt: TEST_ISO, durationMs: 9 * SEC, outputData: null });
    expect(res.json.nodeExecutions.map((n: { status: string }) => n.status)).toEqual(['SUCCESS', 'CANCELLED']);
    expect(sandbox.state.db.executions.get('ex-d-running')!.cancelledAt).toBe(TEST_ISO);
    sandbox.clock.advance(HOUR);
    const again = await call(sandbox, 'POST', '/api/executions/ex-d-running/cancel', { token: 'sdk_sandbox_operator' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      status: 409,
      error: 'Conflict',
      message: 'Execution ex-d-running was already cancelled; only PENDING or RUNNING executions can be cancelled.',
    });
    const read = await call(sandbox, 'GET', '/api/executions/ex-d-running', { token: ADMIN });
    expect(read.json).toMatchObject({ status: 'CANCELLED', finishedAt: TEST_ISO });
  });

  it('cancels a pending execution before any node runs', async () => {
    const res = await call(sandbox, 'POST', '/api/executions/ex-e-pending/cancel', { token: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'CANCELLED', finishedAt: TEST_ISO, durationMs: 0 });
    expect(res.json.nodeExecutions.map((n: { status: string }) => n.status)).toEqual(['SKIPPED', 'SKIPPED']);
    // It never started, so from/to keep bounding its createdAt (-1 s) after its planned start (+5 s).
    sandbox.clock.advance(10 * SEC);
    const window = await call(sandbox, 'GET', `/api/executions?from=${at(SEC)}`, { token: ADMIN });
    expect(window.json.content).toEqual([]);
  });

  it('answers 409 for a finished execution and leaves it alone', async () => {
    const res = await call(sandbox, 'POST', '/api/executions/ex-b-success/cancel', { token: ADMIN });
    expect(res.status).toBe(409);
    expect(res.json.message).toBe('Execution ex-b-success already finished with status SUCCESS; only PENDING or RUNNING executions can be cancelled.');
    expect(sandbox.state.db.executions.get('ex-b-success')!.cancelledAt).toBeNull();
  });

  it("answers 403 for a VIEWER and 404 for Hobby's execution", async () => {
    const viewer = await call(sandbox, 'POST', '/api/executions/ex-d-running/cancel', { cookie: await login(sandbox, 'viewer@acme.test') });
    expect(viewer.status).toBe(403);
    expect(viewer.json.message).toBe(`Access denied: this action needs the OPERATOR role or higher in team ${ACME_TEAM_ID}; you have VIEWER.`);
    expect(sandbox.state.db.executions.get('ex-d-running')!.cancelledAt).toBeNull();
    const hobby = await call(sandbox, 'POST', '/api/executions/ex-h-hobby/cancel', { token: ADMIN });
    expect(hobby.status).toBe(404);
  });
});

describe('GET /api/executions/team/:teamId/export', () => {
  const path = `/api/executions/team/${ACME_TEAM_ID}/export`;

  it('downloads every matching execution as CSV by default, quoting commas, quotes and line breaks', async () => {
    const res = await call(sandbox, 'GET', path, { token: 'sdk_sandbox_viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="executions-${ACME_TEAM_ID}-2026-11-01.csv"`);
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['id', 'workflowId', 'workflowName', 'status', 'triggerType', 'startedAt', 'finishedAt', 'durationMs', 'errorMessage']);
    expect(rows.map((row) => row[0])).toEqual(ACME_NEWEST_FIRST);
    expect(rows.every((row) => row.length === 9)).toBe(true);
    const failed = at(-2 * HOUR + 100);
    expect(rows[2]).toEqual(['ex-c-failed', 'wf-2', QUOTED_NAME, 'FAILED', 'WEBHOOK', failed, at(-2 * HOUR + 4100), '4000', 'Upstream said "no",\nretry later']);
    expect(res.text).toContain(`ex-c-failed,wf-2,"Quotes, ""the"" report",FAILED,WEBHOOK,${failed},`);
    expect(rows[0]).toEqual(['ex-e-pending', 'wf-1', 'Order sync', 'PENDING', 'WEBHOOK', '', '', '0', '']);
  });

  it('applies the list filters to the CSV', async () => {
    const res = await call(sandbox, 'GET', `${path}?format=csv&status=FAILED`, { token: ADMIN });
    expect(parseCsv(res.text).map((row) => row[0])).toEqual(['id', 'ex-c-failed']);
  });

  it('downloads JSON: the same summaries the list returns', async () => {
    const res = await call(sandbox, 'GET', `${path}?format=json&workflowId=wf-1`, { token: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="executions-${ACME_TEAM_ID}-2026-11-01.json"`);
    const list = await call(sandbox, 'GET', '/api/executions?workflowId=wf-1', { token: ADMIN });
    expect(res.json).toEqual(list.json.content);
    expect(res.json).toHaveLength(4);
  });

  it.each([
    ['format=xml', "Query parameter 'format' must be one of csv, json; got 'xml'."],
    ['status=DONE', "Query parameter 'status' must be one of PENDING, RUNNING, SUCCESS, FAILED, CANCELLED; got 'DONE'."],
    ['from=last-week', "Query parameter 'from' must be an ISO-8601 date-time"],
  ])('answers 400 given %s', async (query, message) => {
    const res = await call(sandbox, 'GET', `${path}?${query}`, { token: ADMIN });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(res.json.message).toContain(message);
  });
});

describe('RBAC by SDK token role (nodeloom-api.md 2.4)', () => {
  it.each([
    ['sdk_sandbox_admin', 200],
    ['sdk_sandbox_builder', 200],
    ['sdk_sandbox_operator', 200],
    ['sdk_sandbox_viewer', 403],
  ])('%s: lists, reads and exports; cancel answers %i', async (token, cancelStatus) => {
    await sandbox.state.db.executions.insert(execution('ex-rbac', -5 * SEC, { durationMs: 60 * SEC }));
    expect((await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}`, { token })).status).toBe(200);
    expect((await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}`, { token })).status).toBe(200);
    expect((await call(sandbox, 'GET', '/api/executions/ex-rbac', { token })).status).toBe(200);
    expect((await call(sandbox, 'GET', `/api/executions/team/${ACME_TEAM_ID}/export`, { token })).status).toBe(200);
    const cancel = await call(sandbox, 'POST', '/api/executions/ex-rbac/cancel', { token });
    expect(cancel.status).toBe(cancelStatus);
    expect(cancel.json.status).toBe(cancelStatus === 200 ? 'CANCELLED' : 403);
  });
});
