import { json } from '../../core/respond.ts';
import type { SettleOutcome, StreamEffects } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import { planReply, tokenize } from './agent.ts';
import type { ChatSessionRecord } from './records.ts';
import { EVENT_STREAM_HEADERS, replyStream } from './reply-stream.ts';
import type { SendMessageBody } from './schema.ts';
import { workflowModel } from './service.ts';
import { messagesOf, toChatMessage } from './view.ts';
import type { ApiRequest } from '../../core/api-request.ts';

/**
 * Sending a message (nodeloom-api.md 3.5 #4 [INF]), for agent chat and the widget public API
 * alike: the user message is stored, then the fake agent's reply is streamed as server-sent
 * events, or, with `Accept: application/json`, stored and returned as one ChatMessage.
 */

/** Longest automatic session title taken from the first message, characters. */
const TITLE_LENGTH = 60;

/**
 * The title a session takes from its first message [INF]: the first line, at most 60 characters
 * (cut with "…"), or "" for a blank message.
 */
export function sessionTitleFrom(content: string): string {
  const firstLine = content.trim().split(/\r\n|\r|\n/)[0]!;
  return firstLine.length > TITLE_LENGTH ? `${firstLine.slice(0, TITLE_LENGTH - 1)}…` : firstLine;
}

/**
 * How much an `Accept` header wants one media type (RFC 9110 12.5.1): the quality of the most
 * specific range that matches it (`type/subtype` 2, `type/*` 1, the any-type range 0), or quality 0 and
 * specificity -1 when none does.
 */
function acceptance(accept: string, type: string, subtype: string): { q: number; specificity: number } {
  let best = { q: 0, specificity: -1 };
  for (const range of accept.split(',')) {
    const [mediaRange = '', ...params] = range.split(';');
    const [t = '', s = ''] = mediaRange.trim().toLowerCase().split('/');
    const specificity = t === type && s === subtype ? 2 : t === type && s === '*' ? 1 : t === '*' && s === '*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    best = { q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 1, specificity };
  }
  return best;
}

/**
 * Whether the client asked for the blocking JSON form rather than the stream: `application/json`
 * acceptable and preferred over `text/event-stream` by quality, or by a more specific range at equal
 * quality (Spring's content negotiation). `Accept: application/json`, `application/json,
 * text/event-stream;q=0.5` and `application/*` get JSON; no header, the any-type range alone, or both at equal
 * quality get the stream.
 */
export function wantsJson(request: ApiRequest): boolean {
  const accept = request.headers.get('accept') ?? '';
  const json = acceptance(accept, 'application', 'json');
  const stream = acceptance(accept, 'text', 'event-stream');
  if (json.q <= 0) return false;
  return json.q > stream.q || (json.q === stream.q && json.specificity > stream.specificity);
}

/** What sending needs from the route. */
export interface SendContext {
  state: SandboxState;
  request: ApiRequest;
  /** The scenarios' stream effects (echo, pace, faults). */
  stream: StreamEffects | null;
  onSettled(callback: (outcome: SettleOutcome) => void): void;
  /** The JSON form's body around the stored ChatMessage (default: the message itself). */
  jsonBody?: (message: ReturnType<typeof toChatMessage>) => unknown;
}

/**
 * Stores the user message and answers with the reply: a `text/event-stream` of `token`,
 * `thought`, `tool_call`, `tool_result` and `done` events (200), or the stored assistant message
 * as JSON (200). The assistant message is stored before `done` is sent, with the same id and
 * token usage; when the client leaves (or a fault cuts the stream) the part sent so far is stored
 * marked `incomplete: true` (3.5 [INF]). Message timestamps come from the sandbox clock; pacing
 * is real time.
 */
export async function sendMessage(ctx: SendContext, session: ChatSessionRecord, body: SendMessageBody): Promise<Response> {
  const { state } = ctx;
  const history = messagesOf(state, session.id).map((m) => m.content);
  const now = state.clock.iso();
  await state.db.chatMessages.insert({
    id: state.ids.uuid(),
    teamId: session.teamId,
    sessionId: session.id,
    role: 'user',
    content: body.content,
    tokenUsage: null,
    model: null,
    toolCalls: [],
    thoughts: [],
    incomplete: false,
    createdAt: now,
  });
  const title = sessionTitleFrom(body.content);
  await state.db.chatSessions.update(session.id, {
    lastMessageAt: now,
    updatedAt: now,
    model: body.model ?? session.model,
    systemPrompt: body.systemPrompt ?? session.systemPrompt,
    ...(session.titleGenerated && title ? { title, titleGenerated: false } : {}),
  });
  const systemPrompt = body.systemPrompt ?? session.systemPrompt;
  const model = body.model ?? session.model ?? workflowModel(state, session.workflowId) ?? 'gpt-4o';
  const plan = planReply({ seed: state.seed, sessionId: session.id, prompt: body.content, history, systemPrompt, echo: ctx.stream?.echo });
  const messageId = state.ids.uuid();
  let stored = false;
  const store = async (content: string, incomplete: boolean): Promise<void> => {
    if (stored) return;
    stored = true;
    // The session was deleted while the reply streamed: its history is gone, and so is the reply
    // (nodeloom-api.md 3.5, delete "permanently removes session and history").
    if (!state.db.chatSessions.get(session.id)) return;
    const at = state.clock.iso();
    await state.db.chatMessages.insert({
      id: messageId,
      teamId: session.teamId,
      sessionId: session.id,
      role: 'assistant',
      content,
      tokenUsage: incomplete ? { input: plan.tokenUsage.input, output: tokenize(content).length } : plan.tokenUsage,
      model,
      toolCalls: incomplete && content === '' ? [] : plan.toolCalls,
      thoughts: plan.thoughts,
      incomplete,
      createdAt: at,
    });
    await state.db.chatSessions.update(session.id, { lastMessageAt: at, updatedAt: at });
  };
  if (wantsJson(ctx.request)) {
    await store(plan.content, false);
    const message = toChatMessage(state.db.chatMessages.get(messageId)!);
    return json(ctx.jsonBody ? ctx.jsonBody(message) : message);
  }
  const reply = replyStream({
    events: plan.events,
    messageId,
    tokenUsage: plan.tokenUsage,
    tokenDelayMs: state.chat.tokenDelayMs,
    effects: ctx.stream,
    seed: state.seed,
    store,
  });
  ctx.onSettled((outcome) => {
    // The client left (or the body failed) before the reply was stored: keep what it was sent.
    if (outcome !== 'complete') store(reply.sent(), true).catch((error) => console.error('[nodeloom-sandbox] storing a partial reply failed', error));
  });
  return new Response(reply.body, { status: 200, headers: EVENT_STREAM_HEADERS });
}
