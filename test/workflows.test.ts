import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { statusAt } from '../src/resources/executions/view.ts';
import { call, login, testSandbox, TEST_NOW, type CallOptions } from './helpers.ts';

const ROLES = [
  { role: 'ADMIN', token: 'sdk_sandbox_admin', email: 'admin@acme.test' },
  { role: 'BUILDER', token: 'sdk_sandbox_builder', email: 'builder@acme.test' },
  { role: 'OPERATOR', token: 'sdk_sandbox_operator', email: 'operator@acme.test' },
  { role: 'VIEWER', token: 'sdk_sandbox_viewer', email: 'viewer@acme.test' },
] as const;
const ADMIN = { token: 'sdk_sandbox_admin' };
const BUILDER = { token: 'sdk_sandbox_builder' };
const OPERATOR = { token: 'sdk_sandbox_operator' };
const HOBBY = { token: 'sdk_sandbox_hobby' };
const SUMMARY_KEYS = ['active', 'createdAt', 'description', 'id', 'lastExecutionStatus', 'name', 'nodeCount', 'updatedAt'];
const WORKFLOW_KEYS = ['active', 'createdAt', 'description', 'edges', 'id', 'lastExecutionStatus', 'name', 'nodeCount', 'nodes', 'teamId', 'updatedAt', 'version'];
const GRAPH = {
  nodes: [
    { id: 'node_webhook_1', type: 'WEBHOOK_TRIGGER' },
    { id: 'node_http_2', name: 'Fetch', type: 'HTTP_REQUEST', parameters: { url: 'https://example.test' } },
    { id: 'node_slack_3', type: 'SLACK_SEND_MESSAGE', credentials: 'slack_oauth_production', position: { x: 600, y: 240 } },
  ],
  edges: [
    { source: 'node_webhook_1', target: 'node_http_2' },
    { id: 'e2', source: 'node_http_2', target: 'node_slack_3' },
  ],
};

/** A test sandbox whose seeded data is built, so `state` can be read before the first request. */
async function seeded(): Promise<Sandbox> {
  const sandbox = testSandbox();
  await sandbox.ready;
  return sandbox;
}
const workflowsOf = (sandbox: Sandbox, teamId: string) => sandbox.state.db.workflows.filter((w) => w.teamId === teamId);
const hobbyWorkflowId = (sandbox: Sandbox) => workflowsOf(sandbox, HOBBY_TEAM_ID)[0]!.id;
/** A seeded Acme workflow with nodes (the first in storage order). */
const acmeWorkflow = (sandbox: Sandbox, active?: boolean) =>
  workflowsOf(sandbox, ACME_TEAM_ID).find((w) => w.nodes.length > 2 && (active === undefined || w.active === active))!;
async function createWorkflow(sandbox: Sandbox, body: Record<string, unknown> = {}, as: CallOptions = ADMIN) {
  const response = await call(sandbox, 'POST', '/api/workflows', { ...as, body: { name: 'Temp', teamId: ACME_TEAM_ID, ...body } });
  expect(response.status).toBe(201);
  return response.json as { id: string; [key: string]: any };
}
function expectError(response: { status: number; json: any; headers: Headers }, status: number, message?: string | RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.json.status).toBe(status);
  if (typeof message === 'string') expect(response.json.message).toBe(message);
  else if (message) expect(response.json.message).toMatch(message);
}

