import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, handleClientErrors } from 'nodeloom-sandbox/express';
import { TEST_NOW, testSandbox } from './helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections()))));
});

/** A server like the CLI's: the express host, with handleClientErrors. */
async function serve(): Promise<{ server: Server; port: number }> {
  const sandbox = testSandbox();
  const server = createServer(createApp(sandbox));
  handleClientErrors(server, () => sandbox.clock.iso());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Sends raw bytes and resolves with status line, headers and parsed JSON body once the server closes. */
function rawRequest(port: number, text: string): Promise<{ statusLine: string; head: string; body: any }> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      const split = answer.indexOf('\r\n\r\n');
      const head = answer.slice(0, split);
      resolve({ statusLine: head.split('\r\n')[0]!, head, body: JSON.parse(answer.slice(split + 4)) });
    });
    socket.on('error', reject);
  });
}

function expectSpringBody(body: any, status: number, error: string, path: string): string {
  expect(body).toEqual({ status, error, message: expect.any(String), timestamp: TEST_NOW, path, requestId: 'host' });
  return body.message;
}

describe('requests the HTTP parser refuses answer with the Spring body', () => {
  it('answers 400 with a Spring body for a made-up method instead of an empty 400', async () => {
    const { port } = await serve();
    const answer = await rawRequest(port, 'FROBNICATE /api/workflows HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.head).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    expect(answer.head).toMatch(/\r\nconnection: close/i);
    // Date from the sandbox clock, as on every other answer (the README's promise).
    expect(answer.head).toContain(`\r\ndate: ${new Date(TEST_NOW).toUTCString()}\r\n`);
    expect(expectSpringBody(answer.body, 400, 'Bad Request', '/api/workflows')).toMatch(/method/);
  });

  it('answers 400 with a Spring body for both Content-Length and Transfer-Encoding', async () => {
    const { port } = await serve();
    const answer = await rawRequest(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(expectSpringBody(answer.body, 400, 'Bad Request', '/api/auth/login')).toMatch(/Content-Length and Transfer-Encoding/);
  });

  it('answers 431 with a Spring body for headers over 16 KB', async () => {
    const { port } = await serve();
    const answer = await rawRequest(port, `GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(expectSpringBody(answer.body, 431, 'Request Header Fields Too Large', '/api/auth/me')).toMatch(/16384 bytes/);
  });

  it('keeps serving well-formed requests on the same server afterwards', async () => {
    const { port } = await serve();
    await rawRequest(port, 'FROBNICATE / HTTP/1.1\r\n\r\n');
    const health = await fetch(`http://127.0.0.1:${port}/actuator/health`);
    expect(health.status).toBe(200);
  });

  it('destroys a socket that can no longer be written to, without writing', () => {
    const server = createServer();
    handleClientErrors(server, () => TEST_NOW);
    const socket = new Duplex({ read() {}, write(_chunk, _encoding, done) { done(); } });
    socket.end(); // not writable any more
    const write = vi.spyOn(socket, 'write');
    const destroy = vi.spyOn(socket, 'destroy');
    server.emit('clientError', Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_METHOD' }), socket);
    expect(write).not.toHaveBeenCalled();
    expect(destroy).toHaveBeenCalled();
  });
});
