import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACME_TEAM_ID, createSandbox, type Sandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { createHandlers } from 'nodeloom-sandbox/msw';
import { agentWorkflowId, chatEvents, eventTimes, readChunks, tokensOf } from './chat-helpers.ts';
import { TEST_NOW } from './helpers.ts';

/**
 * The same streamed reply through every Node host, read chunk by chunk with timestamps: events
 * must arrive as the agent produces them (40 ms apart here), never buffered to the end.
 */

const DELAY = 40;
const WORDS = 'one two three four five six seven eight';
const OPERATOR = { authorization: 'Bearer sdk_sandbox_operator', 'content-type': 'application/json' };

async function session(base: string, sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${base}/api/agent-chat/sessions`, { method: 'POST', headers: OPERATOR, body: JSON.stringify({ workflowId: agentWorkflowId(sandbox), teamId: ACME_TEAM_ID }) });
  return (await response.json()).id;
}

/** Sends `/echo <WORDS>` and reads the reply with timestamps relative to sending. */
async function timedReply(base: string, sandbox: Sandbox) {
  const id = await session(base, sandbox);
  const sent = performance.now();
  const response = await fetch(`${base}/api/agent-chat/sessions/${id}/messages`, { method: 'POST', headers: OPERATOR, body: JSON.stringify({ content: `/echo ${WORDS}` }) });
  const headersAt = performance.now() - sent;
  let storedAtFirstRead: boolean | undefined;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: Array<{ at: number; text: string }> = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    storedAtFirstRead ??= sandbox.state.db.chatMessages.all().some((m) => m.sessionId === id && m.role === 'assistant');
    chunks.push({ at: performance.now() - sent, text: decoder.decode(value, { stream: true }) });
  }
  return { response, headersAt, chunks, storedAtFirstRead, times: eventTimes(chunks) };
}

/** What every host must show: the head before the first token, tokens arriving one by one as produced. */
function expectIncremental(result: Awaited<ReturnType<typeof timedReply>>): void {
  const { response, headersAt, chunks, times, storedAtFirstRead } = result;
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(times.map(([name]) => name)).toEqual([...Array(8).fill('token'), 'done']);
  expect(tokensOf(chatEvents(chunks.map((c) => c.text).join('')))).toBe(WORDS);
  const at = times.map(([, ms]) => ms);
  // The head came before the first token was even produced (each token waits DELAY ms first).
  expect(headersAt).toBeLessThan(at[0]!);
  // The first read resolved while the reply was not yet stored (i.e. before the last token existed).
  expect(storedAtFirstRead).toBe(false);
  expect(at[7]! - at[0]!).toBeGreaterThanOrEqual(7 * DELAY - 30);
  // Events came in separate chunks spread over time, not in one burst at the end.
  expect(chunks.length).toBeGreaterThanOrEqual(8);
  const gaps = at.slice(1, 8).map((t, i) => t - at[i]!);
  expect(gaps.filter((gap) => gap >= DELAY / 2).length).toBeGreaterThanOrEqual(5);
}

describe('streaming through the express host over loopback', () => {
  const sandbox = createSandbox({ now: TEST_NOW, chat: { tokenDelayMs: DELAY } });
  let server: Server;
  let base = '';
  beforeAll(async () => {
    await sandbox.ready;
    server = await new Promise<Server>((resolve) => {
      const s = createApp(sandbox).listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('flushes each event as it is produced, the head first', async () => {
    const result = await timedReply(base, sandbox);
    expectIncremental(result);
    expect(result.response.headers.get('transfer-encoding')).toBe('chunked');
    expect(result.response.headers.get('content-length')).toBeNull();
    expect(result.response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
  });

  it('resets the connection for chat-dropped without logging a host error, and keeps serving', async () => {
    const logged = vi.spyOn(console, 'error');
    const id = await session(base, sandbox);
    const response = await fetch(`${base}/api/agent-chat/sessions/${id}/messages`, {
      method: 'POST',
      headers: { ...OPERATOR, 'x-sandbox-scenario': 'chat-dropped' },
      body: JSON.stringify({ content: 'How do I recalibrate the gripper after the firmware update?' }),
    });
    const read = await readChunks(response);
    expect(read.error).toBeInstanceOf(TypeError);
    expect((read.error as Error & { cause?: { code?: string } }).cause?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    expect(read.text.match(/^event: /gm)).toHaveLength(12);
    const again = await fetch(`${base}/api/auth/me`, { headers: OPERATOR });
    expect(again.status).toBe(200);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
    const stored = sandbox.state.db.chatMessages.filter((m) => m.sessionId === id && m.role === 'assistant');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.incomplete).toBe(true);
  });
});

describe('streaming through msw setupServer', () => {
  const sandbox = createSandbox({ now: TEST_NOW, chat: { tokenDelayMs: DELAY } });
  const base = 'https://chat-stream.nodeloom.test';
  const msw = setupServer(...createHandlers(sandbox, { origins: [base] }));
  beforeAll(async () => {
    await sandbox.ready;
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(() => msw.close());

  it('resolves the first read before the last token exists', async () => {
    expectIncremental(await timedReply(base, sandbox));
  });

  it('stops generating when the client aborts: the partial reply is stored incomplete and journaled as aborted', async () => {
    const id = await session(base, sandbox);
    const controller = new AbortController();
    const response = await fetch(`${base}/api/agent-chat/sessions/${id}/messages`, { method: 'POST', headers: OPERATOR, body: JSON.stringify({ content: `/echo ${WORDS} ${WORDS}` }), signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow(/abort/i);
    await expect.poll(() => sandbox.journal.list({ limit: 1 })[0]).toMatchObject({ path: `/api/agent-chat/sessions/${id}/messages`, outcome: 'aborted' });
    const [reply] = sandbox.state.db.chatMessages.filter((m) => m.sessionId === id && m.role === 'assistant');
    expect(reply!.incomplete).toBe(true);
    expect(`${WORDS} ${WORDS}`.startsWith(reply!.content)).toBe(true);
    expect(reply!.content.length).toBeLessThan(WORDS.length);
    // Nothing more is produced after the abort.
    await new Promise((resolve) => setTimeout(resolve, 3 * DELAY));
    expect(sandbox.state.db.chatMessages.get(reply!.id)!.content).toBe(reply!.content);
  });
});