describe('GET /api/workflows', () => {
  it('returns the first page of Acme workflows, newest first, for a token without teamId', async () => {
    const sandbox = await seeded();
    const response = await call(sandbox, 'GET', '/api/workflows', ADMIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
    const page = response.json;
    expect(Object.keys(page).sort()).toEqual(['content', 'number', 'size', 'totalElements', 'totalPages']);
    expect(page).toMatchObject({ totalElements: 30, totalPages: 2, number: 0, size: 20 });
    expect(page.content).toHaveLength(20);
    for (const item of page.content) expect(Object.keys(item).sort()).toEqual(SUMMARY_KEYS);
    const stamps = page.content.map((w: any) => w.updatedAt);
    expect(stamps).toEqual([...stamps].sort().reverse());
    const all = workflowsOf(sandbox, ACME_TEAM_ID).map((w) => w.updatedAt).sort().reverse();
    expect(page.content[0].updatedAt).toBe(all[0]);
  });

  it('derives lastExecutionStatus from the newest execution and the clock', async () => {
    const sandbox = await seeded();
    const page = (await call(sandbox, 'GET', '/api/workflows?size=100', ADMIN)).json;
    for (const item of page.content) {
      const record = sandbox.state.db.workflows.get(item.id)!;
      const execution = record.lastExecutionId ? sandbox.state.db.executions.get(record.lastExecutionId) : undefined;
      expect(item.lastExecutionStatus).toBe(execution ? statusAt(execution, Date.parse(TEST_NOW)) : null);
      expect(item.nodeCount).toBe(record.nodes.length);
    }
    const statuses = new Set(page.content.map((w: any) => w.lastExecutionStatus));
    expect(statuses.has('RUNNING') || statuses.has('PENDING')).toBe(true);
    sandbox.clock.advance(3_600_000);
    const later = (await call(sandbox, 'GET', '/api/workflows?size=100', ADMIN)).json;
    expect(later.content.some((w: any) => w.lastExecutionStatus === 'RUNNING' || w.lastExecutionStatus === 'PENDING')).toBe(false);
  });

  it('pages with page and size, caps size at 100 and answers an empty page past the end', async () => {
    const sandbox = await seeded();
    const first = (await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=7`, ADMIN)).json;
    expect(first).toMatchObject({ totalElements: 30, totalPages: 5, number: 0, size: 7 });
    const last = (await call(sandbox, 'GET', '/api/workflows?page=4&size=7', ADMIN)).json;
    expect(last).toMatchObject({ number: 4, size: 7 });
    expect(last.content).toHaveLength(2);
    const ids = new Set<string>();
    for (let page = 0; page < 5; page++) {
      for (const w of (await call(sandbox, 'GET', `/api/workflows?page=${page}&size=7`, ADMIN)).json.content) ids.add(w.id);
    }
    expect(ids.size).toBe(30);
    const capped = (await call(sandbox, 'GET', '/api/workflows?size=500', ADMIN)).json;
    expect(capped).toMatchObject({ size: 100, totalPages: 1 });
    expect(capped.content).toHaveLength(30);
    const beyond = (await call(sandbox, 'GET', '/api/workflows?page=9', ADMIN)).json;
    expect(beyond).toMatchObject({ content: [], totalElements: 30, number: 9 });
  });

  it('returns 400 given a page or size that is not a valid integer', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'GET', '/api/workflows?page=-1', ADMIN), 400, "Query parameter 'page' must be an integer of 0 or more.");
    expectError(await call(sandbox, 'GET', '/api/workflows?size=0', ADMIN), 400, "Query parameter 'size' must be an integer of 1 or more.");
  });

  it('filters by a case-insensitive name search', async () => {
    const sandbox = await seeded();
    const expected = workflowsOf(sandbox, ACME_TEAM_ID).filter((w) => w.name.toLowerCase().includes('sync')).length;
    expect(expected).toBeGreaterThan(0);
    const page = (await call(sandbox, 'GET', '/api/workflows?search=SYNC', ADMIN)).json;
    expect(page.totalElements).toBe(expected);
    for (const w of page.content) expect(w.name.toLowerCase()).toContain('sync');
    const none = (await call(sandbox, 'GET', '/api/workflows?search=zzz-no-such', ADMIN)).json;
    expect(none).toMatchObject({ content: [], totalElements: 0, totalPages: 0 });
  });

  it('lists Hobby Lab workflows for the Hobby token', async () => {
    const sandbox = await seeded();
    const page = (await call(sandbox, 'GET', '/api/workflows', HOBBY)).json;
    expect(page.totalElements).toBe(4);
    const ids = workflowsOf(sandbox, HOBBY_TEAM_ID).map((w) => w.id).sort();
    expect(page.content.map((w: any) => w.id).sort()).toEqual(ids);
  });

  it('returns 400 for a cookie caller without teamId and 200 with it', async () => {
    const sandbox = await seeded();
    const cookie = await login(sandbox, 'viewer@acme.test');
    expectError(await call(sandbox, 'GET', '/api/workflows', { cookie }), 400, /^teamId is required/);
    const ok = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { cookie });
    expect(ok.status).toBe(200);
    expect(ok.json.totalElements).toBe(30);
  });

  it('returns 403 given another team in teamId, for a token and for a cookie user', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'GET', `/api/workflows?teamId=${HOBBY_TEAM_ID}`, ADMIN), 403, /belongs to team/);
    const cookie = await login(sandbox, 'admin@acme.test');
    expectError(await call(sandbox, 'GET', `/api/workflows?teamId=${HOBBY_TEAM_ID}`, { cookie }), 403, /not a member/);
  });

  it('returns 401 without credentials', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`), 401, /Authentication required/);
  });
});

