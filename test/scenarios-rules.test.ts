import { describe, expect, it } from 'vitest';
import type { Sandbox } from 'nodeloom-sandbox';
import type { ScenarioDefinition } from '../src/scenarios/definition.ts';
import { call, login } from './helpers.ts';
import { ADMIN, appliedOf, expectSpringError, fresh, OPERATOR, VIEWER } from './scenario-hosts.ts';

/**
 * Rule limits and filters (src/scenarios/definition.ts): `times`, `after`, seeded `probability`,
 * `role`, `token`, `principal`, `except`, method lists and `*` / `**` path patterns, through
 * custom definitions switched on with `sandbox.scenarios.use({ name, description, rules })`.
 */

type Rule = NonNullable<ScenarioDefinition['rules']>[number];
const BUSY: Rule['effect'] = { type: 'error', status: 503, message: 'Injected by a test rule.' };

/** A freshly reset sandbox with one custom scenario `test-rule` holding `rule` (named `r` unless it says). */
async function withRule(rule: Partial<Rule>, options: { seed?: number } = {}): Promise<Sandbox> {
  const sandbox = await fresh(options.seed);
  sandbox.scenarios.use({ name: 'test-rule', description: 'A rule under test.', rules: [{ name: 'r', effect: BUSY, ...rule }] });
  return sandbox;
}

const me = (sandbox: Sandbox, options: Parameters<typeof call>[3] = { token: ADMIN }) => call(sandbox, 'GET', '/api/auth/me', options);

/** 'hit' or 'pass' for each of `count` GET /api/auth/me calls. */
async function pattern(sandbox: Sandbox, count: number, options?: Parameters<typeof call>[3]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await me(sandbox, options);
    if (response.status === 503) {
      expectSpringError(response, 503, 'Service Unavailable', '/api/auth/me');
      expect(appliedOf(response)).toBe('test-rule/r (error 503)');
      out.push('hit');
    } else {
      expect(response.status).not.toBe(503);
      expect(appliedOf(response)).toBeNull();
      out.push('pass');
    }
  }
  return out;
}

describe('rule limits', () => {
  it('times: 2 hits the first two matching requests, then lets them through', async () => {
    expect(await pattern(await withRule({ times: 2 }), 4)).toEqual(['hit', 'hit', 'pass', 'pass']);
  });

  it('after: 2 lets the first two matching requests through, then hits every one', async () => {
    expect(await pattern(await withRule({ after: 2 }), 5)).toEqual(['pass', 'pass', 'hit', 'hit', 'hit']);
  });

  it('after: 1 with times: 2 hits the second and third matching requests only', async () => {
    expect(await pattern(await withRule({ after: 1, times: 2 }), 5)).toEqual(['pass', 'hit', 'hit', 'pass', 'pass']);
  });

  it('counts only matching requests for after and times', async () => {
    const sandbox = await withRule({ when: 'GET /api/auth/me', after: 1, times: 1 });
    for (let i = 0; i < 3; i++) expect((await call(sandbox, 'GET', '/api/workflows', { token: ADMIN })).status).toBe(200);
    expect(await pattern(sandbox, 3)).toEqual(['pass', 'hit', 'pass']);
  });

  it('restarts the counters when the scenario is switched on again, and on sandbox.reset()', async () => {
    const sandbox = await withRule({ times: 1 });
    expect(await pattern(sandbox, 2)).toEqual(['hit', 'pass']);
    sandbox.scenarios.use('test-rule');
    expect(await pattern(sandbox, 2)).toEqual(['hit', 'pass']);
    await sandbox.reset({ scenario: 'test-rule' });
    expect(await pattern(sandbox, 2)).toEqual(['hit', 'pass']);
  });

  it('probability draws from the seed: the same seed hits the same requests, by index', async () => {
    const first = await pattern(await withRule({ probability: 0.5 }, { seed: 7 }), 40);
    expect(first).toContain('hit');
    expect(first).toContain('pass');
    expect(await pattern(await withRule({ probability: 0.5 }, { seed: 7 }), 40)).toEqual(first);
    // The n-th matching request decides, whoever sends it.
    expect(await pattern(await withRule({ probability: 0.5 }, { seed: 7 }), 40, { token: VIEWER })).toEqual(first);
    expect(await pattern(await withRule({ probability: 0.5 }, { seed: 8 }), 40)).not.toEqual(first);
  });

  it('probability 0 never hits and probability 1 always hits', async () => {
    expect(await pattern(await withRule({ probability: 0 }), 5)).toEqual(Array(5).fill('pass'));
    expect(await pattern(await withRule({ probability: 1 }), 5)).toEqual(Array(5).fill('hit'));
  });
});

