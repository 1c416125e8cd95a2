import { z } from 'zod';
import { pageSchema } from '../../core/paginate.ts';
import type { SandboxState } from '../../state.ts';
import { tokenUsageSchema, toolCallSchema, type ChatMessageRecord, type ChatSessionRecord } from './records.ts';

/**
 * Wire shapes of agent chat (nodeloom-api.md 3.5): ChatMessage `{id, role, content, createdAt,
 * tokenUsage?}` plus [INF] `sessionId`, `model`, `toolCalls`, `thoughts` (assistant only) and
 * `incomplete`; the session list item and the session with its messages.
 */

/** A message as the API returns it. */
export function toChatMessage(record: ChatMessageRecord) {
  const base = { id: record.id, sessionId: record.sessionId, role: record.role, content: record.content, createdAt: record.createdAt };
  if (record.role === 'user') return { ...base, incomplete: record.incomplete };
  return {
    ...base,
    tokenUsage: record.tokenUsage,
    model: record.model,
    toolCalls: record.toolCalls,
    thoughts: record.thoughts,
    incomplete: record.incomplete,
  };
}

/** A session's messages in the order they were stored. */
export function messagesOf(state: SandboxState, sessionId: string): ChatMessageRecord[] {
  return state.db.chatMessages.filter((m) => m.sessionId === sessionId);
}

/** List item (3.5 #2): `{id, workflowId, title, messageCount, createdAt, lastMessageAt}`. */
export function toSessionSummary(session: ChatSessionRecord, messageCount: number) {
  return {
    id: session.id,
    workflowId: session.workflowId,
    title: session.title,
    messageCount,
    createdAt: session.createdAt,
    lastMessageAt: session.lastMessageAt,
  };
}

/** A session with its messages (3.5 #1, #3) plus [INF] `teamId`, `model`, `systemPrompt`, `updatedAt`, `lastMessageAt`. */
export function toSessionDetail(state: SandboxState, session: ChatSessionRecord) {
  return {
    id: session.id,
    teamId: session.teamId,
    workflowId: session.workflowId,
    title: session.title,
    model: session.model,
    systemPrompt: session.systemPrompt,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    lastMessageAt: session.lastMessageAt,
    messages: messagesOf(state, session.id).map(toChatMessage),
  };
}

/** {@link toChatMessage}'s answer as a zod schema (OpenAPI only): a user message, or an assistant one with its usage and tool calls. */
export const chatMessageView = z.union([
  z.object({ id: z.string(), sessionId: z.string(), role: z.literal('user'), content: z.string(), createdAt: z.iso.datetime(), incomplete: z.boolean() }),
  z.object({
    id: z.string(),
    sessionId: z.string(),
    role: z.literal('assistant'),
    content: z.string(),
    createdAt: z.iso.datetime(),
    tokenUsage: tokenUsageSchema.nullable(),
    model: z.string().nullable(),
    toolCalls: z.array(toolCallSchema),
    thoughts: z.array(z.string()),
    incomplete: z.boolean(),
  }),
]);

/** {@link toSessionSummary}'s page as a zod schema (`GET /api/agent-chat/sessions`, OpenAPI only). */
export const sessionSummaryPageView = pageSchema(
  z.object({ id: z.string(), workflowId: z.string(), title: z.string(), messageCount: z.number().int().min(0), createdAt: z.iso.datetime(), lastMessageAt: z.iso.datetime().nullable() }),
);

/** {@link toSessionDetail}'s answer as a zod schema (OpenAPI only). */
export const sessionDetailView = z.object({
  id: z.string(),
  teamId: z.string(),
  workflowId: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  systemPrompt: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastMessageAt: z.iso.datetime().nullable(),
  messages: z.array(chatMessageView),
});
