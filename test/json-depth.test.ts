import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { jsonDepth, MAX_JSON_DEPTH, textExceedsDepth, valueExceedsDepth } from '../src/core/json-depth.ts';
import { loadScenarioFile, ScenarioLoadError } from '../src/hosts/load-scenarios.ts';
import { call, captureData, expectSameData, expectSpringError, TEST_NOW, testSandbox, type CallResult } from './helpers.ts';

const ADMIN = { token: 'sdk_sandbox_admin' };

/** The Spring body of a control-plane error (request id `control`); returns the message. */
function controlError(response: CallResult, path: string): string {
  expect(response.status).toBe(400);
  expect(response.json).toEqual({ status: 400, error: 'Bad Request', message: expect.any(String), timestamp: TEST_NOW, path, requestId: 'control' });
  return response.json.message;
}

/** An object nested `depth` levels deep (`{}` is 1), built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) value = { level: value };
  return value;
}

/**
 * A create body whose whole document nests `bodyDepth` deep: body (1) > nodes (2) > node (3) >
 * parameters (4, and `bodyDepth - 3` levels from there).
 */
function deepWorkflowBody(bodyDepth: number) {
  return {
    name: `Nested ${bodyDepth}`,
    teamId: ACME_TEAM_ID,
    nodes: [
      { id: 'trigger', type: 'MANUAL_TRIGGER', parameters: nested(bodyDepth - 3) },
      { id: 'code', type: 'CODE' },
    ],
    edges: [{ source: 'trigger', target: 'code' }],
  };
}

