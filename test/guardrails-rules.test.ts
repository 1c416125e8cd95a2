import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, testSandbox } from './helpers.ts';

/**
 * Custom guardrail rules through the control plane: `GET /__sandbox/guardrails/rules?teamId=` and
 * `PUT /__sandbox/guardrails/rules` `{teamId, rules}` (replaces a team's set; strict body; every
 * rule checked before anything changes; regexes compiled with RE2).
 */

const RULES = '/__sandbox/guardrails/rules';

describe('guardrail custom rules (control plane)', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
  });
  const put = (body: unknown) => call(sandbox, 'PUT', RULES, { body });
  const check = (text: string, token = 'sdk_sandbox_viewer') => call(sandbox, 'POST', '/api/guardrails/check', { token, body: { text, applyCustomRules: true } });

  it('lists the seeded rules of a team', async () => {
    const response = await call(sandbox, 'GET', `${RULES}?teamId=${ACME_TEAM_ID}`);
    expect(response.status).toBe(200);
    expect(response.json.teamId).toBe(ACME_TEAM_ID);
    expect(response.json.rules.map((r: any) => [r.name, r.type, r.enabled])).toEqual([
      ['Internal project codenames', 'KEYWORD', true],
      ['Support ticket references', 'REGEX', true],
      ['Competitor names', 'KEYWORD', true],
      ['Internal hostnames', 'REGEX', true],
      ['Mild profanity (disabled)', 'KEYWORD', false],
    ]);
  });

  it('replaces a team’s rules, and the next check applies the new ones only', async () => {
    const response = await put({
      teamId: ACME_TEAM_ID,
      rules: [
        { name: 'Order ids', type: 'REGEX', pattern: 'ORD-[0-9]{6}', caseSensitive: true, severity: 'HIGH', message: 'Order id leaked.' },
        { name: 'Secret words', type: 'KEYWORD', keywords: ['open sesame'] },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json.rules).toHaveLength(2);
    expect(response.json.rules[1]).toMatchObject({ teamId: ACME_TEAM_ID, name: 'Secret words', type: 'KEYWORD', pattern: null, keywords: ['open sesame'], caseSensitive: false, severity: 'MEDIUM', enabled: true, createdAt: '2026-11-01T12:00:00.000Z' });
    const result = await check('Project Falcon: ORD-123456, ord-654321, Open Sesame!');
    expect(result.json.violations.map((v: any) => [v.details.ruleName, v.details.match, v.severity, v.message])).toEqual([
      ['Order ids', 'ORD-123456', 'HIGH', 'Order id leaked.'],
      ['Secret words', 'Open Sesame', 'MEDIUM', 'Custom rule "Secret words" (KEYWORD) matched "Open Sesame" at 40–51.'],
    ]);
    expect((await check('HOBBY-ABC', 'sdk_sandbox_hobby')).json.violations).toHaveLength(1); // Hobby's rules untouched
  });

  it('clears a team’s rules with an empty list', async () => {
    expect((await put({ teamId: HOBBY_TEAM_ID, rules: [] })).json.rules).toEqual([]);
    expect((await check('HOBBY-ABC', 'sdk_sandbox_hobby')).json.violations).toEqual([]);
  });

  it.each([
    [{ teamId: ACME_TEAM_ID, rules: [], extra: 1 }, /Unknown field "extra" in the body of PUT \/__sandbox\/guardrails\/rules. Known fields: "teamId", "rules"/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'x', type: 'REGEX', pattern: 'a', colour: 'red' }] }, /Unrecognized key/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'x', type: 'JS', pattern: 'a' }] }, /Rule "type" must be "REGEX" or "KEYWORD"/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'Backref', type: 'REGEX', pattern: '(a)\\1' }] }, /Rule "Backref": pattern is not a valid RE2 regular expression \(error parsing regexp: invalid escape sequence: `\\1`\)/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'Lookahead', type: 'REGEX', pattern: 'a(?=b)' }] }, /Rule "Lookahead": pattern is not a valid RE2 regular expression/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'Empty', type: 'REGEX', pattern: 'x*' }] }, /Rule "Empty": pattern matches the empty string/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'NoPattern', type: 'REGEX' }] }, /a REGEX rule needs "pattern"/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'NoWords', type: 'KEYWORD' }] }, /a KEYWORD rule needs "keywords"/],
    [{ teamId: ACME_TEAM_ID, rules: [{ name: 'Punct', type: 'KEYWORD', keywords: ['!!!'] }] }, /keyword "!!!" has no letters or digits/],
  ])('returns 400 and changes nothing given %j', async (body, message) => {
    const response = await put(body);
    expect(response.status).toBe(400);
    expect(response.json.message).toMatch(message);
    expect((await call(sandbox, 'GET', `${RULES}?teamId=${ACME_TEAM_ID}`)).json.rules).toHaveLength(5);
  });

  it('changes nothing when a later rule of the list is invalid', async () => {
    await put({ teamId: ACME_TEAM_ID, rules: [{ name: 'Good', type: 'KEYWORD', keywords: ['ok'] }, { name: 'Bad', type: 'REGEX', pattern: '(' }] });
    expect((await call(sandbox, 'GET', `${RULES}?teamId=${ACME_TEAM_ID}`)).json.rules).toHaveLength(5);
  });

  it('returns 404 for an unknown team and 400 without a team id', async () => {
    const unknown = await put({ teamId: 'no-such-team', rules: [] });
    expect([unknown.status, unknown.json.error, unknown.json.path]).toEqual([404, 'Not Found', RULES]);
    expect(unknown.json.message).toMatch(/^No team no-such-team\. Known teams: 0a1c3e00-.* \(Acme Robotics\)/);
    const missing = await call(sandbox, 'GET', RULES);
    expect([missing.status, missing.json.message]).toEqual([400, 'teamId is required, e.g. ?teamId=0a1c3e00-0000-4000-8000-00000000ac01 (GET /__sandbox/identities lists the teams).']);
  });

  it('brings the seeded rules back on reset', async () => {
    await put({ teamId: ACME_TEAM_ID, rules: [] });
    await call(sandbox, 'POST', '/__sandbox/reset');
    expect((await check('Project Falcon')).json.violations).toHaveLength(1);
  });

  it('runs a catastrophic-backtracking regex in linear time on 100,000 characters', async () => {
    await put({ teamId: ACME_TEAM_ID, rules: [{ name: 'Evil', type: 'REGEX', pattern: '(a+)+$' }, { name: 'Evil 2', type: 'REGEX', pattern: '(a|aa)+b' }] });
    const cpu = process.cpuUsage();
    const response = await check(`${'a'.repeat(99_999)}!`);
    const { user, system } = process.cpuUsage(cpu);
    expect(response.status).toBe(200);
    expect(response.json.violations).toEqual([]);
    expect((user + system) / 1000).toBeLessThan(1000); // CPU ms: the machine may be shared
  });
});
