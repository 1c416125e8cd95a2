import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { adminRoutes } from '../src/admin/admin-routes.ts';
import { call, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };

describe('control plane index and namespaces', () => {
  it('lists the control endpoints at GET /__sandbox', async () => {
    const index = await call(testSandbox(), 'GET', '/__sandbox');
    expect(index.status).toBe(200);
    const endpoints = index.json.endpoints as Array<{ method: string; path: string; description: string | null }>;
    expect(endpoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'POST', path: '/__sandbox/reset' }),
        expect.objectContaining({ method: 'GET', path: '/__sandbox/requests.har' }),
        expect.objectContaining({ method: 'DELETE', path: '/__sandbox/namespaces/:name' }),
      ]),
    );
    // Every control route, and the reference page served beside them.
    expect(endpoints).toHaveLength(adminRoutes.length + 1);
    expect(endpoints).toContainEqual({ method: 'GET', path: '/__sandbox/docs', description: expect.stringContaining('API reference') });
    // A line for each: AdminRoute.description is required, so a new route cannot be listed bare.
    for (const endpoint of endpoints) expect(endpoint.description, `${endpoint.method} ${endpoint.path}`).toMatch(/^\S.{10,}\.$/);
    expect(new Set(endpoints.map((e) => `${e.method} ${e.path}`)).size).toBe(endpoints.length);
  });

  it('deletes a namespace, which starts afresh on its next use', async () => {
    const sandbox = testSandbox();
    const inWorker = { ...admin, headers: { 'x-sandbox-namespace': 'worker-1' } };
    expect((await call(sandbox, 'POST', '/api/workflows', { ...inWorker, body: { name: 'Gone soon', teamId: ACME_TEAM_ID } })).status).toBe(201);
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default', 'worker-1']);
    const deleted = await call(sandbox, 'DELETE', '/__sandbox/namespaces/worker-1');
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces).toEqual(['default']);
    const page = await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=Gone`, inWorker);
    expect(page.json.totalElements).toBe(0);
  });

  it('answers 400 naming the parameter for a path parameter that is not valid percent-encoding, on every control route that has one', async () => {
    const sandbox = testSandbox();
    const withParams = adminRoutes.filter((route) => route.path.includes('/:'));
    expect(withParams.length).toBeGreaterThanOrEqual(3);
    for (const route of withParams) {
      const name = /\/:(\w+)/.exec(route.path)![1]!;
      const path = route.path.replace(/:\w+/g, '%zz');
      const response = await call(sandbox, route.method, path, route.body ? { body: {} } : {});
      expect(response.status, `${route.method} ${path}`).toBe(400);
      expect(response.json).toMatchObject({ status: 400, error: 'Bad Request', message: `Path parameter '${name}' is not valid percent-encoding: %zz`, path });
    }
  });

  it('answers 404 for an unknown namespace and 400 for the default one', async () => {
    const sandbox = testSandbox();
    const unknown = await call(sandbox, 'DELETE', '/__sandbox/namespaces/nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain('GET /__sandbox/namespaces');
    const main = await call(sandbox, 'DELETE', '/__sandbox/namespaces/default');
    expect(main.status).toBe(400);
    expect(main.json.message).toContain('POST /__sandbox/reset');
    expect(() => sandbox.deleteNamespace('default')).toThrow(TypeError);
  });
});

describe('strict control bodies', () => {
  it('refuses an unknown field, naming it and the known ones', async () => {
    const refused = await call(testSandbox(), 'POST', '/__sandbox/reset', { body: { sed: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/reset' });
    expect(refused.json.message).toBe('Unknown field "sed" in the body of POST /__sandbox/reset. Known fields: "seed", "scenario".');
  });

  it('refuses "name" on PUT /__sandbox/scenario with the "names" form to send', async () => {
    const sandbox = testSandbox();
    const refused = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { name: 'server-error' } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe('PUT /__sandbox/scenario takes "names", a list: send {"names": ["server-error"]} (a comma-separated string works too), not "name".');
    expect(sandbox.scenarios.current().names).toEqual([]);
  });

  it('refuses unknown fields on the clock endpoints too', async () => {
    const sandbox = testSandbox();
    const clock = await call(sandbox, 'PUT', '/__sandbox/clock', { body: { frozen: true, speed: 2 } });
    expect(clock.status).toBe(400);
    expect(clock.json.message).toBe('Unknown field "speed" in the body of PUT /__sandbox/clock. Known fields: "frozen", "at".');
    const advance = await call(sandbox, 'POST', '/__sandbox/clock/advance', { body: { ms: 1000, by: 1 } });
    expect(advance.status).toBe(400);
    expect(advance.json.message).toContain('Known fields: "ms"');
  });

  it('defines a scenario over HTTP, usable by name afterwards', async () => {
    const sandbox = testSandbox();
    const definition = { name: 'teapot-cancel', description: 'Cancels fail.', rules: [{ when: 'POST /api/executions/*/cancel', effect: { type: 'error', status: 409 } }] };
    const defined = await call(sandbox, 'POST', '/__sandbox/scenarios', { body: definition });
    expect(defined.status).toBe(201);
    expect(defined.json).toMatchObject({ name: 'teapot-cancel' });
    expect((await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['teapot-cancel'] } })).status).toBe(200);
    const bad = await call(sandbox, 'POST', '/__sandbox/scenarios', { body: { name: 'x', rules: [{ when: 'GET /api/**', effect: { type: 'nope' } }] } });
    expect(bad.status).toBe(400);
  });

  it('refuses to redefine a built-in over HTTP (409), from any namespace, and the built-in keeps working', async () => {
    const sandbox = testSandbox();
    for (const name of ['server-error', 'large']) {
      const response = await call(sandbox, 'POST', '/__sandbox/scenarios', { headers: { 'x-sandbox-namespace': 'w1' }, body: { name, description: 'x', rules: [] } });
      expect(response.status).toBe(409);
      expect(response.json).toMatchObject({ status: 409, error: 'Conflict', message: expect.stringContaining(`'${name}' is a built-in scenario`) });
    }
    const injected = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-scenario': 'server-error' } });
    expect(injected.status).toBe(500);
    // Code may still replace one (the server owner's setup).
    sandbox.scenarios.define({ name: 'server-error', description: 'Quiet.', rules: [] });
    expect((await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-scenario': 'server-error' } })).status).toBe(200);
  });
});