describe('POST /api/workflows', () => {
  it('creates an inactive version-1 workflow and answers 201 with the full workflow', async () => {
    const sandbox = await seeded();
    const response = await call(sandbox, 'POST', '/api/workflows', {
      ...BUILDER,
      body: { name: '  Route leads  ', description: 'Leads to Slack', teamId: ACME_TEAM_ID, ...GRAPH },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = response.json;
    expect(Object.keys(body).sort()).toEqual(WORKFLOW_KEYS);
    expect(body).toMatchObject({
      name: 'Route leads',
      description: 'Leads to Slack',
      active: false,
      teamId: ACME_TEAM_ID,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
      version: 1,
      nodeCount: 3,
      lastExecutionStatus: null,
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.nodes[0]).toEqual({ id: 'node_webhook_1', name: 'Webhook Trigger', type: 'WEBHOOK_TRIGGER', parameters: {}, credentials: null, position: { x: 0, y: 0 } });
    expect(body.nodes[2]).toMatchObject({ name: 'Slack Send Message', credentials: 'slack_oauth_production', position: { x: 600, y: 240 } });
    expect(body.edges).toEqual([
      { id: 'edge_1', source: 'node_webhook_1', target: 'node_http_2', sourceHandle: null },
      { id: 'e2', source: 'node_http_2', target: 'node_slack_3', sourceHandle: null },
    ]);
    expect(sandbox.state.db.workflows.get(body.id)?.createdBy).toBe('00000000-0000-4000-8000-0000000a0001');
    const list = (await call(sandbox, 'GET', '/api/workflows', BUILDER)).json;
    expect(list.totalElements).toBe(31);
    expect(list.content[0]).toMatchObject({ id: body.id, nodeCount: 3, lastExecutionStatus: null });
  });

  it('creates a workflow without nodes, description null, for a cookie user naming the team', async () => {
    const sandbox = await seeded();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'POST', '/api/workflows', { cookie, body: { name: 'Empty', teamId: ACME_TEAM_ID } });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name: 'Empty', description: null, nodes: [], edges: [], nodeCount: 0 });
    expect(sandbox.state.db.workflows.get(response.json.id)?.createdBy).toBe('00000000-0000-4000-8000-0000000a0002');
  });

  it('returns 400 "Workflow name is required" given a missing, blank or null name or no body', async () => {
    const sandbox = await seeded();
    for (const body of [{ teamId: ACME_TEAM_ID }, { name: '   ', teamId: ACME_TEAM_ID }, { name: null }, undefined]) {
      expectError(await call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body }), 400, 'Workflow name is required');
    }
    expectError(await call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body: { name: 42 } }), 400, 'Workflow name must be a string');
    expectError(await call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body: [] }), 400, /must be a JSON object/);
    expect(workflowsOf(sandbox, ACME_TEAM_ID)).toHaveLength(30);
  });

  it('returns 400 naming the problem given an invalid graph', async () => {
    const sandbox = await seeded();
    const post = (graph: object) => call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body: { name: 'Bad', ...graph } });
    const [trigger, http, slack] = GRAPH.nodes;
    expectError(await post({ nodes: [trigger, { ...http, id: 'node_webhook_1' }] }), 400, 'Node id "node_webhook_1" is used by more than one node; node ids must be unique.');
    expectError(
      await post({ nodes: [trigger, http], edges: [{ source: 'node_webhook_1', target: 'node_missing' }] }),
      400,
      'Edge "edge_1" has target "node_missing", but no node has that id. Edges must connect nodes of the workflow.',
    );
    expectError(
      await post({ nodes: [trigger, { id: 'node_cron_2', type: 'SCHEDULE_TRIGGER' }] }),
      400,
      'A workflow can have only one trigger node; found 2: node_webhook_1 (WEBHOOK_TRIGGER), node_cron_2 (SCHEDULE_TRIGGER).',
    );
    expectError(
      await post({ nodes: [trigger, http, slack], edges: [...GRAPH.edges, { source: 'node_slack_3', target: 'node_http_2' }] }),
      400,
      'Edges form a cycle through node "node_http_2"; workflows must not contain cycles.',
    );
    expectError(await post({ nodes: [trigger], edges: [{ id: 'x', source: 'node_webhook_1', target: 'node_webhook_1' }] }), 400, /cycle through node "node_webhook_1"/);
    expectError(await post({ nodes: [{ type: 'CODE' }] }), 400, /^Invalid body 'nodes\[0\]\.id'/);
    expectError(await post({ nodes: 'none' }), 400, /^Invalid body 'nodes'/);
  });

  it('returns 400 for a cookie caller without teamId', async () => {
    const sandbox = await seeded();
    const cookie = await login(sandbox, 'admin@acme.test');
    expectError(await call(sandbox, 'POST', '/api/workflows', { cookie, body: { name: 'X' } }), 400, /^teamId is required: add the field "teamId"/);
  });

  it('creates in the token team when teamId is omitted, and returns 403 given another team', async () => {
    const sandbox = await seeded();
    const created = await call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body: { name: 'Inferred' } });
    expect(created.status).toBe(201);
    expect(created.json.teamId).toBe(ACME_TEAM_ID);
    expectError(await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'X', teamId: HOBBY_TEAM_ID } }), 403, /cannot act on team/);
  });

  it('returns 401 without credentials', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'POST', '/api/workflows', { body: { name: 'X', teamId: ACME_TEAM_ID } }), 401);
  });
});

