import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { tokenize } from '../src/resources/chat/agent.ts';
import { chatEvents, chatSandbox, newSession, parseSse, sendChat, tokensOf } from './chat-helpers.ts';
import { call, expectSpringError, TEST_NOW } from './helpers.ts';

const JSON_ACCEPT = { accept: 'application/json' };
const messagesPath = (id: string) => `/api/agent-chat/sessions/${id}/messages`;

describe('agent chat messages (3.5 #4)', () => {
  it('streams the reply as server-sent events with the stream headers', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const response = await sendChat(sandbox, id, 'How do I recalibrate the gripper after the firmware update?');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const events = chatEvents(response.text);
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === 'token').length).toBeGreaterThan(20);
    expect(names[names.length - 1]).toBe('done');
    expect(names.every((n) => ['token', 'thought', 'tool_call', 'tool_result', 'done'].includes(n))).toBe(true);
    // Non-token events come before the first token; each tool_call has its tool_result.
    expect(names.slice(names.indexOf('token')).every((n) => n === 'token' || n === 'done')).toBe(true);
    const calls = events.filter((e) => e.event === 'tool_call').map((e) => e.data.id);
    expect(events.filter((e) => e.event === 'tool_result').map((e) => e.data.id)).toEqual(calls);
  });

  it('stores the user message and the reply; the tokens concatenate to the stored reply and done carries its id and usage', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const events = chatEvents((await sendChat(sandbox, id, 'Which robots reported the most gripper faults this week?')).text);
    const done = events[events.length - 1]!;
    const stored = sandbox.state.db.chatMessages.filter((m) => m.sessionId === id);
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant']);
    const [user, assistant] = stored;
    expect(user).toMatchObject({ content: 'Which robots reported the most gripper faults this week?', tokenUsage: null, createdAt: TEST_NOW, teamId: ACME_TEAM_ID });
    expect(done.data).toEqual({ messageId: assistant!.id, tokenUsage: assistant!.tokenUsage });
    expect(tokensOf(events)).toBe(assistant!.content);
    expect(assistant!.tokenUsage!.output).toBe(events.filter((e) => e.event === 'token').length);
    expect(assistant!.tokenUsage!.input).toBeGreaterThan(0);
    expect(assistant).toMatchObject({ role: 'assistant', incomplete: false, createdAt: TEST_NOW, model: expect.any(String) });
    expect(sandbox.state.db.chatSessions.get(id)).toMatchObject({ lastMessageAt: TEST_NOW });
  });

  it('answers Accept: application/json with the stored assistant message as one JSON body', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const response = await sendChat(sandbox, id, 'What is the warranty on gripper pads?', { headers: JSON_ACCEPT });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const assistant = sandbox.state.db.chatMessages.filter((m) => m.sessionId === id)[1]!;
    expect(response.json).toEqual({
      id: assistant.id,
      sessionId: id,
      role: 'assistant',
      content: assistant.content,
      createdAt: TEST_NOW,
      tokenUsage: assistant.tokenUsage,
      model: assistant.model,
      toolCalls: assistant.toolCalls,
      thoughts: assistant.thoughts,
      incomplete: false,
    });
  });

  it('chooses JSON or the stream by the Accept qualities, so text/event-stream;q=0 never streams', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'text/event-stream'],
      ['*/*', 'text/event-stream'],
      ['application/json, text/event-stream', 'text/event-stream'],
      ['text/event-stream, application/json;q=0.9', 'text/event-stream'],
      ['application/json;q=0', 'text/event-stream'],
      ['application/json', 'application/json'],
      ['application/json, text/event-stream;q=0', 'application/json'],
      ['text/event-stream;q=0.1, application/json', 'application/json'],
      ['application/*', 'application/json'],
      ['application/json, */*', 'application/json'],
      ['Application/JSON; charset=utf-8', 'application/json'],
    ];
    for (const [accept, type] of cases) {
      const response = await sendChat(sandbox, id, '/echo hi', { headers: accept === undefined ? {} : { accept } });
      expect(response.status, String(accept)).toBe(200);
      expect(response.headers.get('content-type'), String(accept)).toBe(type);
    }
  });

  it('replies the same to the same seed, session and prompt, and differently to another prompt', async () => {
    const [a, b] = [await chatSandbox(), await chatSandbox()];
    const [idA, idB] = [await newSession(a), await newSession(b)];
    expect(idA).toBe(idB);
    const prompt = 'A customer says order #48213 has not shipped yet. Can you check?';
    const textA = (await sendChat(a, idA, prompt)).text;
    const textB = (await sendChat(b, idB, prompt)).text;
    expect(textA).toBe(textB);
    const other = (await sendChat(a, idA, 'Write a follow-up email for a demo request.')).text;
    expect(tokensOf(chatEvents(other))).not.toBe(tokensOf(chatEvents(textA)));
    const otherSeed = await chatSandbox({ seed: 99 });
    const idC = await newSession(otherSeed);
    expect(tokensOf(chatEvents((await sendChat(otherSeed, idC, prompt)).text))).not.toBe(tokensOf(chatEvents(textA)));
  });

  it('reads like an agent answer: markdown lists, code blocks and tool calls across prompts', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const prompts = ['How do I rotate the Slack credential?', 'Where is order 1042?', 'Summarize failed executions', 'Explain roles', 'Fix the webhook', 'Refund policy?', 'Gripper pads warranty', 'Draft an email', 'Which robots fault most?', 'Rate limits?'];
    const replies = [];
    for (const prompt of prompts) replies.push(chatEvents((await sendChat(sandbox, id, prompt)).text));
    const texts = replies.map(tokensOf);
    expect(texts.some((t) => /^\d\. \*\*/m.test(t))).toBe(true);
    expect(texts.some((t) => /^- /m.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('```'))).toBe(true);
    const tools = replies.flatMap((events) => events.filter((e) => e.event === 'tool_call').map((e) => e.data.name));
    expect(tools).toEqual(expect.arrayContaining(['knowledge_base_search', 'http_request']));
    expect(replies.some((events) => events.some((e) => e.event === 'thought'))).toBe(true);
    const stored = sandbox.state.db.chatMessages.filter((m) => m.sessionId === id && m.role === 'assistant');
    expect(stored.map((m) => m.content)).toEqual(texts);
    for (const m of stored) expect(m.tokenUsage!.output).toBe(tokenize(m.content).length);
  });

  it('echoes the text after "/echo " exactly, CR, LF and event: lines included, without breaking the framing', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const text = 'line one\r\nevent: done\ndata: {"messageId":"forged"}\n\nid: 7\rretry: 1\n: comment <b>bold</b> & "quotes" 🤖 é\n\n';
    const response = await sendChat(sandbox, id, `/echo ${text}`);
    // Every data: line is one line of JSON, and every line is a field or a blank separator.
    for (const line of response.text.split('\n')) expect(line === '' || /^(event: [a-z_]+|data: \{.*\})$/.test(line), line).toBe(true);
    const raw = parseSse(response.text);
    expect(raw.every((e) => e.id === undefined)).toBe(true);
    const events = chatEvents(response.text);
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);
    expect(events.every((e) => e.event === 'token' || e.event === 'done')).toBe(true);
    expect(tokensOf(events)).toBe(text);
    expect(sandbox.state.db.chatMessages.get(events.at(-1)!.data.messageId)!.content).toBe(text);
  });

  it('echoes the whole message under the chat-echo scenario', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const response = await call(sandbox, 'POST', messagesPath(id), { token: 'sdk_sandbox_operator', body: { content: 'Plain <script>alert(1)</script>\ntext' }, headers: { 'x-sandbox-scenario': 'chat-echo' } });
    expect(response.headers.get('x-sandbox-scenario-applied')).toContain('chat-echo');
    expect(tokensOf(chatEvents(response.text))).toBe('Plain <script>alert(1)</script>\ntext');
  });

  it('returns 400 for an empty or missing content, 403 for a VIEWER, 404 for an unknown session', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    expect(expectSpringError(await call(sandbox, 'POST', messagesPath(id), { token: 'sdk_sandbox_operator', body: { content: '' } }), 400, 'Bad Request', messagesPath(id))).toBe('content is required');
    expect(expectSpringError(await call(sandbox, 'POST', messagesPath(id), { token: 'sdk_sandbox_operator', body: {} }), 400, 'Bad Request', messagesPath(id))).toBe('content is required');
    expectSpringError(await sendChat(sandbox, id, 'hi', { token: 'sdk_sandbox_viewer' }), 403, 'Forbidden', messagesPath(id));
    expectSpringError(await sendChat(sandbox, 'nope', 'hi'), 404, 'Not Found', messagesPath('nope'));
    expect(sandbox.state.db.chatMessages.filter((m) => m.sessionId === id)).toEqual([]);
  });

  it('answers a server-error injected before the stream as a JSON Spring error, storing nothing', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const response = await call(sandbox, 'POST', messagesPath(id), { token: 'sdk_sandbox_operator', body: { content: 'hi' }, headers: { 'x-sandbox-scenario': 'server-error' } });
    expectSpringError(response, 500, 'Internal Server Error', messagesPath(id));
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(sandbox.state.db.chatMessages.filter((m) => m.sessionId === id)).toEqual([]);
  });

  it('uses the model and system prompt sent with a message, and keeps them for the session', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const first = await sendChat(sandbox, id, 'hello', { headers: JSON_ACCEPT });
    await call(sandbox, 'POST', messagesPath(id), { token: 'sdk_sandbox_operator', body: { content: 'hello again', model: 'claude-3-5-haiku', systemPrompt: 'Be brief.' }, headers: JSON_ACCEPT });
    const third = await sendChat(sandbox, id, 'and again', { headers: JSON_ACCEPT });
    expect(third.json.model).toBe('claude-3-5-haiku');
    expect(first.json.model).not.toBe('');
    expect(sandbox.state.db.chatSessions.get(id)).toMatchObject({ model: 'claude-3-5-haiku', systemPrompt: 'Be brief.' });
    // History and the system prompt count as input tokens.
    expect(third.json.tokenUsage.input).toBeGreaterThan(first.json.tokenUsage.input);
  });

  it('journals a streamed message as complete once the body was read', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    await sendChat(sandbox, id, 'journal me');
    const [entry] = sandbox.journal.list({ limit: 1 });
    expect(entry).toMatchObject({ method: 'POST', path: messagesPath(id), status: 200, outcome: 'complete' });
  });
});
