import { describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { call, TEST_NOW } from './helpers.ts';

/**
 * Issue 7, finding 1: unauthenticated requests naming new namespaces and the `large` data set
 * built 100,000 executions each before answering 401, until the heap ran out.
 */
describe('namespaces and the large data set under load', () => {
  it('builds no data set for anonymous requests that ask for large, whatever the namespace', async () => {
    const sandbox = createSandbox({ now: TEST_NOW, seed: 424242 });
    for (let i = 0; i < 25; i += 1) {
      const answer = await call(sandbox, 'GET', '/api/workflows', { headers: { 'x-sandbox-namespace': `anon-${i}`, 'x-sandbox-scenario': 'large' } });
      expect(answer.status).toBe(401);
    }
    for (const name of ['anon-0', 'anon-24']) {
      const snapshot = await sandbox.namespace(name).snapshot();
      expect(Object.keys(snapshot.datasets)).toEqual(['default']);
    }
  });

  it('keeps answering health checks while the large data set is being built', async () => {
    const sandbox = createSandbox({ now: TEST_NOW, seed: 515151 });
    await sandbox.ready;
    const building = call(sandbox, 'GET', '/api/workflows?size=1', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-scenario': 'large' } });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const started = performance.now();
      expect((await call(sandbox, 'GET', '/actuator/health')).json).toEqual({ status: 'UP' });
      latencies.push(performance.now() - started);
    }
    expect((await building).json.totalElements).toBe(2_000);
    // Generation hands the event loop back every 2,000 records (~20-40 ms of work).
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  }, 90_000);

  it('shares one large data set among many namespaces and drops the least recently used past the memory bound', async () => {
    // Same seed and start as above: the large data set generated there is reused, not rebuilt.
    const sandbox = createSandbox({ now: TEST_NOW, seed: 515151, maxNamespaceRecords: 30_000 });
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i += 1) {
      const page = await call(sandbox, 'GET', '/api/executions?size=1', { token: 'sdk_sandbox_admin', headers: { 'x-sandbox-namespace': `big-${i}`, 'x-sandbox-scenario': 'large' } });
      expect(page.json.totalElements).toBe(100_000);
    }
    // Each namespace shares the per-process records and owns only its id indexes.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(600 * 1024 * 1024);
    const namespaces = (await call(sandbox, 'GET', '/__sandbox/namespaces')).json.namespaces as string[];
    expect(namespaces.length).toBeLessThan(21);
    expect(namespaces).toContain('big-19');
    expect(namespaces).not.toContain('big-0');
  }, 90_000);
});
