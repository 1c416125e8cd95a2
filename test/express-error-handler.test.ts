import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, sandboxErrorHandler } from 'nodeloom-sandbox/express';
import { TEST_NOW, testSandbox } from './helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections()))));
});

/** The README's mounting example: express.json() in front, the sandbox and its error handler at /mock. */
async function mountedBehindJson(): Promise<string> {
  const sandbox = testSandbox();
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.use('/mock', createApp(sandbox));
  app.use('/mock', sandboxErrorHandler(sandbox));
  app.post('/own', (_req, res) => {
    res.json({ own: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sdk_sandbox_admin' }, body });

describe('sandboxErrorHandler', () => {
  it("renders express.json()'s malformed-JSON error as the Spring body", async () => {
    const base = await mountedBehindJson();
    const response = await post(`${base}/mock/api/workflows`, '{"name": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('date')).toBe(new Date(TEST_NOW).toUTCString()); // the sandbox clock's, not the machine's
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, error: 'Bad Request', timestamp: TEST_NOW, path: '/api/workflows', requestId: 'host' });
    expect(body.message).toMatch(/^Malformed JSON request body: /);
    expect(JSON.stringify(body)).not.toContain('    at ');
  });

  it("renders the body parser's size limit as a 413 saying which limit to raise", async () => {
    const base = await mountedBehindJson();
    const response = await post(`${base}/mock/api/workflows`, JSON.stringify({ name: 'x'.repeat(2_000) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, error: 'Payload Too Large', path: '/api/workflows' });
  });

  it("leaves the parent app's own routes to express's error handling", async () => {
    const base = await mountedBehindJson();
    const response = await post(`${base}/own`, '{"broken": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
