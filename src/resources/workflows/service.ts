import { HttpError } from '../../core/http-error.ts';
import { toPage, type Page } from '../../core/paginate.ts';
import type { MemberPrincipal } from '../../core/principal.ts';
import type { SandboxState } from '../../state.ts';
import { planExecution, topologicalOrder } from '../executions/plan.ts';
import type { ExecutionStatus } from '../executions/records.ts';
import { statusAt, toExecutionSummary } from '../executions/view.ts';
import type { WorkflowEdge, WorkflowNode, WorkflowRecord } from './records.ts';
import { newestFirst, workflowIndex } from './workflow-index.ts';
import { isTriggerType, type CreateWorkflowBody, type EdgeInput, type NodeInput, type UpdateWorkflowBody } from './schema.ts';

/**
 * Workflow logic behind the thin routes (nodeloom-api.md 3.2). Team scope and RBAC are settled by
 * the pipeline before these run; records passed in already belong to the caller's team.
 */

/** WorkflowSummary (list item, nodeloom-api.md 3.2): `{id, name, description, active, createdAt, updatedAt, nodeCount, lastExecutionStatus}`. */
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  nodeCount: number;
  lastExecutionStatus: ExecutionStatus | null;
}

/** The newest execution's status at `now` (epoch ms), derived from the clock; null when it never ran. */
export function lastExecutionStatus(record: WorkflowRecord, state: SandboxState, now = state.clock.now()): ExecutionStatus | null {
  const execution = record.lastExecutionId === null ? undefined : state.db.executions.get(record.lastExecutionId);
  return execution ? statusAt(execution, now) : null;
}

/** The list item shape of a workflow. */
export function toWorkflowSummary(record: WorkflowRecord, state: SandboxState, now = state.clock.now()): WorkflowSummary {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    active: record.active,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    nodeCount: record.nodes.length,
    lastExecutionStatus: lastExecutionStatus(record, state, now),
  };
}

/**
 * The full Workflow: the documented create shape `{id, name, description, active, teamId, createdAt,
 * updatedAt}` plus `version`, `nodeCount`, `lastExecutionStatus`, `nodes`, `edges` ([INF] 3.2).
 */
export function toWorkflow(record: WorkflowRecord, state: SandboxState) {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    active: record.active,
    teamId: record.teamId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
    nodeCount: record.nodes.length,
    lastExecutionStatus: lastExecutionStatus(record, state),
    nodes: record.nodes,
    edges: record.edges,
  };
}


/**
 * One page of a team's workflows, newest first ({@link newestFirst}), optionally filtered by a
 * case-insensitive name substring. Cost: a slice of the team's sorted workflows
 * ({@link workflowIndex}); with a search, one pass over the team's workflows.
 */
export function listWorkflows(state: SandboxState, teamId: string, query: { page: number; size: number; search?: string }): Page<WorkflowSummary> {
  const needle = query.search?.trim().toLowerCase() ?? '';
  const team = state.db.workflows.derived(workflowIndex).get(teamId) ?? [];
  const matches = needle === '' ? team : team.filter((w) => w.name.toLowerCase().includes(needle));
  const now = state.clock.now();
  return toPage(matches, query.page, query.size, (record) => toWorkflowSummary(record, state, now));
}

const humanize = (type: string) =>
  type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

/**
 * Fills defaults of client-sent nodes and edges (node name = its type in words, edge id `edge_<n>`)
 * and checks the graph rules of D-CWF / D-EDGE (nodeloom-api.md 3.2).
 * @throws HttpError 400 naming the problem: duplicate node or edge id, an edge to or from a node
 *   that does not exist, more than one trigger node, or a cycle
 */
