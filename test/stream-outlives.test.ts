import { describe, expect, it } from 'vitest';
import { Journal, type JournalRecord } from '../src/core/journal.ts';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { agentWorkflowId, chatSandbox, newSession } from './chat-helpers.ts';
import { call } from './helpers.ts';

/**
 * What a streamed chat reply leaves behind when it outlives its session (deleted while it streams)
 * or its namespace's state (reset while it streams). Both found by a break-it run: the deleted
 * session's reply was stored anyway (an orphan message counted in token usage), and the reset
 * journal got the old request's entry with an id the next request reused.
 */

const OPERATOR = 'sdk_sandbox_operator';

/** Starts a streamed reply and reads its first chunk. @returns the reader, mid-stream */
async function openReply(sandbox: Awaited<ReturnType<typeof chatSandbox>>, sessionId: string) {
  const response = await sandbox.fetch(
    new Request(`http://localhost/api/agent-chat/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'How do I recalibrate the gripper after the firmware update?' }),
    }),
  );
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  return reader;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  while (!(await reader.read()).done);
}

describe('a streamed reply that outlives its session or state', () => {
  it('stores nothing once its session was deleted mid-stream', async () => {
    const sandbox = await chatSandbox({ chat: { tokenDelayMs: 5 } });
    const sessionId = await newSession(sandbox, OPERATOR);
    const reader = await openReply(sandbox, sessionId);
    expect((await call(sandbox, 'DELETE', `/api/agent-chat/sessions/${sessionId}`, { token: OPERATOR })).status).toBe(204);
    await drain(reader);
    expect(sandbox.state.db.chatMessages.filter((m) => m.sessionId === sessionId)).toEqual([]);
    expect(sandbox.state.db.chatSessions.get(sessionId)).toBeUndefined();
  });

  it('keeps its namespace while it streams: past maxNamespaces the namespace is dropped only once the reply ended', async () => {
    const sandbox = await chatSandbox({ chat: { tokenDelayMs: 5 }, maxNamespaces: 1 });
    const inNs = (name: string) => ({ token: OPERATOR, headers: { 'x-sandbox-namespace': name } });
    const names = async () => (await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces;
    const session = await call(sandbox, 'POST', '/api/agent-chat/sessions', { ...inNs('streaming'), body: { workflowId: agentWorkflowId(sandbox), teamId: ACME_TEAM_ID } });
    expect(session.status).toBe(201);
    const response = await sandbox.fetch(
      new Request(`http://localhost/api/agent-chat/sessions/${session.json.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json', 'x-sandbox-namespace': 'streaming' },
        body: JSON.stringify({ content: 'How do I recalibrate the gripper?' }),
      }),
    );
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect((await call(sandbox, 'GET', '/api/auth/me', inNs('other'))).status).toBe(200); // would have dropped streaming
    expect(await names()).toEqual(['default', 'streaming', 'other']);
    await drain(reader);
    const stored = await call(sandbox, 'GET', `/api/agent-chat/sessions/${session.json.id}`, inNs('streaming'));
    expect(stored.json.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    await call(sandbox, 'GET', '/api/auth/me', inNs('third'));
    expect(await names()).toEqual(['default', 'third']);
  });

  it('leaves no entry in the journal of a namespace reset while it streamed, so request ids stay unique', async () => {
    const sandbox = await chatSandbox({ chat: { tokenDelayMs: 5 } });
    await call(sandbox, 'GET', '/api/auth/me', { token: OPERATOR });
    const sessionId = await newSession(sandbox, OPERATOR);
    const reader = await openReply(sandbox, sessionId); // req_000003, open
    await sandbox.reset();
    for (let i = 0; i < 4; i++) expect((await call(sandbox, 'GET', '/api/auth/me', { token: OPERATOR })).status).toBe(200);
    await drain(reader);
    const entries = sandbox.journal.list();
    expect(entries.map((e) => [e.requestId, e.method, e.path])).toEqual([4, 3, 2, 1].map((n) => [`req_00000${n}`, 'GET', '/api/auth/me']));
  });

  it('is still journaled when the journal was only cleared (DELETE /__sandbox/requests) while it streamed', async () => {
    const sandbox = await chatSandbox({ chat: { tokenDelayMs: 5 } });
    const sessionId = await newSession(sandbox, OPERATOR);
    const reader = await openReply(sandbox, sessionId); // req_000002, open
    expect((await call(sandbox, 'DELETE', '/__sandbox/requests')).status).toBe(204);
    await drain(reader);
    expect(sandbox.journal.list().map((e) => [e.requestId, e.method, e.status, e.outcome])).toEqual([['req_000002', 'POST', 200, 'complete']]);
  });

  it('keeps the journal generation: an entry added with the generation of before a restart is dropped, not one from before a clear', () => {
    const journal = new Journal(10);
    const before = journal.generation;
    journal.clear(); // DELETE /__sandbox/requests: request ids go on, requests in flight are still journaled
    expect(journal.generation).toBe(before);
    journal.restart(); // a reset: ids start again
    expect(journal.generation).not.toBe(before);
    const entry: JournalRecord = { requestId: 'req_000001', time: '2026-11-01T12:00:00.000Z', method: 'GET', path: '/api/auth/me', query: '', status: 200, outcome: 'complete', durationMs: 1, principal: 'anonymous', scenarioApplied: [], rbac: null, rateLimit: null, requestHeaders: new Headers(), requestBody: undefined, responseHeaders: null, responseBody: undefined };
    journal.add(entry, before);
    expect(journal.size).toBe(0);
    journal.add(entry);
    expect(journal.size).toBe(1);
  });
});
