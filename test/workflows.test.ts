import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { statusAt } from '../src/resources/executions/view.ts';
import { call, login, TEST_NOW } from './helpers.ts';
import { ADMIN, BUILDER, HOBBY, SUMMARY_KEYS, WORKFLOW_KEYS, GRAPH, seeded, workflowsOf, hobbyWorkflowId, acmeWorkflow, expectError } from './workflow-fixtures.ts';

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
    expectError(await call(sandbox, 'GET', '/api/workflows?page=-1', ADMIN), 400, "Query parameter 'page' must be an integer from 0 to 2147483647.");
    expectError(await call(sandbox, 'GET', '/api/workflows?size=0', ADMIN), 400, "Query parameter 'size' must be an integer from 1 to 2147483647.");
    // Past Java's int, as Spring refuses it; and no zod wording for a number past 2^53.
    expectError(await call(sandbox, 'GET', '/api/workflows?page=2147483648', ADMIN), 400, "Query parameter 'page' must be an integer from 0 to 2147483647.");
    expectError(await call(sandbox, 'GET', '/api/workflows?page=99999999999999999999', ADMIN), 400, "Query parameter 'page' must be an integer from 0 to 2147483647.");
    expect((await call(sandbox, 'GET', '/api/workflows?page=2147483647', ADMIN)).json).toMatchObject({ content: [], number: 2147483647 });
  });

  it('takes an empty page or size as absent, as Spring converts "" to null for an int with a default', async () => {
    const sandbox = await seeded();
    const plain = await call(sandbox, 'GET', '/api/workflows', ADMIN);
    const empty = await call(sandbox, 'GET', '/api/workflows?page=&size=', ADMIN);
    expect(empty.status).toBe(200);
    expect(empty.text).toBe(plain.text);
    expect(empty.json).toMatchObject({ number: 0, size: 20 });
    // An empty search is a String: kept, and it matches every name.
    expect((await call(sandbox, 'GET', '/api/workflows?search=', ADMIN)).json.totalElements).toBe(plain.json.totalElements);
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

  it('returns 400 "Workflow name is required" given a missing, blank or null name, and says a body is required given none', async () => {
    const sandbox = await seeded();
    for (const body of [{ teamId: ACME_TEAM_ID }, { name: '   ', teamId: ACME_TEAM_ID }, { name: null }]) {
      expectError(await call(sandbox, 'POST', '/api/workflows', { ...BUILDER, body }), 400, 'Workflow name is required');
    }
    // Spring answers a missing @RequestBody with 400 "Required request body is missing".
    expectError(await call(sandbox, 'POST', '/api/workflows', BUILDER), 400, 'A JSON request body is required: send it with Content-Type: application/json.');
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
