// A consumer's Jest 30 test with the README's recipe: msw's setupServer and the sandbox's handlers.
const { setupServer } = require('msw/node');
const { createSandbox } = require('nodeloom-sandbox');
const { createHandlers } = require('nodeloom-sandbox/msw');

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
const server = setupServer(...createHandlers(sandbox));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => sandbox.reset());
afterAll(() => server.close());

test('logs in and lists workflows', async () => {
  const login = await fetch('https://api.nodeloom.io/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const page = await fetch('https://api.nodeloom.io/api/workflows?size=2&teamId=0a1c3e00-0000-4000-8000-00000000ac01', { headers: { cookie } });
  expect(page.status).toBe(200);
  expect((await page.json()).content).toHaveLength(2);
});

test('switches a scenario', async () => {
  sandbox.scenarios.use('server-error');
  const me = await fetch('https://api.nodeloom.io/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
  expect(me.status).toBe(500);
});