export function normalizeGraph(nodesIn: readonly NodeInput[], edgesIn: readonly EdgeInput[]): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const nodes = nodesIn.map((node) => ({ ...node, name: node.name ?? humanize(node.type) }));
  const edges = edgesIn.map((edge, index) => ({ ...edge, id: edge.id ?? `edge_${index + 1}` }));
  const nodeIds = new Set<string>();
  for (const node of nodes) {
    if (nodeIds.has(node.id)) throw new HttpError(400, `Node id "${node.id}" is used by more than one node; node ids must be unique.`);
    nodeIds.add(node.id);
  }
  const edgeIds = new Set<string>();
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) throw new HttpError(400, `Edge id "${edge.id}" is used by more than one edge; edge ids must be unique.`);
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(edge[end])) {
        throw new HttpError(400, `Edge "${edge.id}" has ${end} "${edge[end]}", but no node has that id. Edges must connect nodes of the workflow.`);
      }
    }
  }
  const triggers = nodes.filter((node) => isTriggerType(node.type));
  if (triggers.length > 1) {
    const list = triggers.map((node) => `${node.id} (${node.type})`).join(', ');
    throw new HttpError(400, `A workflow can have only one trigger node; found ${triggers.length}: ${list}.`);
  }
  const { blocked } = topologicalOrder(nodes, edges);
  if (blocked.length > 0) {
    throw new HttpError(400, `Edges form a cycle through node "${nodeOnCycle(blocked, edges)}"; workflows must not contain cycles.`);
  }
  return { nodes, edges };
}

/**
 * A node on a cycle. Every node Kahn's algorithm could not order has an incoming edge from another
 * such node, so walking back along those edges must revisit a node, and that node is on a cycle.
 */
function nodeOnCycle(blocked: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): string {
  const ids = new Set(blocked.map((node) => node.id));
  const seen = new Set<string>();
  let current = blocked[0]!.id;
  while (!seen.has(current)) {
    seen.add(current);
    current = edges.find((edge) => edge.target === current && ids.has(edge.source))!.source;
  }
  return current;
}

const actorId = (principal: MemberPrincipal) => (principal.kind === 'user' ? principal.user.id : principal.creator.id);

/**
 * Creates a workflow in `teamId`: inactive, version 1, `createdAt = updatedAt = clock` (3.2 #2).
 * @throws HttpError 400 for graph problems (see {@link normalizeGraph})
 */
export async function createWorkflow(state: SandboxState, teamId: string, principal: MemberPrincipal, body: CreateWorkflowBody): Promise<WorkflowRecord> {
  const { nodes, edges } = normalizeGraph(body.nodes ?? [], body.edges ?? []);
  const now = state.clock.iso();
  return state.db.workflows.insert({
    id: state.ids.uuid(),
    teamId,
    name: body.name,
    description: body.description ?? null,
    active: false,
    nodes,
    edges,
    version: 1,
    createdBy: actorId(principal),
    createdAt: now,
    updatedAt: now,
    lastExecutionId: null,
  });
}

/**
 * Applies a partial update (3.2 #3 [INF]). New nodes are checked together with the edges that will
 * be stored (given or kept). `version` goes up by one when nodes or edges change; `updatedAt` moves
 * to the clock only when something changed (an unchanged save writes nothing, as a JPA entity that
 * is not dirty is not updated).
 * @throws HttpError 400 for graph problems
 */
export async function updateWorkflow(state: SandboxState, record: WorkflowRecord, body: UpdateWorkflowBody): Promise<WorkflowRecord> {
  const patch: Partial<WorkflowRecord> = {};
  if (body.name !== undefined && body.name !== record.name) patch.name = body.name;
  if (body.description !== undefined && body.description !== record.description) patch.description = body.description;
  if (body.active !== undefined && body.active !== record.active) patch.active = body.active;
  if (body.nodes !== undefined || body.edges !== undefined) {
    const graph = normalizeGraph(body.nodes ?? record.nodes, body.edges ?? record.edges);
    if (JSON.stringify(graph) !== JSON.stringify({ nodes: record.nodes, edges: record.edges })) {
      Object.assign(patch, graph, { version: record.version + 1 });
    }
  }
  if (Object.keys(patch).length === 0) return record;
  return (await state.db.workflows.update(record.id, { ...patch, updatedAt: state.clock.iso() }))!;
}

