// A consumer's Jest 30 test with the README's recipe: the package required as CommonJS, no
// transform. (msw 2.15's own `msw/node` requires an ESM-only dependency, which Jest loads only on
// Node 24.9+, so this test calls `sandbox.fetch` directly, as the README's Jest note says.)
const { createSandbox, ACME_TEAM_ID } = require('nodeloom-sandbox');

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
const api = (path, init) => sandbox.fetch(new Request(`https://api.nodeloom.io${path}`, init));
beforeEach(() => sandbox.reset());

test('logs in and lists workflows', async () => {
  const login = await api('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const page = await api(`/api/workflows?size=2&teamId=${ACME_TEAM_ID}`, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect((await page.json()).content).toHaveLength(2);
});

test('switches a scenario', async () => {
  sandbox.scenarios.use('server-error');
  const me = await api('/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
  expect(me.status).toBe(500);
});
