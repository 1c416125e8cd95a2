import { json, noContent } from '../../core/respond.ts';
import { defineRoute, type AnyRoute, type TeamSource } from '../../core/route.ts';
import type { WorkflowRecord } from './records.ts';
import { createWorkflowBody, executeWorkflowBody, listWorkflowsQuery, updateWorkflowBody, type UpdateWorkflowBody } from './schema.ts';
import {
  createWorkflow,
  deleteWorkflow,
  executeWorkflow,
  listWorkflows,
  setWorkflowActive,
  toWorkflow,
  updateWorkflow,
} from './service.ts';

/**
 * The workflows routes (nodeloom-api.md 3.2; minimum roles 2.4). Thin: the pipeline does auth,
 * team scope, RBAC and validation; `service.ts` does the work.
 */

/** A workflow addressed by `:id`: another team's workflow answers 404, like an unknown id (1.8 [INF]). */
const workflowById: TeamSource = { from: 'resource', name: 'Workflow', param: 'id', load: (state, id) => state.db.workflows.get(id) };

/** Every workflows route. */
export const workflowRoutes: AnyRoute[] = [
  // 3.2 #1: Page of WorkflowSummary, newest first; `teamId` may be omitted by an SDK token (1.8).
  defineRoute({
    method: 'GET',
    path: '/api/workflows',
    permission: 'workflows:view',
    team: { from: 'query' },
    query: listWorkflowsQuery,
    handler: ({ state, team, query }) => json(listWorkflows(state, team!.id, query)),
  }),
  // 3.2 #2: 201 Workflow, inactive, version 1.
  defineRoute({
    method: 'POST',
    path: '/api/workflows',
    permission: 'workflows:manage',
    team: { from: 'body' },
    body: createWorkflowBody,
    async handler({ state, team, principal, body }) {
      const record = await createWorkflow(state, team!.id, principal!, body);
      return json(toWorkflow(record, state), 201);
    },
  }),
  // 3.2 #4: the full Workflow with nodes and edges.
  defineRoute<Record<string, string>, Record<string, unknown>, unknown, WorkflowRecord>({
    method: 'GET',
    path: '/api/workflows/:id',
    permission: 'workflows:view',
    team: workflowById,
    handler: ({ state, resource }) => json(toWorkflow(resource, state)),
  }),
  // 3.2 #3: partial update; 200 Workflow.
  defineRoute<Record<string, string>, Record<string, unknown>, UpdateWorkflowBody, WorkflowRecord>({
    method: 'PUT',
    path: '/api/workflows/:id',
    permission: 'workflows:manage',
    team: workflowById,
    body: updateWorkflowBody,
    async handler({ state, resource, body }) {
      return json(toWorkflow(await updateWorkflow(state, resource, body), state));
    },
  }),
  // 3.2 #5 [INF]: 204; the workflow's executions are kept (see deleteWorkflow).
  defineRoute<Record<string, string>, Record<string, unknown>, unknown, WorkflowRecord>({
    method: 'DELETE',
    path: '/api/workflows/:id',
    permission: 'workflows:manage',
    team: workflowById,
    async handler({ state, resource }) {
      await deleteWorkflow(state, resource);
      return noContent();
    },
  }),
  // 3.2 #6: 200 execution reference `{id, executionId, workflowId, status, startedAt, createdAt}` [INF].
  defineRoute<Record<string, string>, Record<string, unknown>, Record<string, unknown>, WorkflowRecord>({
    method: 'POST',
    path: '/api/workflows/:id/execute',
    permission: 'workflows:execute',
    team: workflowById,
    body: executeWorkflowBody,
    async handler({ state, resource, principal, body }) {
      return json(await executeWorkflow(state, resource, principal!, body));
    },
  }),
  // 3.2 #7 [INF]: activate / deactivate, 200 Workflow.
  ...([
    ['activate', true],
    ['deactivate', false],
  ] as const).map(([action, active]) =>
    defineRoute<Record<string, string>, Record<string, unknown>, unknown, WorkflowRecord>({
      method: 'POST',
      path: `/api/workflows/:id/${action}`,
      permission: 'workflows:manage',
      team: workflowById,
      async handler({ state, resource }) {
        return json(toWorkflow(await setWorkflowActive(state, resource, active), state));
      },
    }),
  ),
];
