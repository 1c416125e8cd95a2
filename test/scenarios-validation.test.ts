import { describe, expect, it } from 'vitest';
import { call, testSandbox } from './helpers.ts';

/** Malformed scenario input is refused with the field named, and nothing changes (review findings). */
describe('scenario validation', () => {
  const base = { name: 'typo', description: 'A rule with a mistake.' };

  it.each([
    ['a misspelt rule key', { probabilty: 0.1, effect: { type: 'error', status: 500 } }, /rules\[0\]: Unrecognized key: "probabilty"/],
    ['a capitalised "When"', { When: '* /api/**', effect: { type: 'error', status: 500 } }, /rules\[0\]: Unrecognized key: "When"/],
    ['a malformed except entry', { except: ['garbage'], effect: { type: 'error', status: 500 } }, /rules\[0\]\.except\[0\]: except entries must look like/],
    ['a header name with a space', { effect: { type: 'error', status: 500, headers: { 'bad header': 'v' } } }, /rules\[0\]\.effect\.headers/],
    ['an unknown effect type', { effect: { type: 'eror', status: 500 } }, /rules\[0\]\.effect\.type: Invalid discriminator value/],
  ])('refuses %s, naming the field, and registers nothing', (_label, rule, message) => {
    const sandbox = testSandbox();
    expect(() => sandbox.scenarios.use({ ...base, rules: [rule] } as never)).toThrow(message);
    expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain('typo');
    expect(sandbox.scenarios.current().names).toEqual([]);
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
