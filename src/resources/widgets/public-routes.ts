import { z } from 'zod';
import { refuseOrigin } from '../../core/cors.ts';
import { errorResponse, HttpError } from '../../core/http-error.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import type { ChatSessionRecord } from '../chat/records.ts';
import { replyEventSchemas } from '../chat/schema.ts';
import { sendMessage } from '../chat/send.ts';
import { chatMessageView, messagesOf, toChatMessage } from '../chat/view.ts';
import { defineRoute } from '../define-route.ts';
import { originAllowed } from './origin.ts';
import { customizationSchema, type WidgetRecord } from './records.ts';
import { publicMessageBody, publicSessionBody, publicSessionParams } from './schema.ts';
import type { ApiRequest } from '../../core/api-request.ts';

/**
 * The public end-user widget API, as proposed in nodeloom-api.md 3.6 [INF]: under the embed token
 * in the path, no session or SDK token. The pipeline authenticates the token (401 when unknown,
 * deleted or regenerated) and rate-limits per token and client address, 30/min (SELF
 * security.md). Each route first applies the widget's origin rules (origin.ts): a refused origin
 * gets 403 without `Access-Control-Allow-Origin`; accepted ones are echoed by the CORS layer.
 * Conversations are chat sessions with `source: WIDGET`; their messages stream exactly like agent
 * chat (3.5). End-user traffic is not an administrative action, so it is not audited (the
 * dashboard's agent chat is).
 */

const NOT_AUDITED = { none: 'end-user widget conversations are conversation traffic, not an administrative action (agent chat messages are audited)' };

interface Gate {
  state: SandboxState;
  request: ApiRequest;
  url: URL;
  requestId: string;
  principal: { widget: { id: string } };
}

/**
 * The widget, once its origin rules and active flag pass; otherwise the 403 to answer with.
 * @returns `{widget}` or `{refused: Response}`
 */
function admit(ctx: Gate): { widget: WidgetRecord } | { refused: Response } {
  const widget = ctx.state.db.widgets.get(ctx.principal.widget.id)!;
  const origin = ctx.request.headers.get('origin');
  const at = { path: ctx.url.pathname, timestamp: ctx.state.clock.iso(), requestId: ctx.requestId };
  if (!originAllowed(origin, widget.allowedDomains)) {
    const message =
      origin === null
        ? `This widget only answers pages on its allowedDomains (${widget.allowedDomains.join(', ')}): send the page's Origin header, as browsers do.`
        : `Origin ${origin} may not use this widget: its allowedDomains are ${widget.allowedDomains.join(', ')}. Add the page's host with PUT /api/teams/:teamId/widgets/:id {"allowedDomains": [...]}.`;
    return { refused: refuseOrigin(errorResponse(new HttpError(403, message), at)) };
  }
  if (!widget.active) {
    return { refused: errorResponse(new HttpError(403, `Widget "${widget.name}" is switched off. Set "active": true with PUT /api/teams/:teamId/widgets/:id.`), at) };
  }
  return { widget };
}

/**
 * A conversation of this widget.
 * @throws HttpError 404 for an unknown session or one of another widget
 */
function widgetSession(state: SandboxState, widget: WidgetRecord, sessionId: string): ChatSessionRecord {
  const session = state.db.chatSessions.get(sessionId);
  if (!session || session.source !== 'WIDGET' || session.widgetId !== widget.id) {
    throw new HttpError(404, `Widget session ${sessionId} not found. Start one with POST /api/public/widgets/:token/sessions.`);
  }
  return session;
}

const base = { auth: 'widget-token', rateLimit: 'token-and-address', permission: 'widget', team: { from: 'principal' }, spec: { section: '3.6', inferred: true } } as const;

/** `GET .../config` answer: the widget's look, with its welcome text and placeholder repeated (null when unset). */
const widgetConfigView = z.object({
  name: z.string(),
  customization: customizationSchema,
  welcomeMessage: z.string().nullable(),
  inputPlaceholder: z.string().nullable(),
});

/** Every public widget route. */
export const publicWidgetRoutes: AnyRoute[] = [
  // `{name, customization, welcomeMessage, inputPlaceholder}`.
  defineRoute({
    ...base,
    method: 'GET',
    path: '/api/public/widgets/:token/config',
    response: { body: widgetConfigView },
    handler(ctx) {
      const admitted = admit(ctx);
      if ('refused' in admitted) return admitted.refused;
      const { widget } = admitted;
      return json({
        name: widget.name,
        customization: widget.customization,
        welcomeMessage: widget.customization.welcomeMessage ?? null,
        inputPlaceholder: widget.customization.inputPlaceholder ?? null,
      });
    },
  }),
  // 201 `{sessionId}`: a conversation with the widget's workflow.
  defineRoute({
    ...base,
    method: 'POST',
    path: '/api/public/widgets/:token/sessions',
    response: { body: z.object({ sessionId: z.string() }) },
    body: publicSessionBody,
    audit: NOT_AUDITED,
    async handler(ctx) {
      const admitted = admit(ctx);
      if ('refused' in admitted) return admitted.refused;
      const { widget } = admitted;
      const { state } = ctx;
      const now = state.clock.iso();
      const session = await state.db.chatSessions.insert({
        id: state.ids.uuid(),
        teamId: widget.teamId,
        workflowId: widget.workflowId,
        title: widget.name,
        titleGenerated: true,
        source: 'WIDGET',
        widgetId: widget.id,
        visitorId: ctx.body?.visitorId ?? null,
        model: null,
        systemPrompt: null,
        createdBy: null,
        createdAt: now,
        updatedAt: now,
        lastMessageAt: null,
      });
      return json({ sessionId: session.id }, 201);
    },
  }),
  // The reply streamed like agent chat (3.5), or `{message: ChatMessage}` with Accept: application/json.
  defineRoute({
    ...base,
    method: 'POST',
    path: '/api/public/widgets/:token/sessions/:sessionId/messages',
    params: publicSessionParams,
    body: publicMessageBody,
    audit: NOT_AUDITED,
    response: { events: replyEventSchemas },
    async handler(ctx) {
      const admitted = admit(ctx);
      if ('refused' in admitted) return admitted.refused;
      const session = widgetSession(ctx.state, admitted.widget, ctx.params.sessionId);
      return sendMessage({ ...ctx, jsonBody: (message) => ({ message }) }, session, { content: ctx.body.content });
    },
  }),
  // `ChatMessage[]`, oldest first.
  defineRoute({
    ...base,
    method: 'GET',
    path: '/api/public/widgets/:token/sessions/:sessionId/messages',
    response: { body: z.array(chatMessageView) },
    params: publicSessionParams,
    handler(ctx) {
      const admitted = admit(ctx);
      if ('refused' in admitted) return admitted.refused;
      const session = widgetSession(ctx.state, admitted.widget, ctx.params.sessionId);
      return json(messagesOf(ctx.state, session.id).map(toChatMessage));
    },
  }),
];