/** Activates or deactivates a workflow (3.2 #7 [INF]); a no-op when it is already in that state. */
export function setWorkflowActive(state: SandboxState, record: WorkflowRecord, active: boolean): Promise<WorkflowRecord> {
  return updateWorkflow(state, record, { active });
}

/**
 * Deletes a workflow (3.2 #5 [INF]) with what cannot work without it: its widgets (their embed
 * tokens stop at once, as a widget delete does, 3.6 #4) and its chat sessions with their messages,
 * its dashboard sessions and its widgets' conversations (D-ACHAT: a session's delete removes its
 * history; a widget that was switched to another workflow keeps its conversations, D-WSET). The
 * model is the team delete's documented cascade (3.9 #5: "cascades workflows, executions,
 * credentials, widgets, chat sessions") [INF]. Its executions are kept: execution history stays
 * readable (they carry `workflowName`) and audit/export reports do not lose rows; so do SDK agents
 * that name it (telemetry, like executions, outlives what it describes).
 * @returns how many widgets and chat sessions went with it
 */
export async function deleteWorkflow(state: SandboxState, record: WorkflowRecord): Promise<{ widgets: number; chatSessions: number }> {
  const doomedWidgets = new Set(state.db.widgets.filter((widget) => widget.workflowId === record.id).map((widget) => widget.id));
  // A widget conversation belongs to its widget: it goes with a widget that goes, and stays with
  // one that stays, though it was started on this workflow before the widget was switched to
  // another ("workflow can be switched at any time, history kept", D-WSET).
  const survives = (widgetId: string | null) => widgetId !== null && !doomedWidgets.has(widgetId) && state.db.widgets.get(widgetId) !== undefined;
  const sessions = new Set(
    state.db.chatSessions
      .filter((session) => (session.widgetId !== null && doomedWidgets.has(session.widgetId)) || (session.workflowId === record.id && !survives(session.widgetId)))
      .map((session) => session.id),
  );
  if (sessions.size > 0) {
    await state.db.chatMessages.deleteWhere((message) => sessions.has(message.sessionId));
    await state.db.chatSessions.deleteWhere((session) => sessions.has(session.id));
  }
  const widgets = await state.db.widgets.deleteWhere((widget) => doomedWidgets.has(widget.id));
  await state.db.workflows.delete(record.id);
  return { widgets, chatSessions: sessions.size };
}

/**
 * Starts a run (3.2 #6): plans the execution from the runtime random stream, stores it and points
 * the workflow's `lastExecutionId` at it. The run is PENDING for 250 ms, then RUNNING for the sum of
 * its node durations, then SUCCESS, or FAILED when `input.__sandboxFail === true`.
 * Inactive workflows run too: activation governs automatic triggers, and 3.2 lists no error for
 * executing an inactive workflow (manual and API runs) [INF].
 * Trigger type: `API` for SDK-token calls, `MANUAL` for dashboard (cookie) calls [INF 3.3].
 * @returns `{id, executionId (same id), workflowId, status, startedAt, createdAt}` as of the clock;
 *   `startedAt` is null while PENDING, as in `GET /api/executions/:id`
 */
export async function executeWorkflow(state: SandboxState, record: WorkflowRecord, principal: MemberPrincipal, input: Record<string, unknown>) {
  const now = state.clock.now();
  const execution = planExecution(record, {
    id: state.ids.uuid(),
    input,
    triggerType: principal.kind === 'token' ? 'API' : 'MANUAL',
    createdAt: now,
    random: state.random,
  });
  await state.db.executions.insert(execution);
  await state.db.workflows.update(record.id, { lastExecutionId: execution.id });
  const summary = toExecutionSummary(execution, now);
  return {
    id: execution.id,
    executionId: execution.id,
    workflowId: record.id,
    status: summary.status,
    startedAt: summary.startedAt,
    createdAt: execution.createdAt,
  };
}