describe('GET /api/workflows/:id', () => {
  it('returns the full workflow with nodes, edges and version', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    const response = await call(sandbox, 'GET', `/api/workflows/${record.id}`, { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(response.json).sort()).toEqual(WORKFLOW_KEYS);
    expect(response.json).toMatchObject({ id: record.id, name: record.name, teamId: ACME_TEAM_ID, version: record.version, nodeCount: record.nodes.length });
    expect(response.json.nodes).toEqual(record.nodes);
    expect(response.json.edges).toEqual(record.edges);
    expect(response.json.nodes.filter((n: any) => n.type.endsWith('_TRIGGER'))).toHaveLength(1);
  });

  it('returns 404 given an unknown id', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'GET', '/api/workflows/wf-1', ADMIN), 404, 'Workflow wf-1 not found.');
  });

  it('returns 404 given a workflow of another team, for a token and a cookie user', async () => {
    const sandbox = await seeded();
    const id = hobbyWorkflowId(sandbox);
    expectError(await call(sandbox, 'GET', `/api/workflows/${id}`, ADMIN), 404, `Workflow ${id} not found.`);
    const cookie = await login(sandbox, 'admin@acme.test');
    expectError(await call(sandbox, 'GET', `/api/workflows/${id}`, { cookie }), 404, `Workflow ${id} not found.`);
    expect((await call(sandbox, 'GET', `/api/workflows/${id}`, HOBBY)).status).toBe(200);
  });

  it('returns 401 without credentials', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'GET', `/api/workflows/${acmeWorkflow(sandbox).id}`), 401);
  });
});

