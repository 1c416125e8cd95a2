import { createServer, type AddressInfo } from 'node:net';
import { runCli, spawnCli, stopClis, waitFor, type SpawnedCli } from './cli-harness.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner, logLine, parseCliArgs, UsageError } from '../src/hosts/cli.ts';
import { logStatus } from '../src/hosts/banner.ts';
import { FIXED_TEAMS, FIXED_TOKENS, FIXED_USERS } from '../fixtures/identities.ts';
import { startNodeFlags } from '../bench/processes.ts';
import { OPENAPI_USAGE } from '../src/hosts/cli-openapi.ts';

// The bin itself: the only two tests that spawn bin/nodeloom-sandbox.js. Each spawn costs about
// 3 s of node, tsx and imports before the first line of output, so both start at once in beforeAll.
// On a busy machine a start can take several times that, hence the long waits.
const SPAWN_WAIT_MS = 45_000;
describe('bin/nodeloom-sandbox.js', { timeout: 60_000 }, () => {
  let serving: SpawnedCli;
  let badSeed: SpawnedCli;
  beforeAll(() => {
    serving = spawnCli(['--port', '0', '--seed', '7'], { nodeFlags: startNodeFlags() });
    badSeed = spawnCli(['--seed', 'abc']);
  });
  afterAll(stopClis);

  it('serves the API with the node flags of npm start, prints the identities, logs requests and exits 0 on SIGTERM', async () => {
    expect(startNodeFlags()).toEqual(['--max-semi-space-size=32']);
    const cli = serving;
    const [, baseUrl] = await waitFor(cli, /listening on (http:\/\/localhost:\d+) {2}\(seed 7\)/, SPAWN_WAIT_MS);
    await waitFor(cli, /Ctrl-C stops the server/);
    expect(cli.out.stdout).toMatch(/admin@acme\.test +ADMIN +Acme Robotics/);
    expect(cli.out.stdout).toMatch(/sdk_sandbox_hobby +ADMIN +Hobby Lab/);
    expect(cli.out.stdout).toMatch(/0b0b1e00-0000-4000-8000-00000000b001 +Hobby Lab +FREE +60 req\/min/);
    const me = await fetch(`${baseUrl}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(me.status).toBe(200);
    expect(me.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(await me.json()).toMatchObject({ email: 'admin@acme.test' });
    await waitFor(cli, /^GET \/api\/auth\/me 200 \d+\.\d ms {2}req_\d{6}$/m);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).toContain('\nSIGTERM: closing the server\n');
    expect(cli.out.stderr).toBe('');
  });

  it('exits 2 with a message given a seed that is not an integer', async () => {
    const cli = badSeed;
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toContain("--seed must be an integer (e.g. --seed 42), got 'abc'");
    expect(cli.out.stdout).toBe('');
  });
});

describe('cli', () => {
  afterEach(stopClis);

  it('serves the API, logs requests and exits 0 on SIGINT', async () => {
    const cli = runCli(['--port', '0', '--seed', '7']);
    const [, baseUrl] = await waitFor(cli, /listening on (http:\/\/localhost:\d+) {2}\(seed 7\)/);
    expect((await cli.started)?.url).toBe(baseUrl);
    const me = await fetch(`${baseUrl}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(me.status).toBe(200);
    await waitFor(cli, /^GET \/api\/auth\/me 200 \d+\.\d ms {2}req_\d{6}$/m);
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).toContain('\nSIGINT: closing the server\n');
    expect(cli.out.stderr).toBe('');
    await expect(fetch(`${baseUrl}/actuator/health`)).rejects.toThrow();
  });

  it('logs nothing per request under --quiet', async () => {
    const cli = runCli(['--port', '0', '--quiet']);
    const [, baseUrl] = await waitFor(cli, /listening on (http:\/\/\S+)/);
    const health = await fetch(`${baseUrl}/actuator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'UP' });
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).not.toContain('GET /actuator/health');
  });

  it('listens on both loopback addresses of localhost, 127.0.0.1 and ::1, and closes both', async () => {
    const cli = runCli(['--port', '0', '--quiet']);
    const [, port] = await waitFor(cli, /listening on http:\/\/localhost:(\d+)/);
    expect((await fetch(`http://127.0.0.1:${port}/actuator/health`)).status).toBe(200);
    const v6 = await fetch(`http://[::1]:${port}/actuator/health`).catch((error: unknown) => error as Error);
    // A machine without IPv6 loopback serves 127.0.0.1 only.
    if (!(v6 instanceof Error)) expect(v6.status).toBe(200);
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    await expect(fetch(`http://[::1]:${port}/actuator/health`)).rejects.toThrow();
  });

  it('stops without exiting when the running server is closed', async () => {
    const cli = runCli(['--port', '0', '--quiet']);
    const running = (await cli.started)!;
    expect((await fetch(`${running.url}/actuator/health`)).status).toBe(200);
    await running.close();
    await expect(fetch(`${running.url}/actuator/health`)).rejects.toThrow();
    cli.kill('SIGTERM'); // no longer listened to
    expect(cli.ended()).toBe(false);
    expect(cli.out.stdout).not.toContain('closing the server');
  });

  it('exits 1 with a clear message when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const cli = runCli(['--port', String(port)]);
      expect(await cli.exited).toBe(1);
      expect(await cli.started).toBeUndefined();
      expect(cli.out.stderr).toContain(`port ${port} on localhost is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('reads the port from PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const cli = runCli([], { env: { PORT: String(port) } });
      expect(await cli.exited).toBe(1);
      expect(cli.out.stderr).toContain(`port ${port} on localhost is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('prints the usage and exits 0 with --help', async () => {
    const cli = runCli(['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).toMatch(/^Usage: nodeloom-sandbox \[options\]/);
    expect(cli.out.stdout).toContain('--seed <integer>');
    for (const flag of ['--port', '--host', '--seed', '--now', '--cors-origin', '--scenario', '--scenarios-dir', '--no-admin', '--admin-token', '--journal-size', '--max-namespaces', '--quiet', '--help']) {
      expect(cli.out.stdout).toContain(flag);
    }
    for (const env of ['$PORT', '$SANDBOX_SCENARIO', '$SANDBOX_ADMIN_TOKEN']) expect(cli.out.stdout).toContain(env);
    // The openapi command's whole synopsis, as `openapi --help` gives it.
    expect(cli.out.stdout).toContain(OPENAPI_USAGE.split('\n')[0]!.slice('Usage: '.length));
    expect(cli.out.stdout).toMatch(/expired-session, forbidden, conflict, rate-limited, server-error,\s+unavailable, flaky, slow, timeout, empty, large/);
  });

  it('exits 2 with a message and a pointer to --help given an unknown option', async () => {
    const cli = runCli(['--nope']);
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toMatch(/^nodeloom-sandbox: Unknown option '--nope'.*\nRun nodeloom-sandbox --help for the options\.\n$/s);
    expect(cli.out.stdout).toBe('');
  });
});

describe('parseCliArgs', () => {
  it('defaults to localhost:4010, the default seed, local CORS origins, no scenarios and the control plane on', () => {
    expect(parseCliArgs([], {})).toStrictEqual({
      port: 4010,
      host: 'localhost',
      seed: 20260217,
      corsOrigins: 'local',
      quiet: false,
      help: false,
      scenarios: [],
      admin: true,
      // This repository's scenarios/ folder: user files dropped there load beside the built-ins.
      scenariosDir: 'scenarios',
      journalSize: undefined,
      maxNamespaces: undefined,
    });
  });

  it('reads PORT and lets --port win over it', () => {
    expect(parseCliArgs([], { PORT: '5000' }).port).toBe(5000);
    expect(parseCliArgs(['--port', '5001'], { PORT: '5000' }).port).toBe(5001);
  });

  it('collects repeated --cors-origin values as a list', () => {
    expect(parseCliArgs(['--cors-origin', 'https://app.example.com', '--cors-origin', 'local'], {}).corsOrigins).toEqual([
      'https://app.example.com',
      'local',
    ]);
    expect(parseCliArgs(['--cors-origin', 'any'], {}).corsOrigins).toBe('any');
  });

  it('rejects unknown options, bad ports and bad origins with a UsageError', () => {
    expect(() => parseCliArgs(['--nope'], {})).toThrow(UsageError);
    expect(() => parseCliArgs(['--port', '70000'], {})).toThrow(/--port must be an integer from 0 to 65535, got '70000'/);
    expect(() => parseCliArgs([], { PORT: 'x' })).toThrow(/\(from PORT\)/);
    expect(() => parseCliArgs(['--cors-origin', 'example.com'], {})).toThrow(/--cors-origin must be/);
  });

  it('collects --scenario values (comma-separated, repeated, -s) in order without duplicates', () => {
    expect(parseCliArgs(['--scenario', 'slow, flaky', '-s', 'server-error', '--scenario', 'slow'], {}).scenarios).toEqual(['slow', 'flaky', 'server-error']);
    expect(parseCliArgs(['--scenario', 'slow'], {}).scenariosFrom).toBe('--scenario');
  });

  it('reads SANDBOX_SCENARIO when no --scenario is given, and lets the flag win', () => {
    expect(parseCliArgs([], { SANDBOX_SCENARIO: 'rate-limited,slow' })).toMatchObject({ scenarios: ['rate-limited', 'slow'], scenariosFrom: 'SANDBOX_SCENARIO' });
    expect(parseCliArgs(['--scenario', 'forbidden'], { SANDBOX_SCENARIO: 'rate-limited' }).scenarios).toEqual(['forbidden']);
    expect(parseCliArgs([], { SANDBOX_SCENARIO: '' }).scenarios).toEqual([]);
  });

  it('turns the control plane off with --no-admin and protects it with --admin-token or SANDBOX_ADMIN_TOKEN', () => {
    expect(parseCliArgs(['--no-admin'], {}).admin).toBe(false);
    expect(parseCliArgs(['--admin-token', 't1'], {}).admin).toEqual({ token: 't1' });
    expect(parseCliArgs([], { SANDBOX_ADMIN_TOKEN: 't2' }).admin).toEqual({ token: 't2' });
    expect(parseCliArgs(['--admin-token', 't1'], { SANDBOX_ADMIN_TOKEN: 't2' }).admin).toEqual({ token: 't1' });
    expect(parseCliArgs(['--no-admin'], { SANDBOX_ADMIN_TOKEN: 't2' }).admin).toBe(false);
    expect(() => parseCliArgs(['--no-admin', '--admin-token', 't1'], {})).toThrow(/--no-admin turns the control plane off; --admin-token protects it/);
    expect(() => parseCliArgs(['--admin-token', ' '], {})).toThrow(/--admin-token must not be empty/);
  });

  it('takes positive integers for --journal-size and --max-namespaces', () => {
    expect(parseCliArgs(['--journal-size', '50', '--max-namespaces', '8'], {})).toMatchObject({ journalSize: 50, maxNamespaces: 8 });
    for (const bad of ['0', '-1', '2.5', 'ten', '']) {
      expect(() => parseCliArgs([`--journal-size=${bad}`], {})).toThrow(`--journal-size must be a positive integer, got '${bad}'`);
      expect(() => parseCliArgs([`--max-namespaces=${bad}`], {})).toThrow(`--max-namespaces must be a positive integer, got '${bad}'`);
    }
  });

  it('takes --now as an ISO-8601 instant and rejects times without a zone', () => {
    expect(parseCliArgs(['--now', '2026-02-17T09:00:00Z'], {}).now).toBe('2026-02-17T09:00:00.000Z');
    expect(parseCliArgs(['--now', '2026-02-17T10:00:00.5+01:00'], {}).now).toBe('2026-02-17T09:00:00.500Z');
    expect(parseCliArgs(['--now', '2026-02-17'], {}).now).toBe('2026-02-17T00:00:00.000Z');
    for (const bad of ['2026-02-17T09:00:00', 'tomorrow', '1771318800000', '2026-13-45T00:00:00Z']) {
      expect(() => parseCliArgs(['--now', bad], {}), bad).toThrow(/--now must be an ISO-8601 date or date-time with a zone/);
    }
  });

  it('uses --scenarios-dir as given, else ./scenarios of the working directory when there is one', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'nodeloom-cwd-'));
    try {
      expect(parseCliArgs(['--scenarios-dir', 'my/scenarios'], {}, cwd).scenariosDir).toBe('my/scenarios');
      expect(parseCliArgs([], {}, cwd).scenariosDir).toBeUndefined();
      mkdirSync(join(cwd, 'scenarios'));
      expect(parseCliArgs([], {}, cwd).scenariosDir).toBe(join(cwd, 'scenarios'));
      expect(() => parseCliArgs(['--scenarios-dir', ''], {}, cwd)).toThrow(/--scenarios-dir needs a folder/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('banner and log lines', () => {
  it('lists the active and known scenarios, the control plane and the clock', () => {
    const text = banner('http://127.0.0.1:4010', 7, { scenarios: ['slow', 'flaky'], known: ['flaky', 'slow'], admin: { token: 't' }, now: '2026-02-17T09:00:00.000Z' });
    expect(text).toContain('\nScenarios: slow, flaky (known: flaky, slow)\nControl plane: http://127.0.0.1:4010/__sandbox (send X-Sandbox-Admin-Token: <the --admin-token or SANDBOX_ADMIN_TOKEN value>)\nClock: frozen at 2026-02-17T09:00:00.000Z\nControl page: http://127.0.0.1:4010/__sandbox/ (open it in a browser)\n');
    const plain = banner('http://127.0.0.1:4010', 7, { scenarios: [], known: ['slow'], admin: false });
    expect(plain).toContain('\nScenarios: none (known: slow)\nControl plane: off (--no-admin)\nClock: real time\n');
    expect(plain).not.toContain('Control page');
    expect(banner('http://127.0.0.1:4010', 7)).not.toContain('Scenarios:');
  });

  it('lists every fixed identity the README lists: logins, SDK tokens, widget embed tokens and teams', () => {
    const text = banner('http://127.0.0.1:4010', 7);
    for (const user of FIXED_USERS) expect(text).toContain(user.email);
    for (const token of FIXED_TOKENS) expect(text).toContain(token.token);
    for (const team of FIXED_TEAMS) expect(text).toContain(team.id);
    expect(text).toMatch(/^ {2}wgt_sandbox_acme_help +Acme Robotics +any$/m);
    expect(text).toMatch(/^ {2}wgt_sandbox_acme_store +Acme Robotics +shop\.acme-robotics\.example, \*\.acme-robotics\.example$/m);
    expect(text).toMatch(/^ {2}wgt_sandbox_hobby_recipes +Hobby Lab +any$/m);
  });

  it('adds the applied scenario and a non-default namespace to the request line', () => {
    const base = { method: 'GET', url: '/api/workflows', status: '500', ms: '1.5' };
    expect(logLine(base)).toBe('GET /api/workflows 500 1.5 ms');
    expect(logLine({ ...base, applied: 'server-error/error-500 (error 500)', namespace: 'default' })).toBe('GET /api/workflows 500 1.5 ms  scenario: server-error/error-500 (error 500)');
    expect(logLine({ ...base, namespace: 'w1' })).toBe('GET /api/workflows 500 1.5 ms  namespace: w1');
    expect(logLine({ ...base, requestId: 'req_000042', namespace: 'w1' })).toBe('GET /api/workflows 500 1.5 ms  req_000042  namespace: w1');
  });

  it('bounds what the caller sent: the URL as the journal does (2,048 characters), the namespace header to 64', () => {
    const base = { method: 'GET', status: '400', ms: '0.4' };
    const namespace = 'n'.repeat(200) + ' bad';
    expect(logLine({ ...base, url: '/api/x', namespace })).toBe(`GET /api/x 400 0.4 ms  namespace: ${'n'.repeat(64)}…[truncated from 204 chars]`);
    const url = `/api/workflows?q=${'a'.repeat(5000)}`;
    expect(logLine({ ...base, url })).toBe(`GET ${url.slice(0, 2048)}…[truncated from ${url.length} chars] 400 0.4 ms`);
  });

  it('tells an injected reset or cut stream from a client that left', () => {
    const sent = { headersSent: true, finished: true, statusCode: 200 };
    expect(logStatus(sent)).toBe('200');
    expect(logStatus({ ...sent, finished: false })).toBe('200 (client gone)');
    expect(logStatus({ ...sent, finished: false, injected: 'stream-cut' })).toBe('200 (stream cut on purpose)');
    expect(logStatus({ headersSent: false, finished: false, statusCode: 200 })).toBe('no response (connection closed)');
    expect(logStatus({ headersSent: false, finished: false, statusCode: 200, injected: 'network-error' })).toBe('no response (connection reset on purpose)');
  });
});
