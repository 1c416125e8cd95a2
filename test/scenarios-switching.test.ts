import { describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from 'nodeloom-sandbox';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';
import { ADMIN, appliedOf, BUILT_IN, expectSpringError, SCENARIO_HOST, useHosts, VIEWER, type ResponseLike } from './scenario-hosts.ts';

/**
 * Every way of switching a scenario on (and off) does the same thing: at start, over the control
 * plane, per request (header or query), per token or user binding, and in code. Unknown names are
 * a 400 listing the known ones.
 */

const start = useHosts();
const SERVER_ERROR = 'server-error/error-500 (error 500)';

const me = (sandbox: Sandbox, options: Parameters<typeof call>[3] = {}) => call(sandbox, 'GET', '/api/auth/me', { token: ADMIN, ...options });

/** A way of switching `server-error` on: the calls it must hit, and the calls it must not. */
type Way = () => Promise<{ hit: ResponseLike[]; miss: ResponseLike[] }>;

const ways: Array<[string, Way]> = [
  ['createSandbox({ scenarios }), then scenarios.reset()', async () => {
    const sandbox = testSandbox({ scenarios: ['server-error'] });
    expect(sandbox.scenarios.current()).toEqual({ names: ['server-error'], since: TEST_NOW, bindings: {} });
    const hit = [await me(sandbox), await me(sandbox, { token: VIEWER })];
    sandbox.scenarios.reset();
    return { hit, miss: [await me(sandbox)] };
  }],
  ['PUT /__sandbox/scenario, GET to read, DELETE to clear', async () => {
    const sandbox = testSandbox();
    const put = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'] } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ names: ['server-error'], since: TEST_NOW, bindings: {} });
    expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json).toEqual(put.json);
    const hit = [await me(sandbox), await me(sandbox, { token: VIEWER })];
    const cleared = await call(sandbox, 'DELETE', '/__sandbox/scenario');
    expect(cleared.json).toEqual({ names: [], since: null, bindings: {} });
    return { hit, miss: [await me(sandbox)] };
  }],
  ['PUT /__sandbox/scenario with a comma-separated string', async () => {
    const sandbox = testSandbox();
    expect((await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: 'server-error' } })).json.names).toEqual(['server-error']);
    const hit = [await me(sandbox)];
    await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: [] } });
    return { hit, miss: [await me(sandbox)] };
  }],
  ['X-Sandbox-Scenario header, for that request only', async () => {
    const sandbox = testSandbox();
    const hit = [await me(sandbox, { headers: { 'x-sandbox-scenario': 'server-error' } })];
    expect(sandbox.scenarios.current().names).toEqual([]);
    return { hit, miss: [await me(sandbox)] };
  }],
  ['?__scenario= query, for that request only', async () => {
    const sandbox = testSandbox();
    const hit = [await call(sandbox, 'GET', '/api/auth/me?__scenario=server-error', { token: ADMIN })];
    return { hit, miss: [await me(sandbox)] };
  }],
  ['PUT /__sandbox/scenario { names, token }: that token only', async () => {
    const sandbox = testSandbox();
    const put = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'], token: VIEWER } });
    expect(put.json).toEqual({ names: [], since: null, bindings: { [VIEWER]: ['server-error'] } });
    const viewerCookie = await login(sandbox, 'viewer@acme.test');
    const hit = [await me(sandbox, { token: VIEWER })];
    const miss = [await me(sandbox), await me(sandbox, { token: undefined, cookie: viewerCookie })];
    const unbound = await call(sandbox, 'DELETE', `/__sandbox/scenario?token=${VIEWER}`);
    expect(unbound.json.bindings).toEqual({});
    miss.push(await me(sandbox, { token: VIEWER }));
    return { hit, miss };
  }],
  ['PUT /__sandbox/scenario { names, user } with a cookie login: that user only', async () => {
    const sandbox = testSandbox();
    const put = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['server-error'], user: 'viewer@acme.test' } });
    expect(put.json.bindings).toEqual({ 'viewer@acme.test': ['server-error'] });
    const viewerCookie = await login(sandbox, 'viewer@acme.test');
    const adminCookie = await login(sandbox, 'admin@acme.test');
    const hit = [await me(sandbox, { token: undefined, cookie: viewerCookie })];
    const miss = [await me(sandbox, { token: undefined, cookie: adminCookie }), await me(sandbox, { token: VIEWER })];
    await call(sandbox, 'DELETE', '/__sandbox/scenario?user=viewer@acme.test');
    miss.push(await me(sandbox, { token: undefined, cookie: viewerCookie }));
    return { hit, miss };
  }],
  ['sandbox.scenarios.use(), then reset()', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.use('server-error');
    expect(sandbox.scenarios.current()).toEqual({ names: ['server-error'], since: TEST_NOW, bindings: {} });
    const hit = [await me(sandbox)];
    sandbox.scenarios.reset();
    expect(sandbox.scenarios.current()).toEqual({ names: [], since: null, bindings: {} });
    return { hit, miss: [await me(sandbox)] };
  }],
  ['sandbox.scenarios.useFor(token): that token only; useFor(token) with none unbinds', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.useFor(VIEWER, 'server-error');
    expect(sandbox.scenarios.current().bindings).toEqual({ [VIEWER]: ['server-error'] });
    const hit = [await me(sandbox, { token: VIEWER })];
    const miss = [await me(sandbox)];
    sandbox.scenarios.useFor(VIEWER);
    miss.push(await me(sandbox, { token: VIEWER }));
    return { hit, miss };
  }],
  ['sandbox.reset({ scenario }) and POST /__sandbox/reset { scenario }', async () => {
    const sandbox = testSandbox();
    await sandbox.reset({ scenario: 'server-error' });
    const hit = [await me(sandbox)];
    const reset = await call(sandbox, 'POST', '/__sandbox/reset', { body: { scenario: ['server-error'] } });
    expect(reset.json.scenarios.names).toEqual(['server-error']);
    hit.push(await me(sandbox));
    await sandbox.reset();
    return { hit, miss: [await me(sandbox)] };
  }],
];

