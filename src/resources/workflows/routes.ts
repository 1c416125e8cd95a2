import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import type { WorkflowRecord } from './records.ts';
import { createWorkflowBody, executeWorkflowBody, executionReference, listWorkflowsQuery, updateWorkflowBody, workflowSummary, workflowView } from './schema.ts';
import { pageSchema } from '../../core/paginate.ts';
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
const workflowById: TeamSource<SandboxState, WorkflowRecord> = { from: 'resource', name: 'Workflow', param: 'id', load: (state, id) => state.db.workflows.get(id) };

/** Every workflows route. */
export const workflowRoutes: AnyRoute[] = [
  // 3.2 #1: Page of WorkflowSummary, newest first; `teamId` may be omitted by an SDK token (1.8).
  defineRoute({
    method: 'GET',
    path: '/api/workflows',
    response: { body: pageSchema(workflowSummary) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2' },
    permission: 'workflows:view',
    team: { from: 'query' },
    query: listWorkflowsQuery,
    handler: ({ state, team, query }) => json(listWorkflows(state, team.id, query)),
  }),
  // 3.2 #2: 201 Workflow, inactive, version 1.
  defineRoute({
    method: 'POST',
    path: '/api/workflows',
    response: { body: workflowView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2' },
    permission: 'workflows:manage',
    team: { from: 'body' },
    body: createWorkflowBody,
    audit: { action: 'WORKFLOW_CREATED', resourceType: 'WORKFLOW' },
    async handler({ state, team, principal, body, audit }) {
      const record = await createWorkflow(state, team.id, principal, body);
      audit.resourceId = record.id;
      audit.details = { workflowName: record.name };
      return json(toWorkflow(record, state), 201);
    },
  }),
  // 3.2 #4: the full Workflow with nodes and edges.
  defineRoute({
    method: 'GET',
    path: '/api/workflows/:id',
    response: { body: workflowView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2', inferred: true },
    permission: 'workflows:view',
    team: workflowById,
    handler: ({ state, resource }) => json(toWorkflow(resource, state)),
  }),
  // 3.2 #3: partial update; 200 Workflow.
  defineRoute({
    method: 'PUT',
    path: '/api/workflows/:id',
    response: { body: workflowView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2', inferred: true },
    permission: 'workflows:manage',
    team: workflowById,
    body: updateWorkflowBody,
    audit: { action: 'WORKFLOW_UPDATED', resourceType: 'WORKFLOW' },
    async handler({ state, resource, body, audit }) {
      audit.details = { workflowName: body.name ?? resource.name, fields: Object.keys(body) };
      return json(toWorkflow(await updateWorkflow(state, resource, body), state));
    },
  }),
  // 3.2 #5 [INF]: 204; its widgets and chat sessions go with it, its executions are kept (see deleteWorkflow).
  defineRoute({
    method: 'DELETE',
    path: '/api/workflows/:id',
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2', inferred: true },
    permission: 'workflows:manage',
    team: workflowById,
    audit: { action: 'WORKFLOW_DELETED', resourceType: 'WORKFLOW' },
    async handler({ state, resource, audit }) {
      const cascaded = await deleteWorkflow(state, resource);
      audit.details = {
        workflowName: resource.name,
        ...(cascaded.widgets + cascaded.chatSessions > 0 ? { widgetsDeleted: cascaded.widgets, chatSessionsDeleted: cascaded.chatSessions } : {}),
      };
      return noContent();
    },
  }),
  // 3.2 #6: 200 execution reference `{id, executionId, workflowId, status, startedAt, createdAt}` [INF].
  defineRoute({
    method: 'POST',
    path: '/api/workflows/:id/execute',
    response: { body: executionReference },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.2', inferred: true },
    permission: 'workflows:execute',
    team: workflowById,
    body: executeWorkflowBody,
    audit: { action: 'WORKFLOW_EXECUTED', resourceType: 'WORKFLOW' },
    async handler({ state, resource, principal, body, audit }) {
      const run = await executeWorkflow(state, resource, principal, body);
      audit.details = { workflowName: resource.name, executionId: run.id };
      return json(run);
    },
  }),
  // 3.2 #7 [INF]: activate / deactivate, 200 Workflow.
  ...([
    ['activate', true],
    ['deactivate', false],
  ] as const).map(([action, active]) =>
    defineRoute({
      method: 'POST',
      path: `/api/workflows/:id/${action}`,
      response: { body: workflowView },
      auth: 'session-or-token',
      rateLimit: 'principal',
      spec: { section: '3.2', inferred: true },
      permission: 'workflows:manage',
      team: workflowById,
      audit: { action: active ? 'WORKFLOW_ACTIVATED' : 'WORKFLOW_DEACTIVATED', resourceType: 'WORKFLOW' },
      async handler({ state, resource, audit }) {
        audit.details = { workflowName: resource.name };
        return json(toWorkflow(await setWorkflowActive(state, resource, active), state));
      },
    }),
  ),
];
