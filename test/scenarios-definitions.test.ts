import { describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { call, testSandbox } from './helpers.ts';
import { ADMIN, appliedOf, BUILT_IN, expectSpringError, VIEWER } from './scenario-hosts.ts';

/**
 * Scenarios defined in code: definition objects passed to `scenarios.use`, `useFor`, `define` and
 * `createSandbox({ scenarios })`, a built-in replaced by name, and malformed definitions rejected
 * with a message naming the source and the field.
 */

const me = (sandbox: ReturnType<typeof testSandbox>) => call(sandbox, 'GET', '/api/auth/me', { token: ADMIN });

describe('scenario definitions in code', () => {
  const vaultDown = {
    name: 'vault-down',
    description: 'Credential calls fail with 502.',
    rules: [{ name: 'creds', when: '* /api/credentials/**', effect: { type: 'error' as const, status: 502 as const, message: 'Vault is down.', headers: { 'x-vault': 'down' } } }],
  };

  it('switches a definition object on with scenarios.use and knows it by name afterwards', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.use(vaultDown);
    expect(sandbox.scenarios.current().names).toEqual(['vault-down']);
    expect(sandbox.scenarios.list().map((s) => s.name)).toEqual([...BUILT_IN, 'vault-down'].sort());
    for (const path of ['/api/credentials', '/api/credentials/some-id/test']) {
      const response = await call(sandbox, path.endsWith('test') ? 'POST' : 'GET', path, { token: ADMIN });
      expect(expectSpringError(response, 502, 'Bad Gateway', path)).toBe('Vault is down.');
      expect(response.headers.get('x-vault')).toBe('down');
      expect(appliedOf(response)).toBe('vault-down/creds (error 502)');
    }
    expect((await me(sandbox)).status).toBe(200);
    sandbox.scenarios.reset();
    const byName = await call(sandbox, 'GET', '/api/credentials', { token: ADMIN, headers: { 'x-sandbox-scenario': 'vault-down' } });
    expect(byName.status).toBe(502);
    const listed = await call(sandbox, 'GET', '/__sandbox/scenarios');
    expect(listed.json.find((s: { name: string }) => s.name === 'vault-down')).toMatchObject({ description: 'Credential calls fail with 502.' });
  });

  it('accepts definition objects in createSandbox({ scenarios }), scenarios.define and useFor', async () => {
    const atStart = testSandbox({ scenarios: [vaultDown] });
    expect((await call(atStart, 'GET', '/api/credentials', { token: ADMIN })).status).toBe(502);
    const defined = testSandbox();
    expect(defined.scenarios.define(vaultDown)).toMatchObject({ name: 'vault-down', rules: [{ when: '* /api/credentials/**', except: [] }] });
    expect(defined.scenarios.current().names).toEqual([]);
    expect((await call(defined, 'GET', '/api/credentials', { token: ADMIN })).status).not.toBe(502);
    defined.scenarios.useFor(VIEWER, vaultDown);
    expect((await call(defined, 'GET', '/api/credentials', { token: VIEWER })).status).toBe(502);
  });

  it('replaces a built-in scenario given a definition with its name', async () => {
    const sandbox = testSandbox();
    sandbox.scenarios.use({ name: 'server-error', description: 'Only workflows break.', rules: [{ name: 'wf', when: '* /api/workflows/**', effect: { type: 'error', status: 500 } }] });
    expect((await me(sandbox)).status).toBe(200);
    const response = await call(sandbox, 'GET', '/api/workflows', { token: ADMIN });
    expect(expectSpringError(response, 500, 'Internal Server Error', '/api/workflows')).toBe('An unexpected error occurred.');
    expect(appliedOf(response)).toBe('server-error/wf (error 500)');
  });

  it.each([
    [{ name: 'Bad Name', description: 'd', rules: [] }, 'name: name must be kebab-case (a-z, 0-9, -)'],
    [{ name: 'no-description', rules: [] }, 'description: description is required (a line saying what the scenario does)'],
    [{ name: undefined, description: 'd', rules: [] }, 'name: name is required (kebab-case: a-z, 0-9, -)'],
    [{ name: 'number-description', description: 5, rules: [] }, 'description: Invalid input: expected string, received number'],
    [{ name: 'bad-status', description: 'd', rules: [{ effect: { type: 'error', status: 418 } }] }, 'rules[0].effect.status: status must be one of 400,'],
    [{ name: 'bad-when', description: 'd', rules: [{ when: 'FETCH /api', effect: { type: 'forbidden' } }] }, 'rules[0].when: when must look like "POST /api/workflows"'],
    [{ name: 'bad-chance', description: 'd', rules: [{ effect: { type: 'forbidden' } }, { probability: 1.5, effect: { type: 'forbidden' } }] }, 'rules[1].probability: '],
    [{ name: 'bad-latency', description: 'd', rules: [{ effect: { type: 'latency', min: 900, max: 100 } }] }, 'rules[0].effect'],
    [{ name: 'bad-token', description: 'd', rules: [{ token: 'viewer', effect: { type: 'forbidden' } }] }, 'rules[0].token: '],
  ])('rejects a malformed definition naming the field: %j', (definition, field) => {
    const sandbox = testSandbox();
    const message = `Invalid scenario in definition "${definition.name}": ${field}`;
    expect(() => sandbox.scenarios.use(definition as never)).toThrow(message);
    expect(() => sandbox.scenarios.define(definition as never)).toThrow(message);
    expect(() => createSandbox({ scenarios: [definition as never] })).toThrow(message);
    expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain(definition.name);
  });

  it('rejects a malformed scenario file at load, naming the file and the field', () => {
    const definition = { name: 'broken', description: 'd', rules: [{ effect: { type: 'explode' } }] };
    expect(() => createSandbox({ scenarioDefinitions: [{ definition, source: 'scenarios/broken.json' }] })).toThrow(/^Invalid scenario in scenarios\/broken\.json: rules\[0\]\.effect\.type: Invalid discriminator value/);
  });
});
