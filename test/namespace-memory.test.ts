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
  // The tests that build the large data set (health checks during the build, many namespaces sharing
  // it) are in test/large-dataset.test.ts, the one file that builds it.
});
