import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';
import { connect, SandboxRequestError } from 'nodeloom-sandbox/client';
import { createRequestListener } from 'nodeloom-sandbox/express';
import { TEST_NOW } from './helpers.ts';

let server: Server;
let base = '';
let guardedServer: Server;
let guarded = '';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, string]> {
  const s = createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  const listener = createRequestListener(createSandbox({ now: TEST_NOW }));
  [server, base] = await listen((req, res) => void listener(req, res));
  const protectedListener = createRequestListener(createSandbox({ now: TEST_NOW, admin: { token: 's3cret' } }));
  [guardedServer, guarded] = await listen((req, res) => void protectedListener(req, res));
});
afterAll(() => {
  for (const s of [server, guardedServer]) {
    s.closeAllConnections();
    s.close();
  }
});

describe('HTTP control client', () => {
  it('resets, moves the clock and switches scenarios in its own namespace', async () => {
    const client = connect(base, { namespace: 'client-a' });
    const reset = await client.reset({ seed: 7 });
    expect(reset).toMatchObject({ namespace: 'client-a', seed: 7, clock: { now: TEST_NOW, frozen: true } });
    expect(await client.clock.iso()).toBe(TEST_NOW);
    expect((await client.clock.advance('61s')).now).toBe('2026-11-01T12:01:01.000Z');
    expect(await client.clock.now()).toBe(Date.parse('2026-11-01T12:01:01.000Z'));
    expect((await client.clock.resume()).frozen).toBe(false);
    expect((await client.clock.freeze(TEST_NOW)).now).toBe(TEST_NOW);
    expect((await client.scenarios.use('server-error')).names).toEqual(['server-error']);
    const failing = await client.fetch('/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(failing.status).toBe(500);
    const elsewhere = await connect(base).fetch('/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(elsewhere.status).toBe(200);
    expect((await client.scenarios.reset()).names).toEqual([]);
    expect(await client.namespaces()).toEqual(expect.arrayContaining(['default', 'client-a']));
    await client.deleteNamespace();
    expect(await client.namespaces()).not.toContain('client-a');
  });

  it('binds scenarios to one caller and defines new ones', async () => {
    const client = connect(base, { namespace: 'client-b' });
    await client.reset();
    const teapot = { name: 'cancel-conflict', description: 'Cancels answer 409.', rules: [{ when: 'POST /api/executions/*/cancel', effect: { type: 'error' as const, status: 409 as const } }] };
    expect((await client.scenarios.useFor('sdk_sandbox_viewer', 'forbidden', teapot)).bindings).toEqual({ sdk_sandbox_viewer: ['forbidden', 'cancel-conflict'] });
    expect((await client.scenarios.list()).map((s) => s.name)).toContain('cancel-conflict');
    expect((await client.scenarios.current()).names).toEqual([]);
  });

  it('reads, counts, waits for and exports the journal', async () => {
    const client = connect(base, { namespace: 'client-c' });
    await client.reset();
    const waiting = client.waitForRequest({ method: 'POST', path: '/api/workflows' }, 5_000);
    await client.fetch('/api/workflows', {
      method: 'POST',
      headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made by the app', teamId: ACME_TEAM_ID }),
    });
    const entry = await waiting;
    expect(entry).toMatchObject({ method: 'POST', path: '/api/workflows', status: 201 });
    expect(JSON.parse(entry.request.body!)).toMatchObject({ name: 'Made by the app' });
    expect(await client.journal.count({ status: 201 })).toBe(1);
    expect((await client.journal.list()).map((e) => e.status)).toEqual([201]);
    expect((await client.journal.har()).log.entries).toHaveLength(1);
    await client.journal.clear();
    expect(await client.journal.count()).toBe(0);
  });

  it('rejects waitForRequest in time, naming the filter and the latest requests', async () => {
    const client = connect(base, { namespace: 'client-d' });
    await client.reset();
    await client.fetch('/api/auth/me');
    const started = Date.now();
    await expect(client.waitForRequest({ path: '/api/never' }, 300)).rejects.toThrow(
      'No request matching {"path":"/api/never"} reached the sandbox (namespace "client-d") within 300 ms. Latest requests: GET /api/auth/me → 401.',
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('snapshots and restores, and reads the identities', async () => {
    const client = connect(base, { namespace: 'client-e' });
    await client.reset();
    const snapshot = await client.snapshot();
    await client.fetch('/api/workflows', {
      method: 'POST',
      headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Rolled back', teamId: ACME_TEAM_ID }),
    });
    await client.restore(snapshot);
    expect(await client.snapshot()).toEqual(snapshot);
    const identities = await client.identities();
    expect(identities.password).toBe('sandbox');
    expect(identities.tokens.map((t) => t.token)).toContain('sdk_sandbox_admin');
  });

  it('throws SandboxRequestError with the Spring body on a refused call', async () => {
    const client = connect(base);
    const error = await client.clock.advance('soon').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxRequestError);
    expect(error).toMatchObject({ status: 400, body: { status: 400, path: '/__sandbox/clock/advance' } });
    expect((error as Error).message).toMatch(/^POST \/__sandbox\/clock\/advance: 400 Invalid duration "soon"/);
  });

  it('sends the admin token of a protected sandbox', async () => {
    await expect(connect(guarded).clock.get()).rejects.toMatchObject({ status: 401 });
    await expect(connect(guarded, { adminToken: 'wrong' }).clock.get()).rejects.toMatchObject({ status: 403 });
    expect((await connect(guarded, { adminToken: 's3cret' }).clock.get()).now).toBe(TEST_NOW);
  });

  it('refuses a base URL or namespace it cannot use', () => {
    expect(() => connect('localhost:4010')).toThrow(TypeError);
    expect(() => connect(base, { namespace: 'no spaces' })).toThrow('namespace must be 1-64 letters');
  });
});
