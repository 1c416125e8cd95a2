import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ACME_TEAM_ID, type Sandbox, type SandboxOptions } from 'nodeloom-sandbox';
import { call, testSandbox } from './helpers.ts';

/** One parsed server-sent event: its type and its JSON data. */
export interface ChatEvent {
  event: string;
  data: any;
}

/** A sandbox for chat tests: frozen clock, replies sent at once (token delay 0) unless given. */
export async function chatSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = testSandbox({ chat: { tokenDelayMs: 0 }, ...options });
  await sandbox.ready;
  return sandbox;
}

/** Parses an event-stream text with eventsource-parser (the WHATWG rules), keeping every event's raw data. */
export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(text);
  return events;
}

/** The events of an event-stream text, data parsed as JSON. */
export function chatEvents(text: string): ChatEvent[] {
  return parseSse(text).map((e) => ({ event: e.event ?? 'message', data: JSON.parse(e.data) }));
}

/** The token contents of a reply, concatenated. */
export function tokensOf(events: readonly ChatEvent[]): string {
  return events.filter((e) => e.event === 'token').map((e) => e.data.content).join('');
}

/** A team's first workflow with an AI Agent node. */
export function agentWorkflowId(sandbox: Sandbox, teamId = ACME_TEAM_ID): string {
  return sandbox.state.db.workflows.all().find((w) => w.teamId === teamId && w.nodes.some((n) => n.type === 'AI_AGENT'))!.id;
}

/** A team's first workflow without an AI Agent node. */
export function plainWorkflowId(sandbox: Sandbox, teamId = ACME_TEAM_ID): string {
  return sandbox.state.db.workflows.all().find((w) => w.teamId === teamId && !w.nodes.some((n) => n.type === 'AI_AGENT'))!.id;
}

/** Creates a dashboard chat session on Acme's first AI-agent workflow; returns its id. */
export async function newSession(sandbox: Sandbox, token = 'sdk_sandbox_operator', body: Record<string, unknown> = {}): Promise<string> {
  const response = await call(sandbox, 'POST', '/api/agent-chat/sessions', { token, body: { workflowId: agentWorkflowId(sandbox), teamId: ACME_TEAM_ID, ...body } });
  if (response.status !== 201) throw new Error(`session create failed: ${response.status} ${response.text}`);
  return response.json.id;
}

/** Sends a chat message (streamed unless `headers` ask for JSON). */
export function sendChat(sandbox: Sandbox, sessionId: string, content: string, options: { token?: string; headers?: Record<string, string> } = {}) {
  return call(sandbox, 'POST', `/api/agent-chat/sessions/${sessionId}/messages`, { token: options.token ?? 'sdk_sandbox_operator', body: { content }, headers: options.headers });
}

/** One body chunk and when it arrived (ms of real time since `since`). */
export interface TimedChunk {
  at: number;
  text: string;
}

/**
 * Reads a body chunk by chunk, timing each chunk, until it ends or fails.
 * @returns the chunks, their text joined, and the error the body failed with (if it did)
 */
export async function readChunks(response: Response, since = performance.now()): Promise<{ chunks: TimedChunk[]; text: string; error?: Error }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: TimedChunk[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push({ at: performance.now() - since, text: decoder.decode(value, { stream: true }) });
    }
  } catch (error) {
    return { chunks, text: chunks.map((c) => c.text).join(''), error: error as Error };
  }
  return { chunks, text: chunks.map((c) => c.text).join('') };
}

/**
 * When each event of a timed read arrived: the arrival time of the chunk completing it.
 * @returns `[event name, ms]` per event, in order
 */
export function eventTimes(chunks: readonly TimedChunk[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let at = 0;
  const parser = createParser({ onEvent: (event) => out.push([event.event ?? 'message', at]) });
  for (const chunk of chunks) {
    at = chunk.at;
    parser.feed(chunk.text);
  }
  return out;
}
