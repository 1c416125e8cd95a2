import { describe, expect, it } from 'vitest';
import { appliedOf, ADMIN, expectSpringError, outcomeLabel, SCENARIO_HOST, useHosts, type Host, type HostName, type NetworkFailure } from './scenario-hosts.ts';

/**
 * The built-in fault scenarios (flaky, slow, timeout) and injected network failures, through the
 * scenario host: a reset connection in express (the client's fetch rejects). msw's
 * `Response.error()` is in msw.test.ts; that both hosts fail the same calls the same way is in the
 * scenario rows of test/conformance.test.ts.
 */

const start = useHosts();
const REQUESTS = 50;
/** A seed whose first `slow` latencies are short (only the test's speed depends on it). */
const SLOW_SEED = 27;

/** The network failure each host produces, as the client's fetch sees it. */
function expectNetworkFailure(hostName: HostName, outcome: NetworkFailure): void {
  expect(outcome.error).toBeInstanceOf(TypeError);
  if (hostName === 'msw') {
    expect(outcome.error.message).toBe('Failed to fetch');
  } else {
    expect(outcome.error.message).toBe('fetch failed');
    expect(outcome.error.cause?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
  }
}

/** Sends {@link REQUESTS} GET /api/auth/me calls in order and returns their outcome labels. */
async function run(host: Host, hostName: HostName): Promise<string[]> {
  const labels: string[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const outcome = await host.attempt('GET', '/api/auth/me', { token: ADMIN });
    labels.push(outcomeLabel(outcome));
    if (outcome.status === 'network-error') {
      expectNetworkFailure(hostName, outcome);
    } else if (outcome.status === 200) {
      expect(appliedOf(outcome)).toBeNull();
    } else {
      const reason = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[outcome.status];
      expect(reason, `unexpected status ${outcome.status}`).toBeDefined();
      expectSpringError(outcome, outcome.status, reason!, '/api/auth/me');
      expect(appliedOf(outcome)).toBe(`flaky/one-in-five (error ${outcome.status})`);
    }
  }
  return labels;
}

describe.each([SCENARIO_HOST])('fault scenarios via %s', (hostName) => {
  it('a network-error rule makes the client fetch reject, and the journal records it with status 0', async () => {
    const host = await start(hostName, {
      scenarios: [{ name: 'cut', description: 'Every call loses its connection.', rules: [{ name: 'reset', when: 'GET /api/**', effect: { type: 'network-error' } }] }],
    });
    const outcome = await host.attempt('GET', '/api/auth/me', { token: ADMIN });
    expect(outcome.status).toBe('network-error');
    expectNetworkFailure(hostName, outcome as NetworkFailure);
    const [entry] = host.sandbox.journal.list();
    expect(entry).toMatchObject({ method: 'GET', path: '/api/auth/me', status: 0, principal: 'token:sandbox-admin', scenarioApplied: ['cut/reset (network-error)'] });
    // The host keeps serving: the next call (not matched by the rule) is answered.
    const login = await host.send('POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'sandbox' } });
    expect(login.status).toBe(200);
  });

  it('flaky fails some calls with 500/502/503 or a reset connection: the same ones for the same seed, others for another', async () => {
    const [first, second, other] = await Promise.all([1, 1, 3].map((seed) => start(hostName, { seed, scenarios: ['flaky'] })));
    const pattern = await run(first!, hostName);
    const failures = pattern.filter((label) => label !== '200');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(REQUESTS);
    expect(new Set(failures).size).toBeGreaterThan(1);
    expect(await run(second!, hostName)).toEqual(pattern);

    const journal = first!.sandbox.journal.list().reverse();
    expect(journal).toHaveLength(REQUESTS);
    expect(journal.map((e) => (e.status === 0 ? 'network' : String(e.status)))).toEqual(pattern);
    for (const entry of journal) expect(entry.scenarioApplied.length).toBe(entry.status === 200 ? 0 : 1);

    const otherPattern = await run(other!, hostName);
    expect(otherPattern.filter((label) => label !== '200').length).toBeGreaterThan(0);
    expect(otherPattern).not.toEqual(pattern);
  });

  it('slow adds a seeded 300-1500 ms that the client waits for and the header reports', async () => {
    // Any seed passes; SLOW_SEED draws short latencies first, which keeps the test fast. Two calls
    // go at once to each of two sandboxes with the same seed, which must draw the same latencies.
    const [host, twin] = await Promise.all([0, 1].map(() => start(hostName, { seed: SLOW_SEED, scenarios: ['slow'] })));
    if (!host || !twin) throw new Error('hosts did not start');
    const send = (h: Host) => h.send('GET', '/api/auth/me', { token: ADMIN });
    const [a, b, twinA, twinB] = await Promise.all([send(host), send(host), send(twin), send(twin)]);
    for (const response of [a!, b!]) {
      expect(response.status).toBe(200);
      expect(response.json.email).toBe('admin@acme.test');
      const ms = Number(/^slow\/latency \(latency (\d+)ms\)$/.exec(appliedOf(response)!)?.[1]);
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThanOrEqual(1500);
      expect(response.elapsedMs).toBeGreaterThanOrEqual(ms - 5); // timers may fire a hair early
    }
    expect([appliedOf(twinA!), appliedOf(twinB!)].sort()).toEqual([appliedOf(a!), appliedOf(b!)].sort());
  });

  it('timeout keeps the response from completing; the client gives up with its abort signal', async () => {
    const host = await start(hostName, { scenarios: ['timeout'] });
    const controller = new AbortController();
    const pending = host.send('GET', '/api/auth/me', { token: ADMIN, signal: controller.signal });
    const winner = await Promise.race([
      pending.then(() => 'answered', () => 'failed'),
      new Promise((resolve) => setTimeout(resolve, 300, 'still waiting')),
    ]);
    expect(winner).toBe('still waiting');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // Calls outside /api are not stalled.
    const health = await host.send('GET', '/actuator/health');
    expect(health.status).toBe(200);
  });

  it('a short stall answers 504 with the Spring body once it ends', async () => {
    const host = await start(hostName, {
      scenarios: [{ name: 'hang', description: 'Stalls 150 ms, then 504.', rules: [{ name: 'stall', effect: { type: 'stall', ms: 150 } }] }],
    });
    const sent = host.send('GET', '/api/auth/me', { token: ADMIN });
    // The sandbox clock moves while the request hangs: the error's timestamp is when it was
    // answered, as Spring's error attributes take it, and the journal keeps the arrival time.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const arrival = host.sandbox.clock.iso();
    host.sandbox.clock.advance('36s');
    const response = await sent;
    expect(response.elapsedMs).toBeGreaterThanOrEqual(145);
    expectSpringError(response, 504, 'Gateway Timeout', '/api/auth/me', host.sandbox.clock.iso());
    expect(appliedOf(response)).toBe('hang/stall (stall 150ms)');
    expect(host.sandbox.journal.list()[0]!.time).toBe(arrival);
  });
});