describe('PUT /api/workflows/:id', () => {
  it('renames without a version bump and moves updatedAt to the clock', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    sandbox.clock.advance(5_000);
    const response = await call(sandbox, 'PUT', `/api/workflows/${record.id}`, { ...BUILDER, body: { name: 'Renamed', description: null } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json).toMatchObject({ id: record.id, name: 'Renamed', description: null, version: record.version, createdAt: record.createdAt });
    expect(response.json.updatedAt).toBe('2026-11-01T12:00:05.000Z');
    expect((await call(sandbox, 'GET', `/api/workflows/${record.id}`, BUILDER)).json.name).toBe('Renamed');
    expect((await call(sandbox, 'GET', '/api/workflows', BUILDER)).json.content[0].id).toBe(record.id);
  });

  it('bumps the version when nodes or edges change, and not for an unchanged graph or body', async () => {
    const sandbox = await seeded();
    const created = await createWorkflow(sandbox, GRAPH);
    const put = (body: unknown) => call(sandbox, 'PUT', `/api/workflows/${created.id}`, { ...BUILDER, body });
    sandbox.clock.advance(1_000);
    expect((await put({ nodes: created.nodes, edges: created.edges })).json).toMatchObject({ version: 1, updatedAt: TEST_NOW });
    expect((await put({})).json).toMatchObject({ version: 1, updatedAt: TEST_NOW });
    const changed = await put({ edges: [GRAPH.edges[0]] });
    expect(changed.json).toMatchObject({ version: 2, updatedAt: '2026-11-01T12:00:01.000Z' });
    expect(changed.json.edges).toHaveLength(1);
    const nodes = await put({ nodes: [GRAPH.nodes[0], GRAPH.nodes[1]] });
    expect(nodes.json).toMatchObject({ version: 3, nodeCount: 2 });
    expect((await put({ active: true })).json).toMatchObject({ active: true, version: 3 });
  });

  it('returns 400 given a blank name or a graph problem, and changes nothing', async () => {
    const sandbox = await seeded();
    const created = await createWorkflow(sandbox, GRAPH);
    const put = (body: unknown) => call(sandbox, 'PUT', `/api/workflows/${created.id}`, { ...BUILDER, body });
    expectError(await put({ name: ' ' }), 400, 'Workflow name is required');
    expectError(await put({ nodes: [GRAPH.nodes[0]] }), 400, 'Edge "edge_1" has target "node_http_2", but no node has that id. Edges must connect nodes of the workflow.');
    expectError(await put({ active: 'yes' }), 400, 'active must be true or false');
    expect((await call(sandbox, 'GET', `/api/workflows/${created.id}`, BUILDER)).json).toEqual(created);
  });

  it('returns 404 given an unknown id or another team\'s workflow', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'PUT', '/api/workflows/nope', { ...ADMIN, body: { name: 'X' } }), 404, 'Workflow nope not found.');
    expectError(await call(sandbox, 'PUT', `/api/workflows/${hobbyWorkflowId(sandbox)}`, { ...ADMIN, body: { name: 'X' } }), 404);
  });
});

describe('DELETE /api/workflows/:id', () => {
  it('answers 204 with no body, then 404, and keeps the workflow\'s executions', async () => {
    const sandbox = await seeded();
    const record = workflowsOf(sandbox, ACME_TEAM_ID).find((w) => w.lastExecutionId !== null)!;
    const runs = sandbox.state.db.executions.filter((e) => e.workflowId === record.id).length;
    expect(runs).toBeGreaterThan(0);
    const response = await call(sandbox, 'DELETE', `/api/workflows/${record.id}`, BUILDER);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectError(await call(sandbox, 'GET', `/api/workflows/${record.id}`, BUILDER), 404);
    expectError(await call(sandbox, 'DELETE', `/api/workflows/${record.id}`, BUILDER), 404);
    expect((await call(sandbox, 'GET', '/api/workflows', BUILDER)).json.totalElements).toBe(29);
    expect(sandbox.state.db.executions.filter((e) => e.workflowId === record.id)).toHaveLength(runs);
  });

  it('returns 404 given another team\'s workflow and leaves it alone', async () => {
    const sandbox = await seeded();
    const id = hobbyWorkflowId(sandbox);
    expectError(await call(sandbox, 'DELETE', `/api/workflows/${id}`, ADMIN), 404);
    expect(sandbox.state.db.workflows.get(id)).toBeDefined();
  });
});

