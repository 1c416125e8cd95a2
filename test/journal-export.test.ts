import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { call, testSandbox } from './helpers.ts';

const admin = { token: 'sdk_sandbox_admin' };

describe('journal size, wait and HAR export', () => {
  it('counts the matches in size, and the whole journal in total', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, admin);
    await call(sandbox, 'GET', '/api/auth/me');
    const listed = await call(sandbox, 'GET', '/__sandbox/requests?path=/api/auth/me&limit=1');
    expect(listed.json).toMatchObject({ total: 3, size: 2 });
    expect(listed.json.entries).toHaveLength(1);
    expect((await call(sandbox, 'GET', '/__sandbox/requests?status=401')).json).toMatchObject({ total: 3, size: 1 });
  });

  it('filters with status=0 the requests that got no answer, as the journal records them', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.use({ name: 'cut', description: 'The me call loses its connection.', rules: [{ name: 'reset', when: 'GET /api/auth/me', effect: { type: 'network-error' } }] });
    await call(sandbox, 'GET', '/api/auth/me', admin).catch(() => undefined);
    await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, admin);
    const listed = await call(sandbox, 'GET', '/__sandbox/requests?status=0');
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ total: 2, size: 1 });
    expect(listed.json.entries[0]).toMatchObject({ path: '/api/auth/me', status: 0, outcome: 'network-error' });
    const refused = await call(sandbox, 'GET', '/__sandbox/requests?status=00');
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('or 0 for requests that got no answer');
  });

  it('answers a wait at once when a matching request is already there', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    const started = performance.now();
    const listed = await call(sandbox, 'GET', '/__sandbox/requests?path=/api/auth/me&wait=5s');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(listed.json).toMatchObject({ size: 1, timedOut: false });
  });

  it('long-polls until a matching request arrives', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const waiting = call(sandbox, 'GET', '/__sandbox/requests?method=POST&path=/api/workflows&wait=10s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await call(sandbox, 'GET', '/api/auth/me', admin); // not a match: the wait goes on
    await call(sandbox, 'POST', '/api/workflows', { ...admin, body: { name: 'Awaited', teamId: ACME_TEAM_ID } });
    const listed = await waiting;
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ size: 1, timedOut: false });
    expect(listed.json.entries[0]).toMatchObject({ method: 'POST', path: '/api/workflows', status: 201 });
  });

  it('ends a wait with timedOut and no entries when nothing matches in time', async () => {
    const listed = await call(testSandbox(), 'GET', '/__sandbox/requests?path=/api/never&wait=100ms');
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ size: 0, timedOut: true, entries: [] });
  });

  it('refuses a wait over 30 s or not a duration', async () => {
    const sandbox = testSandbox();
    for (const wait of ['31s', 'soon', '-1']) {
      const refused = await call(sandbox, 'GET', `/__sandbox/requests?wait=${wait}`);
      expect(refused.status).toBe(400);
      expect(refused.json.message).toContain('wait must be a duration from 0 to 30s');
    }
  });

  it('exports the journal as HAR 1.2, oldest first, secrets masked', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'sandbox' }, headers: { host: 'localhost:4010' } });
    await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&size=2`, admin);
    const exported = await call(sandbox, 'GET', '/__sandbox/requests.har');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="nodeloom-sandbox-default.har"');
    const { log } = exported.json;
    expect(log).toMatchObject({ version: '1.2', creator: { name: 'nodeloom-sandbox' }, pages: [] });
    expect(log.entries).toHaveLength(2);
    const [login, page] = log.entries;
    // The HAR 1.2 fields devtools read, with their types.
    for (const entry of log.entries) {
      expect(Number.isNaN(Date.parse(entry.startedDateTime))).toBe(false);
      expect(typeof entry.time).toBe('number');
      expect(entry.request).toMatchObject({ httpVersion: 'HTTP/1.1', cookies: [], headersSize: -1 });
      expect(entry.response).toMatchObject({ httpVersion: 'HTTP/1.1', cookies: [], redirectURL: '', headersSize: -1 });
      expect(Array.isArray(entry.request.headers) && Array.isArray(entry.response.headers)).toBe(true);
      expect(typeof entry.response.content.mimeType).toBe('string');
      expect(entry.timings).toMatchObject({ send: 0, receive: 0 });
      expect(entry.cache).toEqual({});
    }
    expect(login.request).toMatchObject({ method: 'POST', url: 'http://localhost:4010/api/auth/login', postData: { mimeType: 'application/json' } });
    expect(JSON.parse(login.request.postData.text)).toEqual({ email: 'admin@acme.test', password: '(masked)' });
    expect(login.response).toMatchObject({ status: 200, statusText: 'OK' });
    expect(login.response.headers).toContainEqual({ name: 'set-cookie', value: '(masked)' });
    expect(page.request.url).toBe(`http://localhost/api/workflows?teamId=${ACME_TEAM_ID}&size=2`);
    expect(page.request.queryString).toEqual([
      { name: 'teamId', value: ACME_TEAM_ID },
      { name: 'size', value: '2' },
    ]);
    expect(page.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer sdk_sand…' });
    expect(JSON.parse(page.response.content.text)).toMatchObject({ size: 2 });
    expect(page.response.content.size).toBeGreaterThan(0);
  });

  it('filters the HAR export like the journal', async () => {
    const sandbox = testSandbox();
    await call(sandbox, 'GET', '/api/auth/me', admin);
    await call(sandbox, 'GET', '/api/auth/me');
    const exported = await call(sandbox, 'GET', '/__sandbox/requests.har?status=401');
    expect(exported.json.log.entries.map((e: { response: { status: number } }) => e.response.status)).toEqual([401]);
  });
});
