import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from 'nodeloom-sandbox/express';
import { TEST_NOW, testSandbox } from './helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections()))));
});

async function listen(app: express.Express): Promise<number> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Sends raw HTTP/1.1 text and resolves with the whole answer (the connection is closed by the request). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('express host edge cases', () => {
  it('reads bodies a body parser mounted in front of it has already consumed', async () => {
    const parent = express();
    parent.use(express.json());
    parent.use('/mock', createApp(testSandbox()));
    const port = await listen(parent);
    const created = await fetch(`http://127.0.0.1:${port}/mock/api/workflows`, {
      method: 'POST',
      headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mounted behind express.json()' }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { name: string }).name).toBe('Mounted behind express.json()');
    const login = await fetch(`http://127.0.0.1:${port}/mock/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@acme.test', password: 'sandbox' }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/^access_token=/);
  });

  it('answers TRACE with 405 and a Spring body instead of a 500', async () => {
    const port = await listen(createApp(testSandbox()));
    const answer = await rawRequest(port, 'TRACE /api/workflows HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 405, error: 'Method Not Allowed', path: '/api/workflows', timestamp: TEST_NOW });
    expect(body.message).toMatch(/TRACE/);
  });

  it('serves a request whose Host header is not a host[:port] as if sent to localhost', async () => {
    const port = await listen(createApp(testSandbox()));
    const answer = await rawRequest(port, 'GET /api/auth/me HTTP/1.1\r\nHost: x:99999\r\nAuthorization: Bearer sdk_sandbox_admin\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ email: expect.any(String) });
  });
});
