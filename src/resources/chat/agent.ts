import { hash32, seededUnit } from '../../core/seeded.ts';
import { ARTICLES, BULLETS, CLOSERS, CODE_BLOCKS, HEADINGS, LOOKUP_OPENERS, OPENERS, SEARCH_OPENERS, STEPS, STOPWORDS, THOUGHTS } from './agent-text.ts';
import type { TokenUsage, ToolCall } from './records.ts';

/**
 * The fake agent behind agent chat and widgets (nodeloom-api.md 3.5): not an LLM, but a
 * deterministic writer whose replies derive from the seed, the session and the prompt, and read
 * like a helpful agent's answer (markdown, lists, a code block now and then, seeded tool calls of
 * a knowledge-base search or an HTTP Request node, optional thoughts). Same seed, session and
 * prompt: the same reply, events and token counts.
 */

/** A prompt starting with this prefix is echoed: the reply is exactly the text after it. */
export const ECHO_PREFIX = '/echo ';

/** One event of a reply stream before `done` (3.5 [INF] SSE proposal). */
export type AgentEvent =
  | { event: 'thought'; data: { content: string } }
  | { event: 'tool_call'; data: { id: string; name: string; arguments: Record<string, unknown> } }
  | { event: 'tool_result'; data: { id: string; result: unknown } }
  | { event: 'token'; data: { content: string } };

/** A planned reply: its events (without `done`), the text they spell, and what is stored with it. */
export interface PlannedReply {
  events: AgentEvent[];
  /** The reply: exactly the token contents concatenated. */
  content: string;
  toolCalls: ToolCall[];
  thoughts: string[];
  /** `input`: estimated prompt tokens (system prompt, history, prompt); `output`: the token events. */
  tokenUsage: TokenUsage;
}

/** What a reply derives from. */
export interface ReplyInput {
  seed: number;
  sessionId: string;
  /** The user's message. */
  prompt: string;
  /** Contents of the session's earlier messages, oldest first (they count as input tokens). */
  history: readonly string[];
  systemPrompt: string | null;
  /** Echo mode chosen by a scenario (`chat-echo`): reply with the whole prompt. */
  echo?: boolean;
}

/** Estimated tokens of a text: one per 4 characters, rounded up (the usual rule of thumb). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Splits text into LLM-like tokens: a word with the whitespace before it, long words in pieces of
 * up to 10 code points (never inside a surrogate pair), trailing whitespace on its own. The tokens
 * concatenate to exactly `text`, CR and LF included.
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S{1,10}|\s+/gu) ?? [];
}

/**
 * Plans the reply to one prompt.
 * @returns events, content, tool calls, thoughts and token usage (`output` = number of token events)
 */
export function planReply(input: ReplyInput): PlannedReply {
  const echoed = input.echo ? input.prompt : input.prompt.startsWith(ECHO_PREFIX) ? input.prompt.slice(ECHO_PREFIX.length) : undefined;
  const events: AgentEvent[] = [];
  const toolCalls: ToolCall[] = [];
  const thoughts: string[] = [];
  let content: string;
  if (echoed !== undefined) {
    content = echoed;
  } else {
    const draw = (key: string) => seededUnit(input.seed, `chat:${input.sessionId}:${hash32(input.prompt)}:${key}`);
    const pick = <T>(key: string, list: readonly T[]): T => list[Math.floor(draw(key) * list.length)]!;
    const keywords = keywordsOf(input.prompt);
    const topic = keywords ? `**${keywords}**` : 'this';
    const fill = (text: string) => text.replaceAll('{topic}', topic).replaceAll('{n}', String(1000 + Math.floor(draw('n') * 9000)));
    const tool = draw('tool') < 0.45 ? 'search' : draw('tool') < 0.7 ? 'http' : null;
    if (draw('thought') < 0.5) {
      const thought = fill(tool === 'http' ? THOUGHTS[2] : tool === 'search' ? pick('thought-text', THOUGHTS.slice(0, 2)) : THOUGHTS[3]);
      thoughts.push(thought);
      events.push({ event: 'thought', data: { content: thought } });
    }
    let opener = fill(pick('opener', OPENERS));
    if (tool) {
      const id = `call_${hash32(`${input.seed}:${input.sessionId}:${input.prompt}:call`).toString(16).padStart(8, '0')}`;
      const call = tool === 'search' ? searchCall(id, keywords || input.prompt.slice(0, 80), pick('article', ARTICLES), draw) : httpCall(id, draw);
      toolCalls.push(call);
      events.push({ event: 'tool_call', data: { id, name: call.name, arguments: call.arguments } });
      events.push({ event: 'tool_result', data: { id, result: call.result } });
      opener = tool === 'search' ? fill(pick('opener', SEARCH_OPENERS)).replace('{article}', pick('article', ARTICLES)) : fill(pick('opener', LOOKUP_OPENERS));
    }
    const parts = [opener, draw('shape') < 0.55 ? stepList(draw, pick) : bulletList(draw, pick)];
    if (draw('code') < 0.35) parts.push(fill(pick('code-block', CODE_BLOCKS)));
    parts.push(pick('closer', CLOSERS));
    content = parts.join('\n\n');
  }
  const tokens = tokenize(content);
  for (const token of tokens) events.push({ event: 'token', data: { content: token } });
  const input_ = [input.systemPrompt ?? '', ...input.history, input.prompt].reduce((sum, text) => sum + estimateTokens(text) + 4, 0);
  return { events, content, toolCalls, thoughts, tokenUsage: { input: input_, output: tokens.length } };
}

