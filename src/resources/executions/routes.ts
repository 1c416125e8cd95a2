import { toPage } from '../../core/paginate.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import { exportResponse } from './export.ts';
import type { ExecutionRecord } from './records.ts';
import { executionDetail, executionSummary, exportQuery, listQuery, teamListQuery, type ExecutionFilter } from './schema.ts';
import { cancelExecution, findExecution, listTeamExecutions } from './service.ts';
import { toExecutionDetail, toExecutionSummary } from './view.ts';
import { pageSchema } from '../../core/paginate.ts';

/**
 * The executions routes (nodeloom-api.md 3.3). Team scope and RBAC come from each route's `team`
 * and `permission` (2.4: list/get/export VIEWER, cancel OPERATOR); handlers only shape answers.
 */

/** An execution loaded by the `:id` path parameter; another team's execution is a 404 (1.8). */
const executionById: TeamSource<SandboxState, ExecutionRecord> = { from: 'resource', name: 'Execution', param: 'id', load: findExecution };

type ListQuery = ExecutionFilter & { page: number; size: number };

/** One page of a team's executions, newest first, statuses at the request's clock time. */
function listPage(ctx: { state: SandboxState; query: ListQuery; team: { id: string } }): Response {
  const now = ctx.state.clock.now();
  const { page, size, ...filter } = ctx.query;
  const records = listTeamExecutions(ctx.state, ctx.team.id, filter, now);
  return json(toPage(records, page, size, (record) => toExecutionSummary(record, now)));
}

/**
 * The five executions routes: two list paths with the same page, export, detail and cancel.
 * Errors: 400 bad filter or page values (or a cookie caller without `teamId`), 403 another team or
 * too low a role, 404 an unknown or other team's execution, 409 cancelling a finished one.
 */
export const executionRoutes: AnyRoute[] = [
  /**
   * `GET /api/executions?teamId=&page=&size=&status=&workflowId=&from=&to=` (3.3 #1b): the path
   * every SDK calls. A token may omit `teamId`; a cookie caller must send it (1.8).
   */
  defineRoute({
    method: 'GET',
    path: '/api/executions',
    response: { body: pageSchema(executionSummary) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.3' },
    permission: 'executions:view',
    team: { from: 'query' },
    query: listQuery,
    handler: listPage,
  }),
  /** `GET /api/executions/team/:teamId` (3.3 #1, documented): the same page, team from the path. */
  defineRoute({
    method: 'GET',
    path: '/api/executions/team/:teamId',
    response: { body: pageSchema(executionSummary) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.3' },
    permission: 'executions:view',
    team: { from: 'path', param: 'teamId' },
    query: teamListQuery,
    handler: listPage,
  }),
  /**
   * `GET /api/executions/team/:teamId/export?format=csv|json` plus the list filters (3.3 #4,
   * [INF] 2.4: VIEWER): every matching execution as a file download.
   */
  defineRoute({
    method: 'GET',
    path: '/api/executions/team/:teamId/export',
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.3', inferred: true },
    permission: 'executions:view',
    team: { from: 'path', param: 'teamId' },
    query: exportQuery,
    handler({ state, team, query }) {
      const now = state.clock.now();
      const { format, ...filter } = query;
      const matches = listTeamExecutions(state, team.id, filter, now);
      // The matches as of the request (an array of references); the body is written from it in chunks.
      return exportResponse(matches.slice(0, matches.total), { format, teamId: team.id, now });
    },
  }),
  /** `GET /api/executions/:id` (3.3 #2): ExecutionDetail, the union of both documented shapes (4.3). */
  defineRoute({
    method: 'GET',
    path: '/api/executions/:id',
    response: { body: executionDetail },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.3' },
    permission: 'executions:view',
    team: executionById,
    handler({ state, resource }) {
      return json(toExecutionDetail(resource, state.clock.now()));
    },
  }),
  /**
   * `POST /api/executions/:id/cancel` ([INF] 3.3 #3, 2.4: OPERATOR, i.e. `workflows:execute`):
   * 200 with the CANCELLED ExecutionDetail, 409 once the execution has finished.
   */
  defineRoute({
    method: 'POST',
    path: '/api/executions/:id/cancel',
    response: { body: executionDetail },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.3', inferred: true },
    permission: 'workflows:execute',
    team: executionById,
    audit: { action: 'EXECUTION_CANCELLED', resourceType: 'EXECUTION' },
    async handler({ state, resource, audit }) {
      const now = state.clock.now();
      audit.details = { workflowName: resource.workflowName };
      const cancelled = await cancelExecution(state, resource, now);
      return json(toExecutionDetail(cancelled, now));
    },
  }),
];
