import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../src/hosts/cli.ts';

const BIN = fileURLToPath(new URL('../bin/nodeloom-sandbox.js', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
});

/** Spawns the bin with `args`; collects stdout/stderr; resolves `exited` with the exit code. */
function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

/** Waits until stdout matches `pattern` (or the process exits). */
async function waitFor(handle: ReturnType<typeof run>, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 300; i += 1) {
    const match = pattern.exec(handle.out.stdout);
    if (match) return match;
    if (handle.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in output:\n${handle.out.stdout}\n${handle.out.stderr}`);
}

describe('cli', () => {
  it('serves the API, prints the identities, logs requests and exits 0 on SIGTERM', async () => {
    const cli = run(['--port', '0', '--seed', '7']);
    const [, baseUrl] = await waitFor(cli, /listening on (http:\/\/127\.0\.0\.1:\d+) {2}\(seed 7\)/);
    await waitFor(cli, /Ctrl-C stops the server/);
    expect(cli.out.stdout).toContain('admin@acme.test     ADMIN     Acme Robotics');
    expect(cli.out.stdout).toContain('sdk_sandbox_hobby     ADMIN     Hobby Lab');
    expect(cli.out.stdout).toMatch(/0b0b1e00-0000-4000-8000-00000000b001 +Hobby Lab +FREE +60 req\/min/);
    const me = await fetch(`${baseUrl}/api/auth/me`, { headers: { authorization: 'Bearer sdk_sandbox_admin' } });
    expect(me.status).toBe(200);
    expect(me.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(await me.json()).toMatchObject({ email: 'admin@acme.test' });
    await waitFor(cli, /^GET \/api\/auth\/me 200 \d+\.\d ms$/m);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stderr).toBe('');
  });

  it('logs nothing per request under --quiet', async () => {
    const cli = run(['--port', '0', '--quiet']);
    const [, baseUrl] = await waitFor(cli, /listening on (http:\/\/\S+)/);
    const health = await fetch(`${baseUrl}/actuator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'UP' });
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).not.toContain('GET /actuator/health');
  });

  it('exits 2 with a message given a seed that is not an integer', async () => {
    const cli = run(['--seed', 'abc']);
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toContain("--seed must be an integer (e.g. --seed 42), got 'abc'");
    expect(cli.out.stdout).toBe('');
  });

  it('exits 1 with a clear message when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const cli = run(['--port', String(port)]);
      expect(await cli.exited).toBe(1);
      expect(cli.out.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('prints the usage and exits 0 with --help', async () => {
    const cli = run(['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.out.stdout).toMatch(/^Usage: nodeloom-sandbox \[options\]/);
    expect(cli.out.stdout).toContain('--seed <integer>');
  });
});

describe('parseCliArgs', () => {
  it('defaults to 127.0.0.1:4010, the default seed and local CORS origins', () => {
    expect(parseCliArgs([], {})).toEqual({ port: 4010, host: '127.0.0.1', seed: 20260217, corsOrigins: 'local', quiet: false, help: false });
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
});