describe('each way of switching a scenario', () => {
  /** The first injected answer of each way, compared by the test after them. */
  const firstHits: ResponseLike[] = [];

  it.each(ways)('%s', async (_name, way) => {
    const { hit, miss } = await way();
    firstHits.push(hit[0]!);
    for (const response of hit) {
      expect(expectSpringError(response, 500, 'Internal Server Error', '/api/auth/me')).toBe('Internal server error (injected by the server-error scenario).');
      expect(appliedOf(response)).toBe(SERVER_ERROR);
    }
    for (const response of miss) {
      expect(response.status, response.text).toBe(200);
      expect(appliedOf(response)).toBeNull();
    }
  });

  it('gives the same injected answer whichever way it was switched on', () => {
    expect(firstHits).toHaveLength(ways.length);
    const answers = firstHits.map((hit) => {
      const { requestId: _id, ...body } = hit.json;
      return { status: hit.status, body, applied: appliedOf(hit), contentType: hit.headers.get('content-type') };
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('switches over the control plane of the scenario host', async () => {
    const host = await start(SCENARIO_HOST);
    const put = await host.send('PUT', '/__sandbox/scenario', { body: { names: ['unavailable'] } });
    expect(put.json.names).toEqual(['unavailable']);
    expect((await host.send('GET', '/api/auth/me', { token: ADMIN })).status).toBe(503);
    expect((await host.send('GET', '/__sandbox/scenario')).json.names).toEqual(['unavailable']);
    await host.send('DELETE', '/__sandbox/scenario');
    expect((await host.send('GET', '/api/auth/me', { token: ADMIN })).status).toBe(200);
  });
});

describe('unknown scenario names', () => {
  const expectKnownListed = (message: string, from = '') => {
    const start = `Unknown scenario 'nope'${from}. Known scenarios: `;
    expect(message.slice(0, start.length)).toBe(start);
    for (const name of BUILT_IN) expect(message).toContain(name);
  };

  it('answers 400 listing the known scenarios to an X-Sandbox-Scenario header or ?__scenario=, naming which one sent it', async () => {
    const sandbox = testSandbox();
    const fromHeader = expectSpringError(await me(sandbox, { headers: { 'x-sandbox-scenario': 'slow,nope' } }), 400, 'Bad Request', '/api/auth/me');
    expectKnownListed(fromHeader, ' (from the X-Sandbox-Scenario header)');
    const fromQuery = expectSpringError(await call(sandbox, 'GET', '/api/auth/me?__scenario=nope', { token: ADMIN }), 400, 'Bad Request', '/api/auth/me');
    expectKnownListed(fromQuery, ' (from ?__scenario=)');
  });

  it('echoes at most 64 characters of a long unknown name, with its length', async () => {
    const sandbox = testSandbox();
    const name = 'z'.repeat(5000);
    const message = expectSpringError(await me(sandbox, { headers: { 'x-sandbox-scenario': name } }), 400, 'Bad Request', '/api/auth/me');
    expect(message.startsWith(`Unknown scenario '${'z'.repeat(64)}…[truncated from 5000 chars]' (from the X-Sandbox-Scenario header). Known scenarios: `)).toBe(true);
  });

  it('answers 400 listing the known scenarios to PUT /__sandbox/scenario and POST /__sandbox/reset, and changes nothing', async () => {
    const sandbox = testSandbox({ scenarios: ['unavailable'] });
    for (const body of [{ names: ['server-error', 'nope'] }, { names: ['nope'], token: VIEWER }]) {
      expectKnownListed(expectSpringError(await call(sandbox, 'PUT', '/__sandbox/scenario', { body }), 400, 'Bad Request', '/__sandbox/scenario'));
    }
    expectKnownListed(expectSpringError(await call(sandbox, 'POST', '/__sandbox/reset', { body: { scenario: 'nope' } }), 400, 'Bad Request', '/__sandbox/reset'));
    expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json).toEqual({ names: ['unavailable'], since: TEST_NOW, bindings: {} });
  });

  it('makes sandbox.scenarios.use, useFor and createSandbox throw a 400 HttpError listing them', () => {
    const sandbox = testSandbox({ scenarios: ['unavailable'] });
    for (const attempt of [() => sandbox.scenarios.use('server-error', 'nope'), () => sandbox.scenarios.useFor(VIEWER, 'nope'), () => createSandbox({ scenarios: ['nope'] })]) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: 'HttpError', status: 400 });
      expectKnownListed((thrown as Error).message);
    }
    expect(sandbox.scenarios.current()).toEqual({ names: ['unavailable'], since: TEST_NOW, bindings: {} });
  });
});

describe('DELETE /__sandbox/scenario', () => {
  it.each([['?tokn=sdk_sandbox_viewer', 'Unknown query parameter "tokn"'], ['?token=', 'token is empty'], ['?user=', 'user is empty'], [`?token=${VIEWER}&user=viewer@acme.test`, 'not both'], ['?token=sandbox_viewer', 'token must be an SDK token value'], ['?token=%20', 'token must be an SDK token value']])(
    'answers 400 and switches nothing off given %s',
    async (query, mention) => {
      const sandbox = testSandbox();
      await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['unavailable'] } });
      await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'], token: VIEWER } });
      const before = (await call(sandbox, 'GET', '/__sandbox/scenario')).json;
      expect(expectSpringError(await call(sandbox, 'DELETE', `/__sandbox/scenario${query}`), 400, 'Bad Request', '/__sandbox/scenario')).toContain(mention);
      expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json).toEqual(before);
    },
  );
});