describe('POST /api/workflows/:id/execute', () => {
  it('answers 200 with the execution reference, PENDING, and points the workflow at it', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    const response = await call(sandbox, 'POST', `/api/workflows/${record.id}/execute`, { ...OPERATOR, body: { query: 'test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const { id, ...rest } = response.json;
    expect(rest).toEqual({ executionId: id, workflowId: record.id, status: 'PENDING', startedAt: null, createdAt: TEST_NOW });
    const execution = sandbox.state.db.executions.get(id)!;
    expect(execution).toMatchObject({ teamId: ACME_TEAM_ID, workflowName: record.name, workflowVersion: record.version, triggerType: 'API', inputData: { query: 'test' } });
    expect(execution.nodes).toHaveLength(record.nodes.length);
    expect(sandbox.state.db.workflows.get(record.id)!.lastExecutionId).toBe(id);
  });

  it('moves PENDING → RUNNING → SUCCESS as the clock advances', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    const id = (await call(sandbox, 'POST', `/api/workflows/${record.id}/execute`, { ...OPERATOR, body: {} })).json.id;
    const execution = sandbox.state.db.executions.get(id)!;
    const lastStatus = async () => (await call(sandbox, 'GET', `/api/workflows/${record.id}`, OPERATOR)).json.lastExecutionStatus;
    expect(execution.startedAt).toBe('2026-11-01T12:00:00.250Z');
    expect(execution.durationMs).toBeGreaterThan(0);
    expect(await lastStatus()).toBe('PENDING');
    sandbox.clock.advance(250);
    expect(statusAt(execution, sandbox.clock.now())).toBe('RUNNING');
    expect(await lastStatus()).toBe('RUNNING');
    sandbox.clock.advance(execution.durationMs);
    expect(statusAt(execution, sandbox.clock.now())).toBe('SUCCESS');
    expect(await lastStatus()).toBe('SUCCESS');
    expect(execution.outputData).not.toBeNull();
  });

  it('fails at a middle node and skips the rest given "__sandboxFail": true', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    const response = await call(sandbox, 'POST', `/api/workflows/${record.id}/execute`, { ...OPERATOR, body: { __sandboxFail: true } });
    const execution = sandbox.state.db.executions.get(response.json.id)!;
    sandbox.clock.advance(250 + execution.durationMs);
    expect(statusAt(execution, sandbox.clock.now())).toBe('FAILED');
    expect(execution.errorMessage).toMatch(/__sandboxFail/);
    const failedAt = execution.nodes.findIndex((n) => n.outcome === 'FAILED');
    expect(failedAt).toBeGreaterThan(0);
    expect(execution.nodes[failedAt]!.errorMessage).toBe(execution.errorMessage);
    expect(execution.nodes.slice(failedAt + 1).every((n) => n.outcome === 'SKIPPED')).toBe(true);
    expect((await call(sandbox, 'GET', `/api/workflows/${record.id}`, OPERATOR)).json.lastExecutionStatus).toBe('FAILED');
  });

  it('takes {"input": {...}} as the input, no body as {}, and records MANUAL for a cookie user', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox);
    const cookie = await login(sandbox, 'operator@acme.test');
    const run = async (options: CallOptions) => sandbox.state.db.executions.get((await call(sandbox, 'POST', `/api/workflows/${record.id}/execute`, options)).json.id)!;
    expect((await run({ cookie, body: { input: { ticket: 7 } } })).inputData).toEqual({ ticket: 7 });
    expect((await run({ cookie, body: { input: { ticket: 7 }, extra: 1 } })).inputData).toEqual({ input: { ticket: 7 }, extra: 1 });
    expect((await run({ cookie, body: { input: 'text' } })).inputData).toEqual({ input: 'text' });
    const bare = await run({ cookie });
    expect(bare).toMatchObject({ inputData: {}, triggerType: 'MANUAL' });
  });

  it('returns 400 given a JSON array, scalar or null body', async () => {
    const sandbox = await seeded();
    const id = acmeWorkflow(sandbox).id;
    for (const body of ['[1,2]', '42', '"go"', 'null']) {
      expectError(await call(sandbox, 'POST', `/api/workflows/${id}/execute`, { ...OPERATOR, body }), 400, /^The execute body must be a JSON object/);
    }
    expect(sandbox.state.db.executions.count()).toBe(252);
  });

  it('executes an inactive workflow', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox, false);
    const response = await call(sandbox, 'POST', `/api/workflows/${record.id}/execute`, OPERATOR);
    expect(response.status).toBe(200);
    expect(response.json.status).toBe('PENDING');
  });

  it('creates the same execution ids in two sandboxes with the same seed', async () => {
    const ids = await Promise.all([await seeded(), await seeded()].map(async (sandbox) => {
      const id = acmeWorkflow(sandbox).id;
      const a = (await call(sandbox, 'POST', `/api/workflows/${id}/execute`, OPERATOR)).json.id;
      return [a, sandbox.state.db.executions.get(a)!.durationMs];
    }));
    expect(ids[0]).toEqual(ids[1]);
  });

  it('returns 404 given an unknown id or another team\'s workflow', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'POST', '/api/workflows/wf-1/execute', OPERATOR), 404, 'Workflow wf-1 not found.');
    expectError(await call(sandbox, 'POST', `/api/workflows/${hobbyWorkflowId(sandbox)}/execute`, ADMIN), 404);
  });
});

