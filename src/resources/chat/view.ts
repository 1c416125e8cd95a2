import type { SandboxState } from '../../state.ts';
import type { ChatMessageRecord, ChatSessionRecord } from './records.ts';

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
