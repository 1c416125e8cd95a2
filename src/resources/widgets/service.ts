import { HttpError } from '../../core/http-error.ts';
import { actingUser, type Principal } from '../../core/principal.ts';
import type { SandboxState } from '../../state.ts';
import { agentWorkflow } from '../chat/service.ts';
import type { Customization, WidgetRecord } from './records.ts';
import type { CreateWidgetBody, UpdateWidgetBody } from './schema.ts';

/**
 * Widgets (nodeloom-api.md 3.6). The pipeline has checked the caller's role in the path's team;
 * a widget of another team answers 404 here.
 */

/** Customization a new widget starts from (3.6 documented example, plus [INF] welcome message and placeholder). */
export const DEFAULT_CUSTOMIZATION: Customization = {
  primaryColor: '#6366f1',
  title: 'How can we help?',
  position: 'bottom-right',
  welcomeMessage: 'Hi! How can I help you today?',
  inputPlaceholder: 'Type your message…',
};

/** A new embed token: `wgt_` and 32 hex digits from the seeded id source. */
export function newWidgetToken(state: SandboxState): string {
  return `wgt_${state.ids.uuid().replaceAll('-', '')}`;
}

/** The Widget as the API returns it (3.6; `token` only when given, on create and regenerate-token). */
export function toWidget(record: WidgetRecord, withToken = false) {
  return {
    id: record.id,
    teamId: record.teamId,
    name: record.name,
    workflowId: record.workflowId,
    active: record.active,
    customization: record.customization,
    allowedDomains: record.allowedDomains,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(withToken ? { token: record.token } : {}),
  };
}

/**
 * The team's widget with this id.
 * @throws HttpError 404 when there is none (or it is another team's)
 */
export function loadWidget(state: SandboxState, teamId: string, id: string): WidgetRecord {
  const widget = state.db.widgets.get(id);
  if (!widget || widget.teamId !== teamId) throw new HttpError(404, `Widget ${id} not found in team ${teamId}.`);
  return widget;
}

/** The team's widgets, newest first (3.6 #1: a plain array). */
export function listWidgets(state: SandboxState, teamId: string): WidgetRecord[] {
  return state.db.widgets.filter((w) => w.teamId === teamId).sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? -1 : 1));
}

/**
 * Creates a widget with a fresh token (3.6 #2).
 * @throws HttpError 400 when the workflow is not the team's or has no AI Agent node (D-WSET)
 */
export async function createWidget(state: SandboxState, teamId: string, principal: Principal, body: CreateWidgetBody): Promise<WidgetRecord> {
  agentWorkflow(state, teamId, body.workflowId, 'A widget');
  const now = state.clock.iso();
  return state.db.widgets.insert({
    id: state.ids.uuid(),
    teamId,
    name: body.name,
    workflowId: body.workflowId,
    active: body.active ?? true,
    customization: { ...DEFAULT_CUSTOMIZATION, ...body.customization },
    allowedDomains: body.allowedDomains ?? [],
    token: newWidgetToken(state),
    createdBy: actingUser(principal)?.id ?? null,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * Partial update (3.6 #3): only the fields given change; `customization` keys are merged into the
 * current ones. Switching the workflow keeps the conversations (D-WSET).
 * @throws HttpError 400 for a workflow without an AI Agent node
 */
export async function updateWidget(state: SandboxState, widget: WidgetRecord, body: UpdateWidgetBody): Promise<WidgetRecord> {
  if (body.workflowId !== undefined) agentWorkflow(state, widget.teamId, body.workflowId, 'A widget');
  const patch: Partial<WidgetRecord> = { updatedAt: state.clock.iso() };
  if (body.name !== undefined) patch.name = body.name;
  if (body.workflowId !== undefined) patch.workflowId = body.workflowId;
  if (body.active !== undefined) patch.active = body.active;
  if (body.allowedDomains !== undefined) patch.allowedDomains = body.allowedDomains;
  if (body.customization !== undefined) patch.customization = { ...widget.customization, ...body.customization };
  return (await state.db.widgets.update(widget.id, patch))!;
}

/** Replaces the token; the old one stops working at once (3.6 #6). */
export async function regenerateToken(state: SandboxState, widget: WidgetRecord): Promise<WidgetRecord> {
  return (await state.db.widgets.update(widget.id, { token: newWidgetToken(state), updatedAt: state.clock.iso() }))!;
}

/**
 * The embed snippet (3.6 #5): a script tag loading `/widget.js` from the sandbox's own origin (the
 * request's), with the widget's token.
 */
export function embedCode(origin: string, widget: WidgetRecord): { embedCode: string } {
  return { embedCode: `<script src="${origin}/widget.js" data-token="${widget.token}"></script>` };
}
