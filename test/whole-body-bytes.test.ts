import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { createRequestListener } from '../src/hosts/node-host.ts';
import { wholeBodyOf } from '../src/core/respond.ts';
import { HOST_FETCH } from '../src/sandbox.ts';
import { call, testSandbox } from './helpers.ts';

/**
 * JSON answers are kept as UTF-8 bytes (src/core/respond.ts), not strings, so the journal's last
 * 500 bodies stay off the V8 heap. These tests pin what a byte-for-string swap could break:
 * multi-byte characters, Content-Length counted in bytes, HEAD, and the journal's text.
 */

const NAME = 'Café ☕ 流程 🚀 "quoted"';
const admin = { token: 'sdk_sandbox_admin' };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.close(resolve), server.closeAllConnections()))));
});

async function withWorkflow() {
  const sandbox = testSandbox();
  const created = await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: NAME, teamId: ACME_TEAM_ID } });
  expect(created.status).toBe(201);
  return { sandbox, id: created.json.id as string };
}

describe('whole JSON bodies as UTF-8 bytes', () => {
  it('answers multi-byte text intact through sandbox.fetch and records it in the journal as text', async () => {
    const { sandbox, id } = await withWorkflow();
    const read = await call(sandbox, 'GET', `/api/workflows/${id}`, admin);
    expect(read.status).toBe(200);
    expect(read.json.name).toBe(NAME);
    const [entry] = sandbox.journal.list({ limit: 1 });
    expect(entry!.response.body).toBe(read.text);
    expect(JSON.parse(entry!.response.body!).name).toBe(NAME);
  });

  it('sends Content-Length in bytes over node:http, and HEAD gives the same length without a body', async () => {
    const { sandbox, id } = await withWorkflow();
    const server = createServer(createRequestListener(sandbox)).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/workflows/${id}`;
    const headers = { authorization: 'Bearer sdk_sandbox_admin' };

    const get = await fetch(base, { headers });
    const bytes = new Uint8Array(await get.arrayBuffer());
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(Number(get.headers.get('content-length'))).toBe(bytes.byteLength);
    const text = new TextDecoder().decode(bytes);
    expect(bytes.byteLength).toBeGreaterThan(text.length); // multi-byte characters really were sent
    expect(JSON.parse(text).name).toBe(NAME);

    const head = await fetch(base, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('hands the host an API answer as UTF-8 bytes, encoded once (the bytes the journal keeps)', async () => {
    const { sandbox, id } = await withWorkflow();
    const hostFetch = (sandbox as unknown as { [HOST_FETCH]: (request: Request) => Promise<Response> })[HOST_FETCH];
    const response = await hostFetch(new Request(`http://sandbox.test/api/workflows/${id}`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } }));
    const body = wholeBodyOf(response);
    expect(body).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(body as Uint8Array)).name).toBe(NAME);
    expect(sandbox.journal.list({ limit: 1 })[0]!.response.body).toBe(new TextDecoder().decode(body as Uint8Array));
  });
});
