import { HttpError } from '../../core/http-error.ts';
import { toPage, type Page } from '../../core/paginate.ts';
import { actingUser, type Principal } from '../../core/principal.ts';
import type { SandboxState } from '../../state.ts';
import type { WorkflowRecord } from '../workflows/records.ts';
import type { ChatSessionRecord } from './records.ts';
import type { CreateSessionBody, ListSessionsQuery } from './schema.ts';
import { toSessionSummary } from './view.ts';

/**
 * Agent-chat sessions (nodeloom-api.md 3.5). Team scope and RBAC are settled by the pipeline;
 * records passed in belong to the caller's team.
 */

/** The node type of an AI agent (nodeloom-api.md 3.2 [INF] identifiers). */
export const AI_AGENT_NODE = 'AI_AGENT';

/** Title of a session created without one, until its first message names it [INF]. */
export const DEFAULT_SESSION_TITLE = 'New conversation';

/** Whether a workflow has at least one AI Agent node (the rule of 3.5 #1 and D-WSET). */
export function hasAgentNode(workflow: WorkflowRecord): boolean {
  return workflow.nodes.some((node) => node.type === AI_AGENT_NODE);
}

/**
 * The workflow a chat session or widget connects to: it must be one of the team's workflows and
 * contain an AI Agent node (3.5 #1 "an AI-agent workflow"; D-WSET "must contain at least one AI
 * Agent node").
 * @param what who needs it, for the message ("Agent chat", "A widget")
 * @throws HttpError 400 naming the rule
 */
export function agentWorkflow(state: SandboxState, teamId: string, workflowId: string, what: string): WorkflowRecord {
  const workflow = state.db.workflows.get(workflowId);
  if (!workflow || workflow.teamId !== teamId) {
    throw new HttpError(400, `workflowId ${workflowId} is not a workflow of team ${teamId}: ${what} needs one of the team's workflows (GET /api/workflows?teamId=${teamId}).`);
  }
  if (!hasAgentNode(workflow)) {
    throw new HttpError(400, `Workflow "${workflow.name}" has no AI Agent node: ${what} needs a workflow with at least one ${AI_AGENT_NODE} node${agentWorkflowHint(state, teamId)}.`);
  }
  return workflow;
}

/**
 * Names up to two of the team's AI-agent workflows for the 400 above: the workflow list shows no
 * node types, so without it a caller has to open workflows one by one to find one that qualifies.
 * Cost: one pass over the workflows, on the error path only.
 */
function agentWorkflowHint(state: SandboxState, teamId: string): string {
  const agents = state.db.workflows.filter((w) => w.teamId === teamId && hasAgentNode(w)).slice(0, 2);
  if (!agents.length) return `; the team has none yet (give a workflow a node of type ${AI_AGENT_NODE})`;
  return `, such as ${agents.map((w) => `"${w.name}" (${w.id})`).join(' or ')}`;
}

/** The model of a workflow's first AI Agent node, if it names one. */
export function workflowModel(state: SandboxState, workflowId: string): string | undefined {
  const agent = state.db.workflows.get(workflowId)?.nodes.find((node) => node.type === AI_AGENT_NODE);
  const model = agent?.parameters.model;
  return typeof model === 'string' ? model : undefined;
}

/** A dashboard session by id (widget conversations are not agent-chat sessions), for the `resource` team source. */
export function loadDashboardSession(state: SandboxState, id: string): ChatSessionRecord | undefined {
  const session = state.db.chatSessions.get(id);
  return session?.source === 'DASHBOARD' ? session : undefined;
}

/**
 * Creates a dashboard session (3.5 #1).
 * @throws HttpError 400 when the workflow is not the team's or has no AI Agent node
 */
export async function createSession(state: SandboxState, teamId: string, principal: Principal, body: CreateSessionBody): Promise<ChatSessionRecord> {
  agentWorkflow(state, teamId, body.workflowId, 'Agent chat');
  const now = state.clock.iso();
  return state.db.chatSessions.insert({
    id: state.ids.uuid(),
    teamId,
    workflowId: body.workflowId,
    title: body.title ?? DEFAULT_SESSION_TITLE,
    titleGenerated: body.title === undefined,
    source: 'DASHBOARD',
    widgetId: null,
    visitorId: null,
    model: body.model ?? null,
    systemPrompt: body.systemPrompt ?? null,
    createdBy: actingUser(principal)?.id ?? null,
    createdAt: now,
    updatedAt: now,
    lastMessageAt: null,
  });
}

/**
 * One page of a team's dashboard sessions, latest activity first (`lastMessageAt`, else
 * `createdAt`; D-ACHAT "sorted by most recent activity"), filtered by workflow and by `search`
 * (case-insensitive, in titles and message content, 3.5 #2). Cost: one pass over the team's
 * sessions and, with `search`, one over the messages.
 */
export function listSessions(state: SandboxState, teamId: string, query: ListSessionsQuery): Page<ReturnType<typeof toSessionSummary>> {
  const sessions = state.db.chatSessions.filter(
    (s) => s.teamId === teamId && s.source === 'DASHBOARD' && (query.workflowId === undefined || s.workflowId === query.workflowId),
  );
  const counts = new Map<string, number>();
  const needle = query.search?.trim().toLowerCase() ?? '';
  const matching = new Set<string>();
  for (const message of state.db.chatMessages.all()) {
    if (message.teamId !== teamId) continue;
    counts.set(message.sessionId, (counts.get(message.sessionId) ?? 0) + 1);
    if (needle && message.content.toLowerCase().includes(needle)) matching.add(message.sessionId);
  }
  const found = needle ? sessions.filter((s) => matching.has(s.id) || s.title.toLowerCase().includes(needle)) : sessions;
  const activity = (s: ChatSessionRecord) => s.lastMessageAt ?? s.createdAt;
  found.sort((a, b) => (activity(a) !== activity(b) ? (activity(a) < activity(b) ? 1 : -1) : a.id < b.id ? -1 : 1));
  return toPage(found, query.page, query.size, (s) => toSessionSummary(s, counts.get(s.id) ?? 0));
}

/** Renames a session (3.5 #6 [INF]); a renamed session keeps its title when messages arrive. */
export async function renameSession(state: SandboxState, session: ChatSessionRecord, title: string): Promise<ChatSessionRecord> {
  return (await state.db.chatSessions.update(session.id, { title, titleGenerated: false, updatedAt: state.clock.iso() }))!;
}

/** Deletes a session and its history (3.5 #5, D-ACHAT "permanently removes session and history"). */
export async function deleteSession(state: SandboxState, session: ChatSessionRecord): Promise<void> {
  await state.db.chatMessages.deleteWhere((m) => m.sessionId === session.id);
  await state.db.chatSessions.delete(session.id);
}
