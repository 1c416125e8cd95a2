import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from 'nodeloom-sandbox';
import { ADVERSARIAL_TEXTS, ALL_DETECTORS, ordinaryText } from '../bench/guardrail-texts.ts';
import { call, testSandbox } from './helpers.ts';

/**
 * Every detector is linear in the text (no backtracking regular expression runs on user text), so
 * adversarial 100,000-character inputs check in well under a second, and the server keeps
 * answering other requests while a long check runs. Time is the process's CPU time, not wall time:
 * on a shared, overloaded machine wall time measures the neighbours (a quadratic detector would
 * still take tens of CPU seconds here).
 */

/** CPU milliseconds (user + system) that `run` took. */
async function cpuMs<T>(run: () => Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage();
  const result = await run();
  const { user, system } = process.cpuUsage(before);
  return [result, (user + system) / 1000];
}

describe('guardrails speed and safety', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
    await call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_viewer', body: { text: ordinaryText(2_000), ...ALL_DETECTORS } }); // warm up
  });

  it.each(Object.entries(ADVERSARIAL_TEXTS))('checks adversarial %s (100,000 characters, every detector) in under a second', async (_name, text) => {
    expect(text.length).toBe(100_000);
    const [response, ms] = await cpuMs(() => call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_viewer', body: { text, ...ALL_DETECTORS } }));
    expect(response.status).toBe(200);
    expect(response.json.checks).toHaveLength(6);
    expect(ms).toBeLessThan(1000);
  });

  it('checks an ordinary 100,000-character text in under a second, finding its PII', async () => {
    const text = ordinaryText(100_000);
    const [response, ms] = await cpuMs(() => call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_viewer', body: { text, ...ALL_DETECTORS } }));
    expect(ms).toBeLessThan(1000);
    const pii = response.json.checks.find((c: any) => c.type === 'PII');
    expect(pii.violationsFound).toBeGreaterThan(100);
    expect(response.json.violations.filter((v: any) => v.type === 'PII')).toHaveLength(100); // listing capped, count whole
    expect(response.json.redactedContent).not.toContain('@example.com');
  });

  it('keeps answering other requests while a long check runs', async () => {
    let bigDone = false;
    const big = call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_viewer', body: { text: ordinaryText(100_000), ...ALL_DETECTORS } }).then((r) => {
      bigDone = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const small = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin' });
    expect(small.status).toBe(200);
    expect(bigDone).toBe(false);
    expect((await big).status).toBe(200);
  });
});