describe('JSON nested deeper than Jackson allows (StreamReadConstraints maxNestingDepth 1000)', () => {
  it('answers 400 naming the limit for a workflow whose parameters nest 2,500 deep, and stores nothing', async () => {
    const sandbox = testSandbox();
    const before = captureData((await sandbox.snapshot()).datasets);
    const response = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: deepWorkflowBody(2503) });
    const message = expectSpringError(response, 400, 'Bad Request', '/api/workflows', TEST_NOW);
    expect(message).toContain('exceeds the maximum allowed (1000');
    expect(message).toContain('StreamReadConstraints');
    expectSameData((await sandbox.snapshot()).datasets, before);
  });

  it('answers 400 for a body one level past the limit (1,001) and for a bare array 100,000 deep', async () => {
    const sandbox = testSandbox();
    expectSpringError(await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: deepWorkflowBody(1001) }), 400, 'Bad Request', '/api/workflows');
    const arrays = '['.repeat(100_000) + ']'.repeat(100_000);
    const response = await call(sandbox, 'POST', '/api/workflows/any/execute', { ...ADMIN, body: arrays });
    expect(expectSpringError(response, 400, 'Bad Request', '/api/workflows/any/execute')).toContain('nesting depth');
  });

  it('accepts a workflow nested exactly 1,000 deep, then activates, updates, executes, cancels and snapshots it', async () => {
    const sandbox = testSandbox();
    const created = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: deepWorkflowBody(1000) });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await call(sandbox, 'POST', `/api/workflows/${id}/activate`, ADMIN)).status).toBe(200);
    const updated = await call(sandbox, 'PUT', `/api/workflows/${id}`, { ...ADMIN, body: { ...deepWorkflowBody(1000), name: 'Renamed' } });
    expect(updated.status).toBe(200);
    expect(jsonDepth(updated.json.nodes[0].parameters)).toBe(997);
    // The input itself at the limit: it is stored one level down (inputData) and wrapped by nodes.
    const run = await call(sandbox, 'POST', `/api/workflows/${id}/execute`, { ...ADMIN, body: nested(1000) });
    expect(run.status).toBe(200);
    expect((await call(sandbox, 'GET', `/api/executions/${run.json.id}`, ADMIN)).status).toBe(200);
    expect((await call(sandbox, 'POST', `/api/executions/${run.json.id}/cancel`, ADMIN)).status).toBe(200);
    const snapshot = await call(sandbox, 'GET', '/__sandbox/snapshot');
    const restored = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot.text });
    expect(restored.status).toBe(200);
    expect((await call(sandbox, 'GET', '/__sandbox/snapshot')).text).toBe(snapshot.text);
  });

  it('keeps an execution copyable when GUARDRAIL nodes wrap a deep input past 1,000 levels: that output is omitted', async () => {
    const sandbox = testSandbox();
    // Each GUARDRAIL output wraps its input one level deeper ({content: input}).
    const nodes = [{ id: 'n0', type: 'MANUAL_TRIGGER' }, ...Array.from({ length: 10 }, (_, i) => ({ id: `n${i + 1}`, type: 'GUARDRAIL' }))];
    const edges = nodes.slice(1).map((node, i) => ({ source: `n${i}`, target: node.id }));
    const workflow = await call(sandbox, 'POST', '/api/workflows', { ...ADMIN, body: { name: 'Chain', teamId: ACME_TEAM_ID, nodes, edges } });
    expect(workflow.status).toBe(201);
    const run = await call(sandbox, 'POST', `/api/workflows/${workflow.json.id}/execute`, { ...ADMIN, body: nested(995) });
    expect(run.status).toBe(200);
    const stored = sandbox.state.db.executions.get(run.json.id)!;
    expect(jsonDepth(stored)).toBeLessThanOrEqual(MAX_JSON_DEPTH + 4);
    expect(stored.nodes.map((node) => Object.keys(node.output ?? {}).includes('omitted'))).toContain(true);
    expect((await call(sandbox, 'POST', `/api/executions/${run.json.id}/cancel`, ADMIN)).status).toBe(200);
    const snapshot = await call(sandbox, 'GET', '/__sandbox/snapshot');
    expect((await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot.text })).status).toBe(200);
  });

  it('answers 400 for a control-plane body nested deeper than 1,000', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'], extra: nested(1001) } });
    expect(controlError(response, '/__sandbox/scenario')).toContain('exceeds the maximum allowed (1000');
    expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json.names).toEqual([]);
  });

  it('refuses a restored snapshot nested past its limit, over HTTP and in code, and changes nothing', async () => {
    const sandbox = testSandbox();
    const snapshot = await sandbox.snapshot();
    const before = JSON.stringify(snapshot);
    const deep = structuredClone(snapshot);
    deep.datasets.default!.tables.workflows![0]!.nodes = [{ id: 'n', type: 'CODE', parameters: nested(1200) }];
    const response = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: deep });
    expect(controlError(response, '/__sandbox/snapshot')).toContain('nesting depth');
    await expect(sandbox.restore(deep)).rejects.toThrow(/nesting depth/);
    expect(JSON.stringify(await sandbox.snapshot())).toBe(before);
  });

  it('refuses a scenario file nested deeper than 1,000 with the file named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nodeloom-depth-'));
    const file = join(dir, 'deep.json');
    await writeFile(file, JSON.stringify({ name: 'deep', rules: [], extra: nested(1001) }));
    await expect(loadScenarioFile(file)).rejects.toThrow(ScenarioLoadError);
    await expect(loadScenarioFile(file)).rejects.toThrow(/deep\.json: .*nesting depth/);
  });
});

describe('depth scans (core/json-depth.ts)', () => {
  it('counts brackets outside strings only, escapes included', () => {
    expect(textExceedsDepth('[[["]]]]]]\\"[[["]]]', 3)).toBe(false);
    expect(textExceedsDepth('{"a\\\\":[[[1]]]}', 3)).toBe(true);
    expect(textExceedsDepth('['.repeat(1000) + ']'.repeat(1000))).toBe(false);
    expect(textExceedsDepth('['.repeat(1001))).toBe(true);
  });

  it('walks values without recursion and refuses a cycle instead of looping', () => {
    expect(valueExceedsDepth(nested(100_000))).toBe(true);
    expect(valueExceedsDepth(nested(1000))).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueExceedsDepth(cyclic)).toBe(true);
    expect(jsonDepth(nested(50_000))).toBe(50_000);
  });
});
