import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, TEST_NOW, testSandbox, type CallOptions } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };

/** Calls the sandbox in a namespace (`undefined`: the default one, no header). */
function inNs(sandbox: Sandbox, namespace: string | undefined) {
  const headers: Record<string, string> = namespace === undefined ? {} : { 'x-sandbox-namespace': namespace };
  return (method: string, path: string, options: CallOptions = {}) =>
    call(sandbox, method, path, { ...options, headers: { ...headers, ...options.headers } });
}

const createWorkflow = (send: ReturnType<typeof inNs>, name: string) =>
  send('POST', '/api/workflows', { ...admin, body: { name, teamId: ACME_TEAM_ID } });

describe('X-Sandbox-Namespace', () => {
  it('keeps data apart: a workflow created in a is not in b nor in the default namespace', async () => {
    const sandbox = testSandbox();
    const [a, b, main] = [inNs(sandbox, 'a'), inNs(sandbox, 'b'), inNs(sandbox, undefined)];
    const created = await createWorkflow(a, 'Only in a');
    expect(created.status).toBe(201);
    expect((await a('GET', `/api/workflows/${created.json.id}`, admin)).json.name).toBe('Only in a');
    expect((await b('GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(404);
    expect((await main('GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(404);
    const list = `/api/workflows?teamId=${ACME_TEAM_ID}&size=100`;
    expect((await b('GET', list, admin)).json.totalElements).toBe((await a('GET', list, admin)).json.totalElements - 1);
  });

  it('gives each namespace its own clock', async () => {
    const sandbox = testSandbox();
    const [a, b] = [inNs(sandbox, 'a'), inNs(sandbox, 'b')];
    await a('POST', '/__sandbox/clock/advance', { body: { ms: '2h' } });
    expect((await a('GET', '/__sandbox/clock')).json.now).toBe('2026-11-01T14:00:00.000Z');
    expect((await b('GET', '/__sandbox/clock')).json.now).toBe(TEST_NOW);
    expect((await call(sandbox, 'GET', '/__sandbox/clock')).json.now).toBe(TEST_NOW);
    expect((await createWorkflow(a, 'Late')).json.createdAt).toBe('2026-11-01T14:00:00.000Z');
    expect((await createWorkflow(b, 'On time')).json.createdAt).toBe(TEST_NOW);
  });

  it('gives each namespace its own scenarios', async () => {
    const sandbox = testSandbox();
    const [a, b] = [inNs(sandbox, 'a'), inNs(sandbox, 'b')];
    await a('PUT', '/__sandbox/scenario', { body: { names: ['server-error'] } });
    expect((await a('GET', '/api/auth/me', admin)).status).toBe(500);
    expect((await b('GET', '/api/auth/me', admin)).status).toBe(200);
    expect((await call(sandbox, 'GET', '/api/auth/me', admin)).status).toBe(200);
    expect((await b('GET', '/__sandbox/scenario')).json.names).toEqual([]);
  });

  it('gives each namespace its own journal and request ids', async () => {
    const sandbox = testSandbox();
    const [a, b] = [inNs(sandbox, 'a'), inNs(sandbox, 'b')];
    await a('GET', '/api/auth/me', admin);
    await a('GET', '/api/nope', admin);
    const first = await b('GET', '/api/credentials', admin);
    expect(first.headers.get('x-request-id')).toBe('req_000001');
    expect((await a('GET', '/__sandbox/requests')).json).toMatchObject({ namespace: 'a', size: 2 });
    expect((await b('GET', '/__sandbox/requests')).json.entries.map((e: { path: string }) => e.path)).toEqual(['/api/credentials']);
    expect((await call(sandbox, 'GET', '/__sandbox/requests')).json.size).toBe(0);
    await a('DELETE', '/__sandbox/requests');
    expect((await b('GET', '/__sandbox/requests')).json.size).toBe(1);
  });

  it("gives each namespace its own rate windows: Hobby's 60/min used up in a leaves b untouched", async () => {
    const sandbox = testSandbox();
    const [a, b] = [inNs(sandbox, 'a'), inNs(sandbox, 'b')];
    for (let i = 0; i < 60; i++) await a('GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect((await a('GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' })).status).toBe(429);
    const fine = await b('GET', '/api/auth/me', { token: 'sdk_sandbox_hobby' });
    expect(fine.status).toBe(200);
    expect(fine.headers.get('x-ratelimit-remaining')).toBe('59');
  });

  it('resets one namespace only', async () => {
    const sandbox = testSandbox();
    const [a, b] = [inNs(sandbox, 'a'), inNs(sandbox, 'b')];
    const inA = await createWorkflow(a, 'A');
    const inB = await createWorkflow(b, 'B');
    expect((await a('POST', '/__sandbox/reset')).json.namespace).toBe('a');
    expect((await a('GET', `/api/workflows/${inA.json.id}`, admin)).status).toBe(404);
    expect((await b('GET', `/api/workflows/${inB.json.id}`, admin)).status).toBe(200);
  });

  it('sees only its own writes under concurrent requests from 5 namespaces × 20 requests', async () => {
    const sandbox = testSandbox();
    const names = ['w1', 'w2', 'w3', 'w4', 'w5'];
    const jobs = names.flatMap((ns) =>
      Array.from({ length: 20 }, (_, i) => async () => {
        const send = inNs(sandbox, ns);
        const created = await createWorkflow(send, `${ns}-${i}`);
        const read = await send('GET', `/api/workflows/${created.json.id}`, admin);
        return { ns, status: created.status, name: read.json.name as string };
      }),
    );
    // Interleave: w1-0, w2-0, ... w5-0, w1-1, ... so every namespace is busy at once.
    const order = jobs.map((_, k) => jobs[(k % 5) * 20 + Math.floor(k / 5)]!);
    const results = await Promise.all(order.map((job) => job()));
    expect(results.every((r) => r.status === 201 && r.name.startsWith(`${r.ns}-`))).toBe(true);
    for (const ns of names) {
      const page = (await inNs(sandbox, ns)('GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=200&search=${ns}-`, admin)).json;
      const own = page.content.map((w: { name: string }) => w.name).sort();
      expect(own).toEqual(Array.from({ length: 20 }, (_, i) => `${ns}-${i}`).sort());
      expect((await inNs(sandbox, ns)('GET', '/__sandbox/requests')).json.size).toBe(41);
    }
    expect((await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=w1-`, admin)).json.totalElements).toBe(0);
  });

  it('creates a namespace from the seed that answers byte-identical to a fresh sandbox', async () => {
    const sandbox = testSandbox({ seed: 4242 });
    await createWorkflow(inNs(sandbox, undefined), 'Only in default');
    sandbox.clock.advance('3h');
    const paths = [`/api/workflows?teamId=${ACME_TEAM_ID}&size=50`, `/api/executions?teamId=${ACME_TEAM_ID}&size=50`, '/api/credentials'];
    const fresh = testSandbox({ seed: 4242 });
    const ns = inNs(sandbox, 'fresh-copy');
    for (const path of paths) {
      const [expected, actual] = [await call(fresh, 'GET', path, admin), await ns('GET', path, admin)];
      expect(actual.status).toBe(200);
      expect(actual.text).toBe(expected.text);
      expect([...actual.headers]).toEqual([...expected.headers]);
    }
  });

  it('drops the least recently used namespace past maxNamespaces and recreates it fresh on next use', async () => {
    const sandbox = testSandbox({ maxNamespaces: 2 });
    const [a, b, c] = [inNs(sandbox, 'a'), inNs(sandbox, 'b'), inNs(sandbox, 'c')];
    const inA = await createWorkflow(a, 'A');
    const inB = await createWorkflow(b, 'B');
    await a('GET', '/api/auth/me', admin); // a is now the most recently used
    await c('GET', '/api/auth/me', admin); // evicts b
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'a', 'c']);
    expect((await a('GET', `/api/workflows/${inA.json.id}`, admin)).status).toBe(200);
    const recreated = await b('GET', `/api/workflows/${inB.json.id}`, admin);
    expect(recreated.status).toBe(404);
    expect(recreated.headers.get('x-request-id')).toBe('req_000001');
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'a', 'b']);
  });

  it('never drops a namespace with a request in flight: the write it answers is kept', async () => {
    const sandbox = testSandbox({ maxNamespaces: 1 });
    const victim = inNs(sandbox, 'victim');
    sandbox.namespace('victim').scenarios.use({ name: 'lag', description: 'Every call waits 100 ms.', rules: [{ name: 'wait', effect: { type: 'latency', ms: 100 } }] });
    const pending = createWorkflow(victim, 'Kept');
    await inNs(sandbox, 'other')('GET', '/api/auth/me', admin); // would have dropped victim
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'victim', 'other']);
    const created = await pending;
    expect(created.status).toBe(201);
    expect((await victim('GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(200);
    // Nothing in flight any more: the next new namespace brings the count back to the bound.
    await inNs(sandbox, 'third')('GET', '/api/auth/me', admin);
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'third']);
  });

  it('lets a namespace go whose request failed and whose onUnexpectedError callback threw too', async () => {
    const sandbox = testSandbox({
      maxNamespaces: 1,
      onUnexpectedError: () => {
        throw new Error('a broken error reporter');
      },
    });
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('the upload stream broke'));
      },
    });
    const request = new Request('http://sandbox.test/api/workflows', {
      method: 'POST',
      headers: { authorization: 'Bearer sdk_sandbox_admin', 'content-type': 'application/json', 'x-sandbox-namespace': 'w' },
      body: failing,
      duplex: 'half',
    } as RequestInit);
    await sandbox.fetch(request).catch(() => undefined); // a 500 or a rejection: either way no hold is left
    await inNs(sandbox, 'next')('GET', '/api/auth/me', admin);
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'next']);
  });

  it('never evicts the default namespace', async () => {
    const sandbox = testSandbox({ maxNamespaces: 1 });
    const created = await createWorkflow(inNs(sandbox, undefined), 'Default stays');
    for (const ns of ['x', 'y', 'z']) await inNs(sandbox, ns)('GET', '/api/auth/me', admin);
    expect((await call(sandbox, 'GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(200);
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'z']);
  });

  it('creates no namespace for a request outside /api and /__sandbox, and evicts none', async () => {
    const sandbox = testSandbox({ maxNamespaces: 1 });
    expect((await inNs(sandbox, 'a')('GET', '/api/auth/me', admin)).status).toBe(200);
    sandbox.namespace('a').clock.advance('1h');
    const side = inNs(sandbox, 'side');
    expect((await side('GET', '/actuator/health')).json).toEqual({ status: 'UP' });
    expect((await side('GET', '/widget.js')).status).toBe(200);
    expect((await side('GET', '/openapi.json')).status).toBe(200);
    const missing = await side('GET', '/no/such/path');
    expect(missing.status).toBe(404);
    expect(missing.json.timestamp).toBe(TEST_NOW); // the default namespace's clock: side does not exist
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'a']);
    // A namespace that exists lends its clock to those answers, as to its API calls.
    expect((await inNs(sandbox, 'a')('GET', '/no/such/path')).json.timestamp).toBe('2026-11-01T13:00:00.000Z');
    expect((await inNs(sandbox, 'bad name')('GET', '/actuator/health')).status).toBe(400);
  });

  it.each(['has space', 'a/b', 'semi;colon', 'x'.repeat(65), '.', '..', '...'])('answers 400 for the namespace name %j, on /api and /__sandbox', async (name) => {
    const sandbox = testSandbox();
    const api = await inNs(sandbox, name)('GET', '/api/auth/me', admin);
    expect(api.status).toBe(400);
    expect(api.json.message).toContain('X-Sandbox-Namespace');
    expect((await inNs(sandbox, name)('GET', '/__sandbox/clock')).status).toBe(400);
    expect(() => sandbox.namespace(name)).toThrow(TypeError);
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default']);
  });

  it('echoes at most 64 characters of a long invalid name, with its length', async () => {
    const sandbox = testSandbox();
    const name = 'y'.repeat(300);
    const api = await inNs(sandbox, name)('GET', '/api/auth/me', admin);
    expect(api.status).toBe(400);
    expect(api.json.message).toBe(`X-Sandbox-Namespace must be 1-64 letters, digits, dots, dashes or underscores (not dots alone), got "${'y'.repeat(64)}…[truncated from 300 chars]".`);
    expect(() => sandbox.namespace(name)).toThrow(`got "${'y'.repeat(64)}…[truncated from 300 chars]"`);
  });

  it('names a non-string namespace from plain JavaScript instead of failing inside the message (clip)', () => {
    const sandbox = testSandbox();
    expect(() => sandbox.namespace({} as never)).toThrow('got "[object Object]"');
    expect(() => sandbox.namespace(1e21 as never)).toThrow('got "1e+21"');
  });

  it('does not cut a long invalid name between the halves of an emoji', () => {
    const sandbox = testSandbox();
    const name = `${'a'.repeat(63)}\u{1F600}x`;
    expect(() => sandbox.namespace(name)).toThrow(`got "${'a'.repeat(63)}…[truncated from 66 chars]"`);
  });

  it('accepts letters, digits, dots, dashes and underscores up to 64 characters', async () => {
    const sandbox = testSandbox();
    for (const name of ['worker_1', 'ci.job-42', 'x'.repeat(64)]) {
      expect((await inNs(sandbox, name)('GET', '/api/auth/me', admin)).status).toBe(200);
    }
  });
});

describe('sandbox.namespace(name)', () => {
  it('controls the same namespace that X-Sandbox-Namespace selects', async () => {
    const sandbox = testSandbox();
    const controls = sandbox.namespace('shared');
    const send = inNs(sandbox, 'shared');
    controls.clock.advance('61s');
    expect((await send('GET', '/__sandbox/clock')).json.now).toBe('2026-11-01T12:01:01.000Z');
    expect(sandbox.clock.iso()).toBe(TEST_NOW);

    controls.scenarios.use('server-error');
    expect((await send('GET', '/api/auth/me', admin)).status).toBe(500);
    expect((await send('GET', '/__sandbox/scenario')).json.names).toEqual(['server-error']);
    controls.scenarios.reset();

    const created = await createWorkflow(send, 'Via HTTP');
    expect(controls.journal.list()).toEqual((await send('GET', '/__sandbox/requests')).json.entries);
    await controls.ready;
    expect(controls.state.db.workflows.get(created.json.id)?.name).toBe('Via HTTP');
    expect(await controls.snapshot()).toEqual((await send('GET', '/__sandbox/snapshot')).json);

    await controls.reset();
    expect((await send('GET', `/api/workflows/${created.json.id}`, admin)).status).toBe(404);
    expect(controls.journal.list()).toHaveLength(1);
  });
});
