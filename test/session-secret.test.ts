import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.ts';
import { isLoopbackHost, parseCliArgs, sessionSecretFor, UsageError } from '../src/hosts/cli-args.ts';
import { runCli, stopClis } from './cli-harness.ts';
import { login, TEST_NOW } from './helpers.ts';

/**
 * Issue 7: "when the server listens beyond loopback, the session signing key must not be derivable
 * from the printed seed". The default key is derived from the seed (byte-identical runs); the CLI
 * signs with a random secret beyond loopback, or with --session-secret / SANDBOX_SESSION_SECRET.
 */

const SEED_KEY = new TextEncoder().encode('nodeloom-sandbox-session-key:42'.padEnd(48, '#'));
const SECRET = 'a-session-secret-of-at-least-32-characters';

async function verifies(cookie: string, key: Uint8Array): Promise<boolean> {
  const jwt = cookie.slice(cookie.indexOf('=') + 1);
  try {
    await jwtVerify(jwt, key, { currentDate: new Date(TEST_NOW) });
    return true;
  } catch {
    return false;
  }
}

async function loginOver(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

afterEach(stopClis);

describe('session signing key forgeable from the printed seed beyond loopback (issue 7)', () => {
  it('signs with the seed-derived key by default, so runs stay byte-identical', async () => {
    const sandbox = createSandbox({ seed: 42, now: TEST_NOW });
    const again = createSandbox({ seed: 42, now: TEST_NOW });
    const cookie = await login(sandbox, 'admin@acme.test');
    expect(await verifies(cookie, SEED_KEY)).toBe(true);
    expect(await login(again, 'admin@acme.test')).toBe(cookie);
  });

  it('signs with sessionSecret when given: the seed-derived key no longer verifies, and the session works', async () => {
    const sandbox = createSandbox({ seed: 42, now: TEST_NOW, sessionSecret: SECRET });
    const cookie = await login(sandbox, 'admin@acme.test');
    expect(await verifies(cookie, SEED_KEY)).toBe(false);
    expect(await verifies(cookie, new TextEncoder().encode(SECRET))).toBe(true);
    const me = await sandbox.fetch(new Request('http://x/api/auth/me', { headers: { cookie } }));
    expect(me.status).toBe(200);
    // A namespace uses the same secret.
    const other = await sandbox.fetch(
      new Request('http://x/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-namespace': 'ns1' },
        body: JSON.stringify({ email: 'admin@acme.test', password: 'sandbox' }),
      }),
    );
    expect(await verifies(other.headers.get('set-cookie')!.split(';')[0]!, new TextEncoder().encode(SECRET))).toBe(true);
  });

  it('refuses a short or non-ASCII sessionSecret with a message saying what it needs', () => {
    expect(() => createSandbox({ sessionSecret: 'short' })).toThrow(/sessionSecret must be printable ASCII text of at least 32 characters/);
    expect(() => createSandbox({ sessionSecret: 'é'.repeat(40) })).toThrow(TypeError);
  });

  it('the CLI picks the seed-derived key on loopback and a random secret beyond it', () => {
    const random = () => 'random-secret-from-the-host-xxxxxxxxxxxxx';
    expect(sessionSecretFor({ host: 'localhost' }, random)).toEqual({ signing: 'seed' });
    expect(sessionSecretFor({ host: '127.0.0.1' }, random)).toEqual({ signing: 'seed' });
    expect(sessionSecretFor({ host: '[::1]' }, random)).toEqual({ signing: 'seed' });
    expect(sessionSecretFor({ host: '0.0.0.0' }, random)).toEqual({ secret: random(), signing: 'random' });
    expect(sessionSecretFor({ host: '::' }, random)).toEqual({ secret: random(), signing: 'random' });
    expect(sessionSecretFor({ host: '0.0.0.0', sessionSecret: SECRET }, random)).toEqual({ secret: SECRET, signing: 'secret' });
    expect(isLoopbackHost('127.10.0.1')).toBe(true);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
  });

  it('--session-secret and SANDBOX_SESSION_SECRET are read and checked', () => {
    expect(parseCliArgs(['--session-secret', SECRET], {}).sessionSecret).toBe(SECRET);
    expect(parseCliArgs([], { SANDBOX_SESSION_SECRET: SECRET }).sessionSecret).toBe(SECRET);
    expect(parseCliArgs([], {}).sessionSecret).toBeUndefined();
    expect(() => parseCliArgs(['--session-secret', 'short'], {})).toThrow(UsageError);
    expect(() => parseCliArgs([], { SANDBOX_SESSION_SECRET: 'short' })).toThrow(/at least 32 characters.*SANDBOX_SESSION_SECRET/);
  });

  it('a CLI listening on 0.0.0.0 signs sessions with a key nobody can derive from the seed, and says so', async () => {
    const cli = runCli(['--port', '0', '--host', '0.0.0.0', '--seed', '42', '--now', TEST_NOW, '--quiet']);
    const server = (await cli.started)!;
    expect(cli.out.stdout).toMatch(/Sessions: cookies signed with a random key \(listening beyond loopback/);
    const port = new URL(server.url).port;
    const cookie = await loginOver(`http://127.0.0.1:${port}`);
    expect(await verifies(cookie, SEED_KEY)).toBe(false);
    const me = await fetch(`http://127.0.0.1:${port}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
  });

  it('a CLI on loopback keeps the seed-derived key and says it is for loopback only', async () => {
    const cli = runCli(['--port', '0', '--seed', '42', '--now', TEST_NOW, '--quiet']);
    const server = (await cli.started)!;
    expect(cli.out.stdout).toMatch(/Sessions: cookies signed with a key derived from the seed \(loopback only/);
    const cookie = await loginOver(server.url.replace('localhost', '127.0.0.1'));
    expect(await verifies(cookie, SEED_KEY)).toBe(true);
  });
});
