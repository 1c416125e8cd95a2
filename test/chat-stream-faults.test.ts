import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox, type ScenarioDefinition } from 'nodeloom-sandbox';
import { agentWorkflowId, chatEvents, eventTimes, readChunks, tokensOf } from './chat-helpers.ts';
import { appliedOf, HOST_NAMES, OPERATOR, useHosts, type Host } from './scenario-hosts.ts';

/**
 * Stream faults as scenario effects (stream-stall, stream-error, stream-drop, stream-pace,
 * chat-echo) and the built-in chat scenarios, in both hosts: express over loopback and msw
 * setupServer. Replies are sent with token delay 0 unless a test paces them.
 */

const start = useHosts();
const MESSAGES = '/api/agent-chat/sessions/*/messages';
const PROMPT = 'How do I recalibrate the gripper after the firmware update?';

/** A scenario with one rule on chat messages. */
function rule(name: string, effect: ScenarioDefinition['rules'] extends Array<infer R> | undefined ? (R extends { effect: infer E } ? E : never) : never): ScenarioDefinition {
  return { name, description: `${name} on chat messages`, rules: [{ name: 'r', when: `POST ${MESSAGES}`, effect }] };
}

async function chatHost(hostName: (typeof HOST_NAMES)[number], scenario?: ScenarioDefinition | string, tokenDelayMs = 0): Promise<{ host: Host; sessionId: string }> {
  const host = await start(hostName, { chat: { tokenDelayMs }, scenarios: scenario ? [scenario] : [] });
  const created = await host.send('POST', '/api/agent-chat/sessions', { token: OPERATOR, body: { workflowId: agentWorkflowId(host.sandbox), teamId: ACME_TEAM_ID } });
  expect(created.status).toBe(201);
  return { host, sessionId: created.json.id };
}

/** POSTs a message through the host and returns the raw Response (body unread). */
function post(host: Host, sessionId: string, content: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${host.base}/api/agent-chat/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ content }),
  });
}

/** The assistant messages stored for a session. */
const replies = (host: Host, sessionId: string) => host.sandbox.state.db.chatMessages.filter((m) => m.sessionId === sessionId && m.role === 'assistant');

