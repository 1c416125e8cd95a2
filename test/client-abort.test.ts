import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { testSandbox } from './helpers.ts';

/** Serves `sandbox` through the express host and opens a raw socket to it. */
async function withSocket(sandbox: Sandbox, use: (socket: Socket) => Promise<void>): Promise<void> {
  await sandbox.ready;
  const server = createServer(createApp(sandbox));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    await use(socket);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Issue 7, finding 10: an upload the client abandons midway was logged and journaled as a 500 no client saw. */
describe('a client that leaves before the answer', () => {
  it('is journaled as a client abort, not an unexpected 500', async () => {
    const unexpected: unknown[] = [];
    const sandbox = testSandbox({ onUnexpectedError: (error) => unexpected.push(error) });
    await withSocket(sandbox, async (socket) => {
      socket.write(
        `POST /api/workflows HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sdk_sandbox_admin\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"half","teamId":"${ACME_TEAM_ID}","description":"`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      let entry;
      for (let i = 0; i < 50 && !entry; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        entry = sandbox.journal.list({ path: '/api/workflows', method: 'POST' })[0];
      }
      // No answer reached the client: status 0 and no response, as for a network error.
      expect(entry).toMatchObject({ method: 'POST', path: '/api/workflows', outcome: 'aborted', status: 0, response: { headers: {}, body: null } });
      expect(unexpected).toEqual([]);
      expect(sandbox.state.db.workflows.filter((w) => w.name === 'half')).toEqual([]);
    });
  });

  it('ends a stall when its client leaves, journaled at once as aborted (status 0)', async () => {
    const sandbox = testSandbox({ scenarios: [{ name: 'hang', description: 'Stalls 20 s.', rules: [{ name: 'stall', effect: { type: 'stall', ms: 20_000 } }] }] });
    await withSocket(sandbox, async (socket) => {
      socket.write('GET /api/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sdk_sandbox_admin\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const left = performance.now();
      socket.destroy();
      let entry;
      for (let i = 0; i < 100 && !entry; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        entry = sandbox.journal.list({ path: '/api/auth/me' })[0];
      }
      expect(performance.now() - left).toBeLessThan(2_000); // not the 20 s of the stall
      expect(entry).toMatchObject({ method: 'GET', path: '/api/auth/me', outcome: 'aborted', status: 0, scenarioApplied: ['hang/stall (stall 20000ms)'] });
    });
  });

  it('on a control endpoint is not reported as an unexpected error either', async () => {
    const unexpected: unknown[] = [];
    const sandbox = testSandbox({ onUnexpectedError: (error) => unexpected.push(error) });
    await withSocket(sandbox, async (socket) => {
      socket.write('POST /__sandbox/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"half",');
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unexpected).toEqual([]);
      expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain('half');
    });
  });
});
