// A consumer's vitest test under jsdom (run with --environment jsdom --globals, no config file).
import { setupServer } from 'msw/node';
import { createSandbox } from 'nodeloom-sandbox';
import { createHandlers } from 'nodeloom-sandbox/msw';

const sandbox = createSandbox({ now: '2026-11-01T12:00:00.000Z' });
const server = setupServer(...createHandlers(sandbox));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('logs in and reads me under jsdom', async () => {
  expect(typeof window).toBe('object');
  const login = await fetch('https://api.nodeloom.io/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'viewer@acme.test', password: 'sandbox' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const me = await fetch(`${location.origin}/api/auth/me`, { headers: { cookie } });
  expect(await me.json()).toMatchObject({ email: 'viewer@acme.test' });
});
