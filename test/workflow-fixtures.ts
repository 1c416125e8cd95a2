import { expect } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, testSandbox, type CallOptions } from './helpers.ts';

/** Shared fixtures of the workflows tests. */
export const ROLES = [
  { role: 'ADMIN', token: 'sdk_sandbox_admin', email: 'admin@acme.test' },
  { role: 'BUILDER', token: 'sdk_sandbox_builder', email: 'builder@acme.test' },
  { role: 'OPERATOR', token: 'sdk_sandbox_operator', email: 'operator@acme.test' },
  { role: 'VIEWER', token: 'sdk_sandbox_viewer', email: 'viewer@acme.test' },
] as const;
export const ADMIN = { token: 'sdk_sandbox_admin' };
export const BUILDER = { token: 'sdk_sandbox_builder' };
export const OPERATOR = { token: 'sdk_sandbox_operator' };
export const HOBBY = { token: 'sdk_sandbox_hobby' };
export const SUMMARY_KEYS = ['active', 'createdAt', 'description', 'id', 'lastExecutionStatus', 'name', 'nodeCount', 'updatedAt'];
export const WORKFLOW_KEYS = ['active', 'createdAt', 'description', 'edges', 'id', 'lastExecutionStatus', 'name', 'nodeCount', 'nodes', 'teamId', 'updatedAt', 'version'];
export const GRAPH = {
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
export async function seeded(): Promise<Sandbox> {
  const sandbox = testSandbox();
  await sandbox.ready;
  return sandbox;
}
export const workflowsOf = (sandbox: Sandbox, teamId: string) => sandbox.state.db.workflows.filter((w) => w.teamId === teamId);
export const hobbyWorkflowId = (sandbox: Sandbox) => workflowsOf(sandbox, HOBBY_TEAM_ID)[0]!.id;
/** A seeded Acme workflow with nodes (the first in storage order). */
export const acmeWorkflow = (sandbox: Sandbox, active?: boolean) =>
  workflowsOf(sandbox, ACME_TEAM_ID).find((w) => w.nodes.length > 2 && (active === undefined || w.active === active))!;
export async function createWorkflow(sandbox: Sandbox, body: Record<string, unknown> = {}, as: CallOptions = ADMIN) {
  const response = await call(sandbox, 'POST', '/api/workflows', { ...as, body: { name: 'Temp', teamId: ACME_TEAM_ID, ...body } });
  expect(response.status).toBe(201);
  return response.json as { id: string; [key: string]: any };
}
export function expectError(response: { status: number; json: any; headers: Headers }, status: number, message?: string | RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.json.status).toBe(status);
  if (typeof message === 'string') expect(response.json.message).toBe(message);
  else if (message) expect(response.json.message).toMatch(message);
}