describe.each(HOST_NAMES)('stream faults via %s', (hostName) => {
  it('stream-error sends N events, then event: error {message}, and closes cleanly; the partial reply is stored incomplete', async () => {
    const { host, sessionId } = await chatHost(hostName, rule('err', { type: 'stream-error', afterEvents: 7, message: 'Model overloaded.' }));
    const response = await post(host, sessionId, PROMPT);
    expect(response.status).toBe(200);
    expect(appliedOf(response)).toBe('err/r (stream-error after 7 events)');
    const read = await readChunks(response);
    expect(read.error).toBeUndefined();
    const events = chatEvents(read.text);
    expect(events).toHaveLength(8);
    expect(events[7]).toEqual({ event: 'error', data: { message: 'Model overloaded.' } });
    expect(events.some((e) => e.event === 'done')).toBe(false);
    const [stored] = replies(host, sessionId);
    expect(stored).toMatchObject({ incomplete: true, content: tokensOf(events) });
    expect(stored!.tokenUsage!.output).toBe(events.filter((e) => e.event === 'token').length);
    expect(host.sandbox.journal.list({ limit: 1 })[0]).toMatchObject({ status: 200, outcome: 'complete' });
  });

  it('stream-drop cuts the body after N events; the partial reply is stored incomplete and the journal says failed', async () => {
    const { host, sessionId } = await chatHost(hostName, rule('cut', { type: 'stream-drop', afterEvents: 6 }));
    const response = await post(host, sessionId, PROMPT);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const read = await readChunks(response);
    expect(read.error).toBeInstanceOf(TypeError);
    const events = chatEvents(read.text.slice(0, read.text.lastIndexOf('\n\n') + 2));
    expect(events).toHaveLength(6);
    expect(events.every((e) => e.event !== 'done' && e.event !== 'error')).toBe(true);
    const [stored] = replies(host, sessionId);
    expect(stored).toMatchObject({ incomplete: true, content: tokensOf(events) });
    await expect.poll(() => host.sandbox.journal.list({ limit: 1 })[0]?.outcome).toBe('failed');
    // The host keeps serving.
    expect((await host.send('GET', '/api/auth/me', { token: OPERATOR })).status).toBe(200);
  });

  it('stream-stall pauses after N events for its ms of real time, then finishes the reply', async () => {
    const { host, sessionId } = await chatHost(hostName, rule('stall', { type: 'stream-stall', afterEvents: 2, ms: 300 }));
    const sent = performance.now();
    const read = await readChunks(await post(host, sessionId, '/echo one two three four'), sent);
    const times = eventTimes(read.chunks);
    expect(times.map(([name]) => name)).toEqual(['token', 'token', 'token', 'token', 'done']);
    expect(times[2]![1] - times[1]![1]).toBeGreaterThanOrEqual(280);
    expect(times[1]![1]).toBeLessThan(250);
    expect(tokensOf(chatEvents(read.text))).toBe('one two three four');
    expect(replies(host, sessionId)[0]).toMatchObject({ incomplete: false, content: 'one two three four' });
  });

  it('stream-pace spaces tokens by its ms, overriding the sandbox delay', async () => {
    const { host, sessionId } = await chatHost(hostName, rule('pace', { type: 'stream-pace', ms: 40 }));
    const sent = performance.now();
    const read = await readChunks(await post(host, sessionId, '/echo a b c d e f'), sent);
    const times = eventTimes(read.chunks).map(([, at]) => at);
    expect(times).toHaveLength(7);
    expect(times[5]!).toBeGreaterThanOrEqual(6 * 40 - 15);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(5 * 40 - 15);
  });

  it('a fault past the end of a short reply hits right before done', async () => {
    const { host, sessionId } = await chatHost(hostName, rule('late', { type: 'stream-error', afterEvents: 500 }));
    const events = chatEvents(await (await post(host, sessionId, '/echo short reply')).text());
    expect(events.map((e) => e.event)).toEqual(['token', 'token', 'error']);
    expect(events[2]!.data.message).toMatch(/injected stream error/);
  });

  it('chat-error-mid-stream sends event: error after 12 events, on agent chat and widget messages', async () => {
    const { host, sessionId } = await chatHost(hostName, 'chat-error-mid-stream');
    const response = await post(host, sessionId, PROMPT);
    expect(appliedOf(response)).toBe('chat-error-mid-stream/agent-chat (stream-error after 12 events)');
    const events = chatEvents(await response.text());
    expect(events).toHaveLength(13);
    expect(events[12]).toEqual({ event: 'error', data: { message: expect.stringContaining('injected by chat-error-mid-stream') } });
    const widget = await host.send('POST', '/api/public/widgets/wgt_sandbox_acme_help/sessions', { body: {} });
    const reply = await host.send('POST', `/api/public/widgets/wgt_sandbox_acme_help/sessions/${widget.json.sessionId}/messages`, { body: { content: PROMPT } });
    expect(appliedOf(reply)).toBe('chat-error-mid-stream/widget (stream-error after 12 events)');
    expect(chatEvents(reply.text).at(-1)!.event).toBe('error');
  });

  it('chat-dropped cuts replies after 12 events', async () => {
    const { host, sessionId } = await chatHost(hostName, 'chat-dropped');
    const response = await post(host, sessionId, PROMPT);
    expect(appliedOf(response)).toBe('chat-dropped/agent-chat (stream-drop after 12 events)');
    const read = await readChunks(response);
    expect(read.error).toBeInstanceOf(TypeError);
    expect(read.text.match(/^event: /gm)).toHaveLength(12);
  });

  it('chat-slow paces each token by a seeded 80-250 ms', async () => {
    const { host, sessionId } = await chatHost(hostName, 'chat-slow');
    const sent = performance.now();
    const response = await post(host, sessionId, '/echo slow reply');
    expect(appliedOf(response)).toBe('chat-slow/agent-chat (stream-pace 80-250ms)');
    const times = eventTimes((await readChunks(response, sent)).chunks).map(([, at]) => at);
    expect(times).toHaveLength(3);
    expect(times[1]!).toBeGreaterThanOrEqual(160 - 15);
    expect(times[1]!).toBeLessThan(500 + 250);
  });

  it('stream effects leave the JSON form alone', async () => {
    const { host, sessionId } = await chatHost(hostName, 'chat-dropped');
    const response = await host.send('POST', `/api/agent-chat/sessions/${sessionId}/messages`, { token: OPERATOR, body: { content: PROMPT }, headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ role: 'assistant', incomplete: false });
  });
});

describe('stream effect definitions', () => {
  it('refuses a stream-pace without ms or a range, and unknown keys, naming the field', () => {
    expect(() => createSandbox({ scenarios: [rule('bad', { type: 'stream-pace' } as never)] })).toThrow(/rules\[0\]\.effect: stream-pace needs "ms", or "min" and "max"/);
    expect(() => createSandbox({ scenarios: [rule('bad2', { type: 'stream-drop', after: 3 } as never)] })).toThrow(/rules\[0\]\.effect/);
    expect(() => createSandbox({ scenarios: [rule('bad3', { type: 'stream-error', afterEvents: -1 })] })).toThrow(/rules\[0\]\.effect\.afterEvents/);
  });

  it('draws a seeded pace the same way for the same seed', async () => {
    const paced = rule('jitter', { type: 'stream-pace', min: 0, max: 3 });
    const labels = [];
    for (let i = 0; i < 2; i++) {
      const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z', chat: { tokenDelayMs: 0 }, scenarios: [paced] });
      await sandbox.ready;
      const session = await sandbox.fetch(new Request('http://x/api/agent-chat/sessions', { method: 'POST', headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' }, body: JSON.stringify({ workflowId: agentWorkflowId(sandbox) }) }));
      const { id } = await session.json();
      const reply = await sandbox.fetch(new Request(`http://x/api/agent-chat/sessions/${id}/messages`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: '/echo a b' }) }));
      labels.push(reply.headers.get('x-sandbox-scenario-applied'));
      expect(tokensOf(chatEvents(await reply.text()))).toBe('a b');
    }
    expect(labels).toEqual(['jitter/r (stream-pace 0-3ms)', 'jitter/r (stream-pace 0-3ms)']);
  });
});