describe('rule filters', () => {
  it('role hits only callers with that effective role, by token or by session', async () => {
    const sandbox = await withRule({ role: 'VIEWER' });
    expect(await pattern(sandbox, 1, { token: VIEWER })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { cookie: await login(sandbox, 'viewer@acme.test') })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { token: ADMIN })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, { cookie: await login(sandbox, 'admin@acme.test') })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, {})).toEqual(['pass']);
  });

  it('role accepts a list of roles', async () => {
    const sandbox = await withRule({ role: ['ADMIN', 'OPERATOR'] });
    expect(await pattern(sandbox, 1, { token: ADMIN })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { token: OPERATOR })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { token: 'sdk_sandbox_builder' })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, { token: VIEWER })).toEqual(['pass']);
  });

  it('token hits only requests made with that SDK token', async () => {
    const sandbox = await withRule({ token: OPERATOR });
    expect(await pattern(sandbox, 1, { token: OPERATOR })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { token: ADMIN })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, { cookie: await login(sandbox, 'operator@acme.test') })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, {})).toEqual(['pass']);
  });

  it("principal: 'anonymous' hits only calls without credentials", async () => {
    const sandbox = await withRule({ when: 'GET /api/auth/me', principal: 'anonymous' });
    expect(await pattern(sandbox, 1, {})).toEqual(['hit']);
    expect(await pattern(sandbox, 1, { token: ADMIN })).toEqual(['pass']);
    expect(await pattern(sandbox, 1, { cookie: await login(sandbox, 'viewer@acme.test') })).toEqual(['pass']);
    // An unknown token authenticates no one: the caller is anonymous.
    expect(await pattern(sandbox, 1, { token: 'sdk_not_a_token' })).toEqual(['hit']);
  });

  it("principal: 'authenticated' hits only callers with credentials", async () => {
    const sandbox = await withRule({ principal: 'authenticated' });
    expect(await pattern(sandbox, 1, { token: VIEWER })).toEqual(['hit']);
    expect(await pattern(sandbox, 1, {})).toEqual(['pass']);
  });

  it('except spares the listed requests', async () => {
    const sandbox = await withRule({ when: '* /api/**', except: ['GET /api/auth/me', '* /api/credentials/**'] });
    expect(await pattern(sandbox, 1)).toEqual(['pass']);
    expect((await call(sandbox, 'GET', '/api/credentials', { token: ADMIN })).status).not.toBe(503);
    expect((await call(sandbox, 'DELETE', '/api/credentials/x', { token: ADMIN })).status).not.toBe(503);
    const hit = await call(sandbox, 'GET', '/api/workflows', { token: ADMIN });
    expect(appliedOf(hit)).toBe('test-rule/r (error 503)');
  });

  it('when matches a method list, * as one segment and ** as any number of segments', async () => {
    const oneSegment = await withRule({ when: 'PUT,DELETE /api/workflows/*' });
    expect((await call(oneSegment, 'DELETE', '/api/workflows/abc', { token: ADMIN })).status).toBe(503);
    expect((await call(oneSegment, 'PUT', '/api/workflows/abc', { token: ADMIN, body: {} })).status).toBe(503);
    expect((await call(oneSegment, 'GET', '/api/workflows/abc', { token: ADMIN })).status).toBe(404);
    expect((await call(oneSegment, 'POST', '/api/workflows/abc/execute', { token: ADMIN, body: {} })).status).toBe(404);
    expect((await call(oneSegment, 'DELETE', '/api/workflows', { token: ADMIN })).status).toBe(405);

    const anyDepth = await withRule({ when: 'POST /api/workflows/**' });
    expect((await call(anyDepth, 'POST', '/api/workflows/abc/execute', { token: ADMIN, body: {} })).status).toBe(503);
    expect((await call(anyDepth, 'POST', '/api/workflows', { token: ADMIN, body: {} })).status).toBe(503);
  });

  it('an unnamed rule is labelled by its index', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.use({ name: 'plain', description: 'Two rules, no names.', rules: [{ when: 'GET /api/workflows', effect: BUSY }, { effect: { type: 'forbidden' } }] });
    expect(appliedOf(await me(sandbox))).toBe('plain/rule-1 (forbidden)');
  });
});