/** Up to three keywords of the prompt, in order ("gripper calibration drift"), or "" when it has none. */
export function keywordsOf(prompt: string): string {
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}-]{3,}/gu) ?? [];
  const keywords: string[] = [];
  for (const word of words) if (!STOPWORDS.has(word) && !keywords.includes(word) && keywords.length < 3) keywords.push(word);
  return keywords.join(' ');
}

type Draw = (key: string) => number;
type Pick = <T>(key: string, list: readonly T[]) => T;

/** Three to five numbered steps, no step twice. */
function stepList(draw: Draw, pick: Pick): string {
  const count = 3 + Math.floor(draw('steps') * 3);
  const start = Math.floor(draw('step-start') * STEPS.length);
  const lines = [];
  for (let i = 0; i < count; i++) {
    const [title, detail] = STEPS[(start + i * 5) % STEPS.length]!;
    lines.push(`${i + 1}. **${title}** — ${detail}`);
  }
  return `${pick('intro', ['Here is what I would do:', 'Try these steps in order:', 'The usual sequence is:'])}\n\n${lines.join('\n')}`;
}

/** A heading and three or four bullets. */
function bulletList(draw: Draw, pick: Pick): string {
  const count = 3 + Math.floor(draw('bullets') * 2);
  const start = Math.floor(draw('bullet-start') * BULLETS.length);
  const lines = [];
  for (let i = 0; i < count; i++) lines.push(`- ${BULLETS[(start + i * 3) % BULLETS.length]}`);
  return `### ${pick('heading', HEADINGS)}\n\n${lines.join('\n')}`;
}

/** A knowledge-base search through an MCP tool node (D-TOOLS). */
function searchCall(id: string, topic: string, article: string, draw: Draw): ToolCall {
  const slug = article.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    id,
    name: 'knowledge_base_search',
    arguments: { query: topic, limit: 3 },
    result: {
      results: [
        { title: article, url: `https://help.acme-robotics.example/articles/${slug}`, score: Math.round((0.78 + draw('score') * 0.2) * 100) / 100 },
        { title: ARTICLES[Math.floor(draw('second') * ARTICLES.length)], url: 'https://help.acme-robotics.example/articles/faq', score: 0.61 },
      ],
    },
  };
}

/** A lookup through the workflow's HTTP Request node. */
function httpCall(id: string, draw: Draw): ToolCall {
  const order = 10_000 + Math.floor(draw('order') * 90_000);
  return {
    id,
    name: 'http_request',
    arguments: { method: 'GET', url: `https://api.acme-robotics.example/v2/orders/${order}` },
    result: { status: 200, body: { id: order, status: draw('shipped') < 0.6 ? 'SHIPPED' : 'PROCESSING', carrier: 'DHL', etaDays: 1 + Math.floor(draw('eta') * 4) } },
  };
}
