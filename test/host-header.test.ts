import type { IncomingMessage, Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { createApp } from 'nodeloom-sandbox/express';
import { requestUrl } from '../src/hosts/node-request.ts';
import { call, testSandbox } from './helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections()))));
});

/** Sends raw HTTP/1.1 text and resolves with the whole answer (the request asks to close). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the request URL comes from the request target, never from the Host header', () => {
  it('runs POST /api/auth/logout sent with Host: 127.0.0.1/__sandbox/reset? as the logout, not as a reset', async () => {
    const sandbox = testSandbox();
    const kept = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { name: 'Survives', teamId: ACME_TEAM_ID } });
    expect(kept.status).toBe(201);
    const server = createApp(sandbox).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    const answer = await rawRequest(port, 'POST /api/auth/logout HTTP/1.1\r\nHost: 127.0.0.1/__sandbox/reset?\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 (200|204) /);
    expect(answer).not.toContain('"namespace"'); // the reset's answer

    const paths = sandbox.journal.list().map((entry) => entry.path);
    expect(paths[0]).toBe('/api/auth/logout');
    expect(paths).toContain('/api/workflows'); // a reset clears the journal
    expect((await call(sandbox, 'GET', `/api/workflows/${kept.json.id}`, { token: 'sdk_sandbox_admin' })).status).toBe(200);
  });
});

describe('requestUrl', () => {
  const url = (target: string, host?: string, protocol?: string) =>
    requestUrl({ url: target, headers: host === undefined ? {} : { host }, protocol } as unknown as IncomingMessage & { protocol?: string });

  it('keeps a Host that is a host[:port] and falls back to localhost for anything else', () => {
    expect(url('/api/x?a=1', 'localhost:4010')).toBe('http://localhost:4010/api/x?a=1');
    expect(url('/api/x', '127.0.0.1')).toBe('http://127.0.0.1/api/x');
    expect(url('/api/x', '[::1]:4010', 'https')).toBe('https://[::1]:4010/api/x');
    expect(url('/api/x', 'my_service.internal:8080')).toBe('http://my_service.internal:8080/api/x');
    for (const host of ['127.0.0.1/__sandbox/reset?', 'evil.test/@x', 'x:99999', 'a b', 'x:', '', 'user@host', 'host#frag']) {
      expect(url('/api/x', host), host).toBe('http://localhost/api/x');
    }
    expect(url('/api/x')).toBe('http://localhost/api/x');
    expect(url('/api/x', 'localhost', 'gopher')).toBe('http://localhost/api/x');
  });

  it('takes only the path and query of an absolute-form target, and reads odd targets as paths', () => {
    expect(url('http://elsewhere.test/__sandbox/reset?x=1', 'localhost')).toBe('http://localhost/__sandbox/reset?x=1');
    expect(url('*', 'localhost')).toBe('http://localhost/');
    expect(new URL(url('//evil.test/api/x', 'localhost')).host).toBe('localhost');
    expect(new URL(url('/\\evil.test/api/x', 'localhost')).host).toBe('localhost');
  });
});
