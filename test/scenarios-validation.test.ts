import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ruleSchema } from '../src/scenarios/definition.ts';
import { compileWhen } from '../src/scenarios/matcher.ts';
import { call, testSandbox } from './helpers.ts';

/** Malformed scenario input is refused with the field named, and nothing changes (review findings). */
describe('scenario validation', () => {
  const base = { name: 'typo', description: 'A rule with a mistake.' };

  it.each<[string, object, RegExp]>([
    ['a misspelt rule key', { probabilty: 0.1, effect: { type: 'error', status: 500 } }, /rules\[0\]: Unrecognized key: "probabilty"/],
    ['a capitalised "When"', { When: '* /api/**', effect: { type: 'error', status: 500 } }, /rules\[0\]: Unrecognized key: "When"/],
    ['a malformed except entry', { except: ['garbage'], effect: { type: 'error', status: 500 } }, /rules\[0\]\.except\[0\]: except entries must look like/],
    ['a header name with a space', { effect: { type: 'error', status: 500, headers: { 'bad header': 'v' } } }, /rules\[0\]\.effect\.headers\.bad header: header names are HTTP tokens/],
    ['an unknown effect type', { effect: { type: 'eror', status: 500 } }, /rules\[0\]\.effect\.type: Invalid discriminator value/],
    // rou3's own syntax (groups, modifiers, escapes) is not the pattern language, and some of it throws.
    ...['GET /api/(', 'GET /api/***', 'GET /api/a+', 'GET /api/a\\', 'GET /api/?x', 'GET /api/{x}', 'GET /api/[x]', 'GET /api/a*b'].map(
      (when): [string, object, RegExp] => [`the path pattern ${when}`, { when, effect: { type: 'forbidden' } }, /rules\[0\]\.when: when must look like .*segments are literal, \* \(one segment\), \*\* \(any number, once\) or :name/],
    ),
    ['a header value past Latin-1', { effect: { type: 'error', status: 500, headers: { 'x-u': 'é😀' } } }, /rules\[0\]\.effect\.headers\.x-u: header values are printable ASCII/],
    ['a Content-Length header', { effect: { type: 'error', status: 500, headers: { 'Content-Length': '5' } } }, /rules\[0\]\.effect\.headers\.Content-Length: the host sets content-length, transfer-encoding, connection/],
    ['a header value of 20,000 characters', { effect: { type: 'error', status: 503, headers: { 'x-big': 'a'.repeat(20_000) } } }, /rules\[0\]\.effect\.headers\.x-big: header values are at most 4096 characters/],
    ['a Transfer-Encoding header', { effect: { type: 'error', status: 500, headers: { 'transfer-encoding': 'chunked' } } }, /the host sets content-length/],
  ])('refuses %s, naming the field, and registers nothing', (_label, rule, message) => {
    const sandbox = testSandbox();
    expect(() => sandbox.scenarios.use({ ...base, rules: [rule] } as never)).toThrow(message);
    expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain('typo');
    expect(sandbox.scenarios.current().names).toEqual([]);
  });

  it('answers POST /__sandbox/scenarios with 400 naming the field for a malformed pattern or header, and defines nothing', async () => {
    const sandbox = testSandbox();
    for (const rule of [{ when: 'GET /api/(', effect: { type: 'forbidden' } }, { effect: { type: 'error', status: 500, headers: { 'x-u': '😀' } } }]) {
      const response = await call(sandbox, 'POST', '/__sandbox/scenarios', { body: { ...base, name: 'w1', rules: [rule] } });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ status: 400, error: 'Bad Request', path: '/__sandbox/scenarios', message: expect.stringMatching(/rules\[0\]\.(when|effect\.headers\.x-u): /) });
    }
    expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain('w1');
  });

  it('compiles every path pattern the definition schema accepts (property: no accepted pattern throws later)', () => {
    const segment = fc.oneof(fc.constantFrom('*', '**', ':id', 'api', ''), fc.string({ unit: fc.constantFrom('a', '-', '.', '%', '*', '(', ')', '+', '?', '{', '}', '[', ']', '\\', ':', '~'), maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const when = `GET /${segments.join('/')}`;
        if (!ruleSchema.safeParse({ when, effect: { type: 'forbidden' } }).success) return;
        const matches = compileWhen(when);
        expect(typeof matches('GET', '/api/x')).toBe('boolean');
      }),
      { seed: 20261202, numRuns: 500 },
    );
  });

  it('refuses a null definition with a message instead of a TypeError', () => {
    expect(() => testSandbox().scenarios.define(null as never)).toThrow(/^Invalid scenario in definition "undefined": \(root\): Invalid input: expected object/);
  });

  it('sets an injected content-type instead of appending it to application/json', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.use({ ...base, rules: [{ effect: { type: 'error', status: 503, headers: { 'content-type': 'application/problem+json' } } }] });
    const response = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('binding scenarios to one caller', () => {
  it('answers 400 listing the known tokens for an unknown SDK token, and binds nothing', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const refused = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'], token: 'sdk_nope' } });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^Unknown SDK token 'sdk_nope'\. Known tokens: .*sdk_sandbox_viewer/);
    expect((await call(sandbox, 'GET', '/__sandbox/scenario')).json.bindings).toEqual({});
  });

  it('answers 400 for an unknown user and for token and user together', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const unknown = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'], user: 'nobody@x.test' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/^Unknown user 'nobody@x\.test'/);
    const both = await call(sandbox, 'PUT', '/__sandbox/scenario', { body: { names: ['forbidden'], token: 'sdk_sandbox_viewer', user: 'viewer@acme.test' } });
    expect(both.status).toBe(400);
    expect(both.json.message).toMatch(/either "token" or "user"/);
    expect(() => sandbox.scenarios.useFor('sdk_nope', 'forbidden')).toThrow(/Unknown SDK token/);
  });
});
