import { describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { TEST_NOW } from './helpers.ts';

function sandboxWithWarnings() {
  const warnings: string[] = [];
  const sandbox = createSandbox({ now: TEST_NOW, onWarning: (message) => warnings.push(message) });
  const login = (api: string, origin: string) =>
    sandbox.fetch(
      new Request(`${api}/api/auth/login`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
      }),
    );
  const me = (api: string, origin: string) => sandbox.fetch(new Request(`${api}/api/auth/me`, { headers: { origin } }));
  return { sandbox, warnings, login, me };
}

describe('cross-site cookie login', () => {
  it('warns once, saying what to change, when a login comes from a page on another host', async () => {
    const { warnings, login } = sandboxWithWarnings();
    expect((await login('http://127.0.0.1:4010', 'http://localhost:5173')).status).toBe(200);
    expect((await login('http://127.0.0.1:4010', 'http://localhost:5173')).status).toBe(200);
    expect(warnings).toEqual([
      '[nodeloom-sandbox] warning: a login from a page on http://localhost:5173 called the API as http://127.0.0.1:4010: different hosts are different sites, ' +
        'so the browser drops the SameSite=Lax session cookie and the next calls answer 401. ' +
        "Call the API on the page's host (http://localhost:4010 instead of http://127.0.0.1:4010), or proxy /api through your dev server " +
        "(Vite: server.proxy { '/api': 'http://127.0.0.1:4010' }; see the README, \"Cookie login from your dev server\").",
    ]);
  });

  it('hints at the cross-site cookie in the 401 a cookie-less caller gets after such a login', async () => {
    const { login, me } = sandboxWithWarnings();
    await login('http://127.0.0.1:4010', 'http://localhost:5173');
    const refused = await me('http://127.0.0.1:4010', 'http://localhost:5173');
    expect(refused.status).toBe(401);
    const { message } = (await refused.json()) as { message: string };
    expect(message).toContain('A login from http://localhost:5173 to http://127.0.0.1:4010 set its session cookie cross-site, which the browser does not send back.');
    expect(message).toContain('http://localhost:4010 instead of http://127.0.0.1:4010');
  });

  it('says nothing for a page without a host (an extension, a file, an opaque origin): no 500', async () => {
    const { warnings, login } = sandboxWithWarnings();
    for (const origin of ['chrome-extension://abcdefgh', 'file://', 'moz-extension://1234']) {
      expect((await login('http://127.0.0.1:4010', origin)).status, origin).toBe(200);
    }
    expect(warnings).toEqual([]);
  });

  it('does not hold its namespace for good when the warning callback throws after the answer', async () => {
    const unexpected: unknown[] = [];
    const sandbox = createSandbox({
      now: TEST_NOW,
      maxNamespaces: 1,
      onWarning: () => {
        throw new Error('a broken log sink');
      },
      onUnexpectedError: (error) => unexpected.push(error),
    });
    const loginIn = (namespace: string) =>
      sandbox.fetch(
        new Request('http://127.0.0.1:4010/api/auth/login', {
          method: 'POST',
          headers: { origin: 'http://localhost:5173', 'content-type': 'application/json', 'x-sandbox-namespace': namespace },
          body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
        }),
      );
    expect((await loginIn('w')).status).toBe(500);
    expect(unexpected).toEqual([new Error('a broken log sink')]);
    await sandbox.fetch(new Request('http://127.0.0.1:4010/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin', 'x-sandbox-namespace': 'next' } }));
    expect(await (await sandbox.fetch(new Request('http://127.0.0.1:4010/__sandbox/namespaces'))).json()).toMatchObject({ namespaces: ['default', 'next'] });
  });

  it('says nothing when the page and the API share a host, whatever the ports', async () => {
    const { warnings, login, me } = sandboxWithWarnings();
    expect((await login('http://localhost:4010', 'http://localhost:5173')).status).toBe(200);
    expect(warnings).toEqual([]);
    const refused = await me('http://localhost:4010', 'http://localhost:5173');
    expect(((await refused.json()) as { message: string }).message).not.toContain('cross-site');
  });

  it('forgets the cross-site login on reset', async () => {
    const { sandbox, login, me } = sandboxWithWarnings();
    await login('http://127.0.0.1:4010', 'http://localhost:5173');
    await sandbox.reset();
    const refused = await me('http://127.0.0.1:4010', 'http://localhost:5173');
    expect(((await refused.json()) as { message: string }).message).not.toContain('cross-site');
  });
});
