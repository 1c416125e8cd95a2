import type { StreamEffects } from '../../core/route.ts';
import { seededUnit } from '../../core/seeded.ts';
import { sleep } from '../../core/sleep.ts';
import type { AgentEvent } from './agent.ts';
import type { TokenUsage } from './records.ts';

/**
 * A chat reply as server-sent events over the POST response (nodeloom-api.md 3.5 [INF] SSE
 * proposal): `token` `{content}`, optional `thought`, `tool_call`, `tool_result`, then `done`
 * `{messageId, tokenUsage: {input, output}}`, or `error` `{message}` for an injected failure.
 *
 * Framing: each event is `event: <name>\ndata: <one line of JSON>\n\n`. JSON.stringify escapes CR
 * and LF inside strings, so no content can end a `data:` line or inject an event.
 *
 * Production is pull-based (`highWaterMark: 0`): an event is made only when the reader asks, so
 * a slow client slows the agent down and nothing is generated ahead of the socket. Pacing is real
 * time (`sleep`), never the sandbox clock, so a frozen clock never stalls a stream; cancelling the
 * body (the client left) wakes any pending wait at once, so no timer outlives the request.
 */

/** Headers of an event-stream answer (3.5 [INF]): no caching, no proxy buffering (nginx `X-Accel-Buffering`). */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
} as const;

/** One event in SSE framing. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The error a `stream-drop` fails the body with. The express host resets the connection on it
 * without logging (`injected`); msw hands the client a body that errors with it: a `TypeError`,
 * as fetch's own body errors are ("terminated" in Node, "network error" in browsers).
 */
export class StreamDropped extends TypeError {
  readonly injected = true;
  constructor() {
    super('terminated: the connection was reset (stream-drop scenario effect)');
    this.name = 'TypeError';
  }
}

/** What the reply stream needs. */
export interface ReplyStreamOptions {
  /** The planned events, without `done`. */
  events: readonly AgentEvent[];
  /** The id the stored assistant message gets (sent in `done`). */
  messageId: string;
  tokenUsage: TokenUsage;
  /** Default delay before each token, ms of real time (a `stream-pace` effect overrides it). */
  tokenDelayMs: number;
  /** The scenarios' stream effects, or null. */
  effects: StreamEffects | null;
  /** The sandbox seed (a seeded pace draws from it). */
  seed: number;
  /**
   * Stores the assistant message with the content sent so far; `incomplete` when the reply was cut
   * (error, drop). Called at most once by the stream; the route also calls it when the client left.
   */
  store(content: string, incomplete: boolean): Promise<void>;
}

/** A reply stream and what it has sent so far. */
export interface ReplyStream {
  body: ReadableStream<Uint8Array>;
  /** Concatenated token contents sent so far. */
  sent(): string;
}

/** How much longer a tool call takes than one token (its `tool_result` waits this many token delays). */
const TOOL_DELAY_FACTOR = 8;

/**
 * Builds the event stream of one reply: paced tokens, the scenario's faults (stall, error, drop)
 * after their number of events (or right before `done` when the reply is shorter), then `done`
 * once the complete message is stored.
 */
export function replyStream(options: ReplyStreamOptions): ReplyStream {
  const { events, effects } = options;
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let content = '';
  let next = 0;
  let sentEvents = 0;
  let tokens = 0;
  let stalled = false;
  const delayFor = (index: number): number => {
    const pace = effects?.pace;
    if (!pace) return options.tokenDelayMs;
    return pace.min + Math.floor(seededUnit(options.seed, `${pace.key}:${index}`) * (pace.max - pace.min + 1));
  };
  const due = (fault: { afterEvents: number } | undefined) => fault !== undefined && (sentEvents >= fault.afterEvents || next >= events.length);
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (due(effects?.stall) && !stalled) {
          stalled = true;
          await sleep(effects!.stall!.ms, abort.signal);
        }
        if (abort.signal.aborted) return;
        if (due(effects?.error)) {
          await options.store(content, true);
          if (abort.signal.aborted) return;
          controller.enqueue(encoder.encode(sseEvent('error', { message: effects!.error!.message })));
          controller.close();
          return;
        }
        if (due(effects?.drop)) {
          await options.store(content, true);
          if (!abort.signal.aborted) controller.error(new StreamDropped());
          return;
        }
        if (next >= events.length) {
          await options.store(content, false);
          if (abort.signal.aborted) return;
          controller.enqueue(encoder.encode(sseEvent('done', { messageId: options.messageId, tokenUsage: options.tokenUsage })));
          controller.close();
          return;
        }
        const event = events[next++]!;
        if (event.event === 'token') await sleep(delayFor(tokens), abort.signal);
        else if (event.event === 'tool_result') await sleep(delayFor(tokens) * TOOL_DELAY_FACTOR, abort.signal);
        if (abort.signal.aborted) return;
        if (event.event === 'token') {
          content += event.data.content;
          tokens += 1;
        }
        sentEvents += 1;
        controller.enqueue(encoder.encode(sseEvent(event.event, event.data)));
      },
      cancel() {
        abort.abort();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, sent: () => content };
}
