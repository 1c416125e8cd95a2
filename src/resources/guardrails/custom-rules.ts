import { RE2JS } from 're2js';
import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { PhraseMatcher } from './phrase-matcher.ts';
import type { GuardrailRuleRecord } from './records.ts';
import { clip, SEVERITIES, type Finding } from './violation.ts';
import type { Words } from './words.ts';

/**
 * Custom rules (nodeloom-api.md 3.8 `applyCustomRules`): each team's REGEX and KEYWORD rules,
 * seeded (fixtures/seed-guardrails.ts) and replaced through `PUT /__sandbox/guardrails/rules`. A
 * user's regex runs on re2js, a pure-JavaScript port of RE2: linear time whatever the pattern, so
 * no rule can hang the server (no backreferences or lookaround; `\b`, classes, `{n,m}` work).
 * Keywords match case-insensitively on whole words. At most 100 matches per rule are reported.
 */

/** Rules per team at most. */
export const MAX_RULES = 50;
const MAX_PATTERN = 1000;
const MAX_MATCHES_PER_RULE = 100;
const MAX_FINDS = 1000;

/** One rule as the control plane takes it (strict: unknown fields are refused). */
export const customRuleInput = z.strictObject({
  name: z.string().trim().min(1, 'Each rule needs a "name"').max(200),
  type: z.enum(['REGEX', 'KEYWORD'], { error: 'Rule "type" must be "REGEX" or "KEYWORD" (JS and LLM rules are not modelled by the sandbox)' }),
  pattern: z.string().min(1).max(MAX_PATTERN).optional(),
  keywords: z.array(z.string().trim().min(1).max(200)).min(1).max(100).optional(),
  caseSensitive: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  message: z.string().max(500).optional(),
  enabled: z.boolean().optional(),
});
export type CustomRuleInput = z.output<typeof customRuleInput>;

/** `PUT /__sandbox/guardrails/rules` body. */
export const replaceRulesBody = z.strictObject({
  teamId: z.string().min(1, 'teamId is required'),
  rules: z.array(customRuleInput).max(MAX_RULES, `At most ${MAX_RULES} rules per team`),
});

const compiledRegex = new WeakMap<GuardrailRuleRecord, RE2JS>();
const compiledKeywords = new WeakMap<GuardrailRuleRecord, PhraseMatcher<{ id: string; slots: string[][] }>>();

/**
 * Compiles a regex rule's pattern with RE2.
 * @throws HttpError 400 naming the rule and RE2's complaint, or when the pattern matches the empty string
 */
export function compileRulePattern(pattern: string, caseSensitive: boolean, ruleName: string): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new HttpError(400, `Rule "${ruleName}": pattern is not a valid RE2 regular expression (${(error as Error).message}). RE2 has no backreferences or lookaround.`);
  }
  if (re.matches('')) throw new HttpError(400, `Rule "${ruleName}": pattern matches the empty string; make it match at least one character.`);
  return re;
}

/**
 * Checks rule inputs and turns them into records for a team (validates everything before anything is written).
 * @throws HttpError 400 for a REGEX rule without a valid `pattern` or a KEYWORD rule without `keywords`
 */
export function ruleRecords(state: SandboxState, teamId: string, inputs: readonly CustomRuleInput[]): GuardrailRuleRecord[] {
  const now = state.clock.iso();
  return inputs.map((input) => {
    const caseSensitive = input.caseSensitive ?? false;
    if (input.type === 'REGEX') {
      if (!input.pattern) throw new HttpError(400, `Rule "${input.name}": a REGEX rule needs "pattern", e.g. "\\\\bACME-\\\\d{4,6}\\\\b".`);
      if (input.keywords) throw new HttpError(400, `Rule "${input.name}": a REGEX rule takes "pattern", not "keywords".`);
      compileRulePattern(input.pattern, caseSensitive, input.name);
    } else {
      if (!input.keywords) throw new HttpError(400, `Rule "${input.name}": a KEYWORD rule needs "keywords", e.g. ["Project Falcon"].`);
      if (input.pattern) throw new HttpError(400, `Rule "${input.name}": a KEYWORD rule takes "keywords", not "pattern".`);
      const empty = input.keywords.find((k) => !/[\p{L}\p{N}]/u.test(k));
      if (empty !== undefined) throw new HttpError(400, `Rule "${input.name}": keyword "${empty}" has no letters or digits to match.`);
    }
    return {
      id: state.ids.uuid(),
      teamId,
      name: input.name,
      type: input.type,
      pattern: input.type === 'REGEX' ? input.pattern! : null,
      keywords: input.type === 'KEYWORD' ? input.keywords! : [],
      caseSensitive,
      severity: input.severity ?? 'MEDIUM',
      message: input.message ?? null,
      enabled: input.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
  });
}

/** A team's rules in the order they were set. */
export function teamRules(state: SandboxState, teamId: string): GuardrailRuleRecord[] {
  return state.db.guardrailRules.filter((r) => r.teamId === teamId);
}

/** Replaces every rule of a team with `records` (from {@link ruleRecords}). */
export async function replaceTeamRules(state: SandboxState, teamId: string, records: readonly GuardrailRuleRecord[]): Promise<void> {
  for (const old of teamRules(state, teamId)) await state.db.guardrailRules.delete(old.id);
  for (const record of records) await state.db.guardrailRules.insert(record);
}

/** Matches of one rule, as `[start, end)` spans (at most 100, none empty). */
function ruleMatches(text: string, words: Words, rule: GuardrailRuleRecord): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (rule.type === 'REGEX') {
    let re = compiledRegex.get(rule);
    if (!re) compiledRegex.set(rule, (re = RE2JS.compile(rule.pattern!, rule.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE)));
    if (!re.test(text)) return spans; // the DFA answers "no match" fast; positions only when there is one
    const matcher = re.matcher(text);
    // Empty matches (`\b`, `x*`) are skipped; each find moves on, and the tries are bounded.
    for (let tries = 0; tries < MAX_FINDS && spans.length < MAX_MATCHES_PER_RULE && matcher.find(); tries += 1) {
      if (matcher.end() > matcher.start()) spans.push([matcher.start(), matcher.end()]);
    }
    return spans;
  }
  let matcher = compiledKeywords.get(rule);
  if (!matcher) compiledKeywords.set(rule, (matcher = new PhraseMatcher(rule.keywords.map((k) => ({ id: k, slots: [[k]] })))));
  for (const m of matcher.match(words)) {
    if (spans.length >= MAX_MATCHES_PER_RULE) break;
    spans.push([words.start[m.first]!, words.end[m.last]!]);
  }
  return spans;
}

/** Runs a team's enabled rules: one violation per match, rule id `custom.<rule id>`. */
export function detectCustom(text: string, words: Words, rules: readonly GuardrailRuleRecord[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const [start, end] of ruleMatches(text, words, rule)) {
      const match = clip(text.slice(start, end));
      findings.push({
        type: 'CUSTOM_RULE',
        severity: rule.severity,
        message: rule.message ?? `Custom rule "${rule.name}" (${rule.type}) matched "${match}" at ${start}–${end}.`,
        confidence: 1,
        details: { rule: `custom.${rule.id}`, start, end, match, ruleName: rule.name, ruleType: rule.type },
      });
    }
  }
  return findings.sort((a, b) => a.details.start - b.details.start);
}
