import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import type { ChatSessionRecord } from './records.ts';
import { createSessionBody, listSessionsQuery, renameSessionBody, replyEventSchemas, sendMessageBody } from './schema.ts';
import { sendMessage } from './send.ts';
import { createSession, deleteSession, listSessions, loadDashboardSession, renameSession } from './service.ts';
import { sessionDetailView, sessionSummaryPageView, toSessionDetail } from './view.ts';

/**
 * The agent-chat routes (nodeloom-api.md 3.5). Roles (2.4 [INF]): VIEWER lists and reads
 * (`chat:view`); OPERATOR creates, renames, sends and deletes (`chat:use`). A session of another
 * team, or a widget conversation, answers 404.
 */

const sessionById: TeamSource<SandboxState, ChatSessionRecord> = { from: 'resource', name: 'Chat session', param: 'id', load: loadDashboardSession };

/** Every agent-chat route. */
export const chatRoutes: AnyRoute[] = [
  // 3.5 #1: 201 `{id, workflowId, title, createdAt, messages: []}`; the workflow needs an AI Agent node.
  defineRoute({
    method: 'POST',
    path: '/api/agent-chat/sessions',
    response: { body: sessionDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:use',
    team: { from: 'body' },
    body: createSessionBody,
    audit: { action: 'CHAT_SESSION_CREATED', resourceType: 'CHAT_SESSION' },
    spec: { section: '3.5' },
    async handler({ state, team, principal, body, audit }) {
      const session = await createSession(state, team.id, principal, body);
      audit.resourceId = session.id;
      audit.details = { title: session.title, workflowId: session.workflowId };
      return json(toSessionDetail(state, session), 201);
    },
  }),
  // 3.5 #2: Page of `{id, workflowId, title, messageCount, createdAt, lastMessageAt}`, latest activity first.
  defineRoute({
    method: 'GET',
    path: '/api/agent-chat/sessions',
    response: { body: sessionSummaryPageView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:view',
    team: { from: 'query' },
    query: listSessionsQuery,
    spec: { section: '3.5' },
    handler: ({ state, team, query }) => json(listSessions(state, team.id, query)),
  }),
  // 3.5 #3: the session with its messages.
  defineRoute({
    method: 'GET',
    path: '/api/agent-chat/sessions/:id',
    response: { body: sessionDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:view',
    team: sessionById,
    spec: { section: '3.5' },
    handler: ({ state, resource }) => json(toSessionDetail(state, resource)),
  }),
  // 3.5 #6 [INF]: rename, 200 session.
  defineRoute({
    method: 'PATCH',
    path: '/api/agent-chat/sessions/:id',
    response: { body: sessionDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:use',
    team: sessionById,
    body: renameSessionBody,
    audit: { action: 'CHAT_SESSION_UPDATED', resourceType: 'CHAT_SESSION' },
    spec: { section: '3.5', inferred: true },
    async handler({ state, resource, body, audit }) {
      audit.details = { title: body.title, previousTitle: resource.title };
      return json(toSessionDetail(state, await renameSession(state, resource, body.title)));
    },
  }),
  // 3.5 #5 [INF]: 204; the history goes with it (D-ACHAT).
  defineRoute({
    method: 'DELETE',
    path: '/api/agent-chat/sessions/:id',
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:use',
    team: sessionById,
    audit: { action: 'CHAT_SESSION_DELETED', resourceType: 'CHAT_SESSION' },
    spec: { section: '3.5', inferred: true },
    async handler({ state, resource, audit }) {
      audit.details = { title: resource.title };
      await deleteSession(state, resource);
      return noContent();
    },
  }),
  // 3.5 #4 [INF]: the reply streamed as server-sent events, or one JSON ChatMessage with Accept: application/json.
  defineRoute({
    method: 'POST',
    path: '/api/agent-chat/sessions/:id/messages',
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'chat:use',
    team: sessionById,
    body: sendMessageBody,
    audit: { action: 'CHAT_MESSAGE_SENT', resourceType: 'CHAT_SESSION' },
    spec: { section: '3.5', inferred: true },
    response: { events: replyEventSchemas },
    async handler({ state, request, resource, body, stream, onSettled, audit }) {
      audit.details = { characters: body.content.length };
      return sendMessage({ state, request, stream, onSettled }, resource, body);
    },
  }),
];
