import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { statusAt } from '../src/resources/executions/view.ts';
import { call, login, TEST_NOW, type CallOptions } from './helpers.ts';
import { ROLES, ADMIN, BUILDER, OPERATOR, WORKFLOW_KEYS, GRAPH, seeded, workflowsOf, hobbyWorkflowId, acmeWorkflow, createWorkflow, expectError } from './workflow-fixtures.ts';

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
