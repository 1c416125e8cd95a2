import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stopClis, waitFor } from './cli-harness.ts';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';

// The command end to end: scenarios at start (--scenario, SANDBOX_SCENARIO), the user's scenario
// files (--scenarios-dir, ./scenarios), the control plane switches (--no-admin, --admin-token)
// and --now, through the command's main run in-process (test/cli-harness.ts; cli.test.ts spawns
// the bin itself).

const ADMIN = { authorization: 'Bearer sdk_sandbox_admin' };
const OPERATOR = { authorization: 'Bearer sdk_sandbox_operator' };
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nodeloom-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(stopClis);

const run = (args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) => runCli(['--port', '0', ...args], options);

/** Starts the command and waits for its banner. @returns the handle and the base URL */
async function start(args: string[], options?: { env?: Record<string, string>; cwd?: string }) {
  const cli = run(args, options);
  await waitFor(cli, /Ctrl-C stops the server/);
  const [, baseUrl] = (await waitFor(cli, /listening on (http:\/\/\S+)/)) as [string, string];
  return { cli, baseUrl };
}

/** Writes a folder of scenario files under the temp folder. @returns its path */
function scenarioFolder(name: string, files: Record<string, string | object>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const teapot = {
  name: 'busy-workflows',
  description: 'The workflow list is busy.',
  rules: [{ name: 'busy', when: 'GET /api/workflows', effect: { type: 'error', status: 503, message: 'Busy (custom scenario).' } }],
};

describe('cli scenarios', () => {
  it('switches --scenario server-error on at start: 500 with X-Sandbox-Scenario-Applied, shown in the banner and the log', async () => {
    const { cli, baseUrl } = await start(['--scenario', 'server-error']);
    expect(cli.out.stdout).toMatch(/^Scenarios: server-error \(known: [a-z-, ]*\bconflict\b[a-z-, ]*\blarge\b[a-z-, ]*\)$/m);
    expect(cli.out.stdout).toContain(`Control plane: ${baseUrl}/__sandbox\n`);
    expect(cli.out.stdout).toContain('Clock: real time');
    const res = await fetch(`${baseUrl}/api/workflows`, { headers: { ...ADMIN, 'x-sandbox-namespace': 'worker-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-sandbox-scenario-applied')).toBe('server-error/error-500 (error 500)');
    expect(await res.json()).toMatchObject({ status: 500, error: 'Internal Server Error', path: '/api/workflows' });
    await waitFor(cli, /^GET \/api\/workflows 500 \d+\.\d ms {2}req_\d{6} {2}scenario: server-error\/error-500 \(error 500\) {2}namespace: worker-1$/m);
    const health = await fetch(`${baseUrl}/actuator/health`);
    expect(health.status).toBe(200);
    await waitFor(cli, /^GET \/actuator\/health 200 \d+\.\d ms$/m);
  });

  it('takes comma-separated and repeated --scenario values, and reads SANDBOX_SCENARIO when no flag is given', async () => {
    const [fromEnv, flagWins] = await Promise.all([
      start([], { env: { SANDBOX_SCENARIO: 'unavailable' } }),
      start(['--scenario', 'forbidden,conflict', '-s', 'server-error'], { env: { SANDBOX_SCENARIO: 'unavailable' } }),
    ]);
    expect(fromEnv.cli.out.stdout).toMatch(/^Scenarios: unavailable \(known: /m);
    const res = await fetch(`${fromEnv.baseUrl}/api/auth/me`, { headers: ADMIN });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-sandbox-scenario-applied')).toContain('unavailable');
    expect(flagWins.cli.out.stdout).toMatch(/^Scenarios: forbidden, conflict, server-error \(known: /m);
  });

  it('exits 2 listing the known scenarios given an unknown scenario name', async () => {
    const cli = run(['--scenario', 'server-error,nope']);
    const env = run([], { env: { SANDBOX_SCENARIO: 'typo' } });
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toMatch(/^nodeloom-sandbox: unknown scenario 'nope' \(from --scenario\)\. Known scenarios: chat-dropped, chat-echo, chat-error-mid-stream, chat-slow, conflict, empty, expired-session, flaky, forbidden, large, /);
    expect(cli.out.stdout).toBe('');
    expect(await env.exited).toBe(2);
    expect(env.out.stderr).toContain("unknown scenario 'typo' (from SANDBOX_SCENARIO)");
  });

  it('loads custom scenarios from --scenarios-dir, usable by name with X-Sandbox-Scenario and at start', async () => {
    const dir = scenarioFolder('valid', {
      'busy-workflows.json': teapot,
      'slow-login.ts': `export default { name: 'slow-login', description: 'Login takes 5 ms more.', rules: [{ when: 'POST /api/auth/login', effect: { type: 'latency', ms: 5 } }] };\n`,
      'README.md': 'Not a scenario.',
    });
    const { cli, baseUrl } = await start(['--scenarios-dir', dir, '--scenario', 'slow-login']);
    expect(cli.out.stdout).toMatch(/^Scenarios: slow-login \(known: .*\bbusy-workflows\b.*\)$/m);
    const busy = await fetch(`${baseUrl}/api/workflows`, { headers: { ...ADMIN, 'x-sandbox-scenario': 'busy-workflows' } });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('x-sandbox-scenario-applied')).toBe('busy-workflows/busy (error 503)');
    expect(await busy.json()).toMatchObject({ status: 503, message: 'Busy (custom scenario).' });
    const plain = await fetch(`${baseUrl}/api/workflows`, { headers: ADMIN });
    expect(plain.status).toBe(200);
    const viaQuery = await fetch(`${baseUrl}/api/workflows?__scenario=busy-workflows`, { headers: ADMIN });
    expect(viaQuery.status).toBe(503);
  });

  it('logs an injected connection reset and a cut stream as done on purpose, with the scenario', async () => {
    const dir = scenarioFolder('resets', {
      'reset-health.json': { name: 'reset-workflows', description: 'Resets the workflow list.', rules: [{ name: 'reset', when: 'GET /api/workflows', effect: { type: 'network-error' } }] },
    });
    const { cli, baseUrl } = await start(['--scenarios-dir', dir]);
    await expect(fetch(`${baseUrl}/api/workflows`, { headers: { ...ADMIN, 'x-sandbox-scenario': 'reset-workflows' } })).rejects.toThrow(TypeError);
    await waitFor(cli, /^GET \/api\/workflows no response \(connection reset on purpose\) \d+\.\d ms {2}scenario: reset-workflows\/reset \(network-error\)$/m);
    // A chat reply cut by chat-dropped: the head went out, then the sandbox reset the connection.
    const snapshot = await (await fetch(`${baseUrl}/__sandbox/snapshot`)).json();
    const workflows = snapshot.datasets.default.tables.workflows as Array<{ id: string; teamId: string; nodes: Array<{ type: string }> }>;
    const agent = workflows.find((w) => w.teamId === ACME_TEAM_ID && w.nodes.some((n) => n.type === 'AI_AGENT'))!;
    const json = { ...OPERATOR, 'content-type': 'application/json' };
    const session = await (await fetch(`${baseUrl}/api/agent-chat/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ workflowId: agent.id, teamId: ACME_TEAM_ID }) })).json();
    const reply = await fetch(`${baseUrl}/api/agent-chat/sessions/${session.id}/messages`, {
      method: 'POST',
      headers: { ...json, 'x-sandbox-scenario': 'chat-dropped' },
      body: JSON.stringify({ content: 'How do I recalibrate the gripper?' }),
    });
    expect(reply.status).toBe(200);
    await expect(reply.text()).rejects.toThrow(TypeError);
    const line = new RegExp(`^POST /api/agent-chat/sessions/${session.id}/messages 200 \\(stream cut on purpose\\) \\d+\\.\\d ms {2}req_\\d{6} {2}scenario: chat-dropped/agent-chat \\(stream-drop after 12 events\\)$`, 'm');
    await waitFor(cli, line);
    expect(cli.out.stdout).not.toContain('client gone');
  });

  it('loads ./scenarios from the working directory by default', async () => {
    const cwd = join(tmp, 'project');
    mkdirSync(join(cwd, 'scenarios'), { recursive: true });
    writeFileSync(join(cwd, 'scenarios', 'busy.json'), JSON.stringify(teapot));
    const { cli, baseUrl } = await start(['--scenario', 'busy-workflows'], { cwd });
    expect(cli.out.stdout).toMatch(/^Scenarios: busy-workflows \(known: /m);
    expect((await fetch(`${baseUrl}/api/workflows`, { headers: ADMIN })).status).toBe(503);
  });

  it('exits 2 naming the file and the field given a malformed scenario file', async () => {
    const dir = scenarioFolder('malformed', {
      'a-ok.json': teapot,
      'b-broken.json': { ...teapot, name: 'broken', rules: [{ when: 'GET /api/workflows', effect: { type: 'error', status: 299 } }] },
    });
    const cli = run(['--scenarios-dir', dir]);
    const missing = run(['--scenarios-dir', join(tmp, 'does-not-exist')]);
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toContain(`nodeloom-sandbox: Invalid scenario in ${join(dir, 'b-broken.json')}: rules[0].effect.status: status must be one of 400,`);
    expect(cli.out.stdout).toBe('');
    expect(await missing.exited).toBe(2);
    expect(missing.out.stderr).toContain(`Scenario folder ${join(tmp, 'does-not-exist')} does not exist`);
  });

  it('turns the control plane off with --no-admin: /__sandbox answers 404, the API still works', async () => {
    const { cli, baseUrl } = await start(['--no-admin']);
    expect(cli.out.stdout).toContain('Control plane: off (--no-admin)');
    const clock = await fetch(`${baseUrl}/__sandbox/clock`);
    expect(clock.status).toBe(404);
    expect(await clock.json()).toMatchObject({ status: 404, path: '/__sandbox/clock' });
    expect((await fetch(`${baseUrl}/api/auth/me`, { headers: ADMIN })).status).toBe(200);
  });

  it('protects the control plane with --admin-token (401 without the header, 200 with it) and starts frozen at --now', async () => {
    const { cli, baseUrl } = await start(['--admin-token', 's3cret', '--now', '2026-02-17T09:00:00Z']);
    expect(cli.out.stdout).toContain(`Control plane: ${baseUrl}/__sandbox (send X-Sandbox-Admin-Token: <the --admin-token or SANDBOX_ADMIN_TOKEN value>)`);
    expect(cli.out.stdout).toContain('Clock: frozen at 2026-02-17T09:00:00.000Z');
    const anonymous = await fetch(`${baseUrl}/__sandbox/clock`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).message).toContain('X-Sandbox-Admin-Token');
    expect((await fetch(`${baseUrl}/__sandbox/clock`, { headers: { 'x-sandbox-admin-token': 'wrong' } })).status).toBe(403);
    const clock = await fetch(`${baseUrl}/__sandbox/clock`, { headers: { 'x-sandbox-admin-token': 's3cret' } });
    expect(clock.status).toBe(200);
    expect(await clock.json()).toMatchObject({ now: '2026-02-17T09:00:00.000Z', frozen: true });
    // The API itself needs no admin token.
    expect((await fetch(`${baseUrl}/api/auth/me`, { headers: ADMIN })).status).toBe(200);
  });

  it('reads the admin token from SANDBOX_ADMIN_TOKEN', async () => {
    const { baseUrl } = await start([], { env: { SANDBOX_ADMIN_TOKEN: 'from-env' } });
    expect((await fetch(`${baseUrl}/__sandbox/clock`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/__sandbox/clock`, { headers: { 'x-sandbox-admin-token': 'from-env' } })).status).toBe(200);
  });

  it('exits 2 given a journal size or namespace cap that is not a positive integer', async () => {
    const cli = run(['--journal-size', '0']);
    const other = run(['--max-namespaces', 'many']);
    expect(await cli.exited).toBe(2);
    expect(cli.out.stderr).toContain("--journal-size must be a positive integer, got '0'");
    expect(await other.exited).toBe(2);
    expect(other.out.stderr).toContain("--max-namespaces must be a positive integer, got 'many'");
  });
});
