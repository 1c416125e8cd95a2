// The msw handlers under a DOM test environment (jsdom, happy-dom: what React Testing Library and
// component tests run in), from the installed package: login, me and a workflows page through
// `setupServer`. Shared by jsdom.spec.mjs and happy-dom.spec.mjs, which set the environment per
// file (vitest globals, no config file). Regression: under jsdom every login answered 500 (jose
// refused a Uint8Array key from another realm).
import { setupServer } from 'msw/node';
import { ACME_TEAM_ID, createSandbox } from 'nodeloom-sandbox';
import { createHandlers } from 'nodeloom-sandbox/msw';

/**
 * @param {string} name the environment, for the test names
 * @param {{ setCookieVisible: boolean }} options whether the environment shows `Set-Cookie` to scripts
 */
export function describeDomEnvironment(name, options) {
  describe(`msw handlers under ${name}`, () => {
    const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
    const server = setupServer(...createHandlers(sandbox));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    beforeEach(() => sandbox.reset());
    afterAll(() => server.close());

    test('runs in a DOM environment with a page origin', () => {
      expect(typeof window).toBe('object');
      expect(typeof document).toBe('object');
      expect(typeof location.origin).toBe('string');
    });

    test('logs in, reads me with the session cookie and lists workflows', async () => {
      const login = await fetch('https://api.nodeloom.io/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({ email: 'admin@acme.test' });
      let auth = { authorization: 'Bearer sdk_sandbox_admin' };
      if (options.setCookieVisible) {
        const cookie = login.headers.get('set-cookie').split(';')[0];
        expect(cookie).toMatch(/^access_token=ey/);
        auth = { cookie };
      } else {
        // Like a browser, this environment hides Set-Cookie from scripts and keeps no jar for
        // mocked responses: the session is proven by the 200 above (a signed JWT), calls use a token.
        expect(login.headers.get('set-cookie')).toBeNull();
      }
      const me = await fetch('https://api.nodeloom.io/api/auth/me', { headers: auth });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ email: 'admin@acme.test' });
      const page = await fetch(`https://api.nodeloom.io/api/workflows?teamId=${ACME_TEAM_ID}&size=3`, { headers: auth });
      expect(page.status).toBe(200);
      expect((await page.json()).content).toHaveLength(3);
    });

    // Regression: the core's answers carry headers of its own class; handed to happy-dom's Response
    // as an init object (not pairs), every whole answer reached the page with no header at all.
    test('keeps the headers of answers, through sandbox.fetch and msw, HEAD included', async () => {
      const auth = { authorization: 'Bearer sdk_sandbox_admin' };
      const direct = await sandbox.fetch(new Request('http://localhost/api/auth/me', { headers: auth }));
      expect(direct.headers.get('content-type')).toBe('application/json');
      expect(direct.headers.get('x-request-id')).toMatch(/^req_/);
      const me = await fetch('https://api.nodeloom.io/api/auth/me', { headers: auth });
      expect(me.headers.get('content-type')).toBe('application/json');
      expect(me.headers.get('x-ratelimit-limit')).toBe('1000');
      const head = await fetch('https://api.nodeloom.io/api/auth/me', { method: 'HEAD', headers: auth });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('application/json');
      expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
      const denied = await fetch('https://api.nodeloom.io/api/workflows');
      expect(denied.status).toBe(401);
      expect(denied.headers.get('content-type')).toBe('application/json');
    });

    test("answers NodeLoom paths on the page's own origin", async () => {
      const me = await fetch(`${location.origin}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_viewer' } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ email: 'admin@acme.test' }); // the creator of the Acme tokens
    });
  });
}
