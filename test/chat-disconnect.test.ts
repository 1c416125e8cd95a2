import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { agentWorkflowId, chatEvents, tokensOf } from './chat-helpers.ts';
import { TEST_NOW } from './helpers.ts';

/**
 * Clients that leave mid-reply: 200 streams through the express host over loopback, each aborted
 * after its first events. Generation must stop with no timer left behind, nothing thrown or
 * logged, every partial reply stored as incomplete, every request journaled as aborted, memory
 * and handles back near where they were, and the server still answering.
 */

const STREAMS = 200;
const HEADERS = { authorization: 'Bearer sdk_sandbox_operator', 'content-type': 'application/json' };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, bytes. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** How many active resources of each kind (timers, sockets, servers) the process holds. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('200 clients leaving mid-stream (express host)', () => {
  const sandbox = createSandbox({ now: TEST_NOW, chat: { tokenDelayMs: 20 }, journalSize: 1_000 });
  let server: Server;
  let base = '';
  let sessionId = '';
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    await sandbox.ready;
    process.on('unhandledRejection', onRejection);
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
    server?.closeAllConnections();
    server?.close();
  });

  it('stops every reply, stores the partial replies as incomplete, journals the aborts and leaks nothing', async () => {
    const logged = vi.spyOn(console, 'error');
    const before = { resources: resources(), heap: await settledHeap() };
    server = await new Promise<Server>((resolve) => {
      const s = createApp(sandbox).listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const created = await fetch(`${base}/api/agent-chat/sessions`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ workflowId: agentWorkflowId(sandbox), teamId: ACME_TEAM_ID }) });
    sessionId = (await created.json()).id;

    const aborted = await Promise.all(
      Array.from({ length: STREAMS }, async () => {
        const controller = new AbortController();
        const response = await fetch(`${base}/api/agent-chat/sessions/${sessionId}/messages`, {
          method: 'POST',
          headers: HEADERS,
          body: JSON.stringify({ content: '/echo ' + 'word '.repeat(200) }),
          signal: controller.signal,
        });
        const reader = response.body!.getReader();
        let received = '';
        while ((received.match(/^event: token$/gm) ?? []).length < 3) received += new TextDecoder().decode((await reader.read()).value);
        controller.abort();
        await reader.read().catch(() => undefined);
        return response.status;
      }),
    );
    expect(aborted).toEqual(Array(STREAMS).fill(200));

    // Every request settles as aborted; every reply is stored, cut short.
    await expect.poll(() => sandbox.journal.list({ path: '/messages', limit: 1_000 }).filter((e) => e.outcome === 'aborted').length, { timeout: 10_000 }).toBe(STREAMS);
    const replies = sandbox.state.db.chatMessages.filter((m) => m.sessionId === sessionId && m.role === 'assistant');
    expect(replies).toHaveLength(STREAMS);
    for (const reply of replies) {
      expect(reply.incomplete).toBe(true);
      expect(reply.content.length).toBeLessThan('word '.repeat(200).length);
      expect(reply.content).toMatch(/^(word ?)+$/);
      expect(reply.tokenUsage!.output).toBeGreaterThanOrEqual(3);
    }

    // The server still answers, a whole reply.
    const whole = await fetch(`${base}/api/agent-chat/sessions/${sessionId}/messages`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ content: '/echo still here' }) });
    expect(tokensOf(chatEvents(await whole.text()))).toBe('still here');

    // No timers left, sockets and the server gone, memory back near where it was.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect.poll(() => resources().Timeout ?? 0, { timeout: 5_000 }).toBeLessThanOrEqual(before.resources.Timeout ?? 0);
    await expect.poll(() => resources().TCPSocketWrap ?? 0, { timeout: 5_000 }).toBeLessThanOrEqual(before.resources.TCPSocketWrap ?? 0);
    expect(resources().TCPServerWrap ?? 0).toBe(before.resources.TCPServerWrap ?? 0);
    const grown = (await settledHeap()) - before.heap;
    expect(grown, `heap grew ${(grown / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(16 * 1024 * 1024);
    expect(rejections).toEqual([]);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  }, 60_000);
});