describe('POST /api/workflows/:id/activate and /deactivate', () => {
  it('activates and deactivates, answering the full workflow', async () => {
    const sandbox = await seeded();
    const record = acmeWorkflow(sandbox, false);
    sandbox.clock.advance(60_000);
    const on = await call(sandbox, 'POST', `/api/workflows/${record.id}/activate`, BUILDER);
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(on.json).sort()).toEqual(WORKFLOW_KEYS);
    expect(on.json).toMatchObject({ id: record.id, active: true, version: record.version, updatedAt: '2026-11-01T12:01:00.000Z' });
    sandbox.clock.advance(60_000);
    expect((await call(sandbox, 'POST', `/api/workflows/${record.id}/activate`, BUILDER)).json.updatedAt).toBe('2026-11-01T12:01:00.000Z');
    const off = await call(sandbox, 'POST', `/api/workflows/${record.id}/deactivate`, BUILDER);
    expect(off.json).toMatchObject({ active: false, updatedAt: '2026-11-01T12:02:00.000Z' });
    const listed = (await call(sandbox, 'GET', '/api/workflows', BUILDER)).json.content[0];
    expect(listed).toMatchObject({ id: record.id, active: false });
  });

  it('returns 404 given an unknown id or another team\'s workflow', async () => {
    const sandbox = await seeded();
    expectError(await call(sandbox, 'POST', '/api/workflows/nope/activate', ADMIN), 404);
    expectError(await call(sandbox, 'POST', `/api/workflows/${hobbyWorkflowId(sandbox)}/deactivate`, ADMIN), 404);
  });
});

describe('workflow RBAC', () => {
  /** Each route, the least role allowed, and the status a permitted call answers. */
  const ROUTES = [
    { name: 'list', least: 'VIEWER', ok: 200, send: (s: Sandbox, _id: string, o: CallOptions) => call(s, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, o) },
    { name: 'get', least: 'VIEWER', ok: 200, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'GET', `/api/workflows/${id}`, o) },
    { name: 'create', least: 'BUILDER', ok: 201, send: (s: Sandbox, _id: string, o: CallOptions) => call(s, 'POST', '/api/workflows', { ...o, body: { name: 'R', teamId: ACME_TEAM_ID } }) },
    { name: 'update', least: 'BUILDER', ok: 200, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'PUT', `/api/workflows/${id}`, { ...o, body: { name: 'R2' } }) },
    { name: 'delete', least: 'BUILDER', ok: 204, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'DELETE', `/api/workflows/${id}`, o) },
    { name: 'execute', least: 'OPERATOR', ok: 200, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'POST', `/api/workflows/${id}/execute`, { ...o, body: {} }) },
    { name: 'activate', least: 'BUILDER', ok: 200, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'POST', `/api/workflows/${id}/activate`, o) },
    { name: 'deactivate', least: 'BUILDER', ok: 200, send: (s: Sandbox, id: string, o: CallOptions) => call(s, 'POST', `/api/workflows/${id}/deactivate`, o) },
  ] as const;
  const rank = { ADMIN: 4, BUILDER: 3, OPERATOR: 2, VIEWER: 1 } as const;

  for (const route of ROUTES) {
    it(`lets ${route.least} and above ${route.name} workflows and answers 403 below, via tokens and cookies`, async () => {
      const sandbox = await seeded();
      for (const { role, token, email } of ROLES) {
        const cookie = await login(sandbox, email);
        for (const [via, options] of [['token', { token }], ['cookie', { cookie }]] as const) {
          const target = await createWorkflow(sandbox);
          const response = await route.send(sandbox, target.id, options);
          const expected = rank[role] >= rank[route.least] ? route.ok : 403;
          expect(response.status, `${role} via ${via}`).toBe(expected);
          if (expected === 403) expect(response.json.message).toContain(`needs the ${route.least} role`);
        }
      }
    });
  }
});