describe('rule effects', () => {
  it('adds a fixed latency and still answers from the API', async () => {
    const sandbox = await withRule({ effect: { type: 'latency', ms: 120 } });
    const started = performance.now();
    const response = await me(sandbox);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(response.status).toBe(200);
    expect(appliedOf(response)).toBe('test-rule/r (latency 120ms)');
  });

  it('one-of picks an effect per hit from the seed', async () => {
    const effect: Rule['effect'] = { type: 'one-of', effects: [{ type: 'error', status: 500 }, { type: 'error', status: 502 }, { type: 'forbidden' }] };
    const statuses = async (seed: number) => {
      const sandbox = await withRule({ effect }, { seed });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await me(sandbox)).status);
      return out;
    };
    const first = await statuses(11);
    expect(new Set(first).size).toBeGreaterThan(1);
    for (const status of first) expect([500, 502, 403]).toContain(status);
    expect(await statuses(11)).toEqual(first);
  });

  it("a rule's 429 is the rate limiter's: Retry-After and an exhausted window, the rule's message and headers on top", async () => {
    const plain = await withRule({ effect: { type: 'error', status: 429 } });
    const limited = await me(plain);
    expect(expectSpringError(limited, 429, 'Too Many Requests', '/api/auth/me')).toMatch(/^Rate limit of \d+ requests per minute exceeded\. Retry after \d+ s/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    // The same headers as the built-in rate-limited scenario's 429 at the same time.
    const builtIn = await fresh();
    const scenario = await me(builtIn, { token: ADMIN, headers: { 'x-sandbox-scenario': 'rate-limited' } });
    for (const name of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(limited.headers.get(name)).toBe(scenario.headers.get(name));

    const custom = await withRule({ effect: { type: 'error', status: 429, message: 'Slow down.', headers: { 'Retry-After': '7', 'X-Upstream': 'gateway' } } });
    const own = await me(custom);
    expect(expectSpringError(own, 429, 'Too Many Requests', '/api/auth/me')).toBe('Slow down.');
    expect([own.headers.get('retry-after'), own.headers.get('x-upstream'), own.headers.get('x-ratelimit-remaining')]).toEqual(['7', 'gateway', '0']);
    // Without a message of its own, the limiter's message names the rule's Retry-After.
    const seconds = await me(await withRule({ effect: { type: 'error', status: 429, headers: { 'retry-after': '7' } } }));
    expect(expectSpringError(seconds, 429, 'Too Many Requests', '/api/auth/me')).toMatch(/Retry after 7 s/);
    expect(seconds.headers.get('retry-after')).toBe('7');
    // An HTTP-date counts from the sandbox clock; a malformed value goes out as written (a client's
    // parser under test) and the message keeps the limiter's own seconds.
    const dated = await me(await withRule({ effect: { type: 'error', status: 429, headers: { 'Retry-After': 'Sun, 01 Nov 2026 12:01:30 GMT' } } }));
    expect([dated.headers.get('retry-after'), dated.json.message]).toEqual(['Sun, 01 Nov 2026 12:01:30 GMT', expect.stringContaining('Retry after 90 s')]);
    for (const value of ['1.5', '-3', 'soon']) {
      const odd = await me(await withRule({ effect: { type: 'error', status: 429, headers: { 'Retry-After': value } } }));
      expect([odd.headers.get('retry-after'), odd.json.message], value).toEqual([value, expect.stringMatching(/Retry after 60 s/)]);
    }
  });

  it('the first terminal effect answers; later rules are not counted', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.use({
      name: 'two',
      description: 'A 409 once, then a 503 counted only when reached.',
      rules: [
        { name: 'first', times: 1, effect: { type: 'error', status: 409 } },
        { name: 'second', times: 1, effect: { type: 'error', status: 503 } },
      ],
    });
    expect(appliedOf(await me(sandbox))).toBe('two/first (error 409)');
    expect(appliedOf(await me(sandbox))).toBe('two/second (error 503)');
    expect(appliedOf(await me(sandbox))).toBeNull();
  });
});
