import { z } from 'zod';

/**
 * Stored shapes of the guardrails area (nodeloom-api.md 3.8): a team's custom rules, the guardrail
 * sessions a check with `agentName` opens, and the record of every check for monitoring.
 * Timestamps are ISO-8601 UTC with milliseconds, on the sandbox clock.
 */

/**
 * A team's custom rule (3.8 `applyCustomRules`: "team's enabled custom rules (regex, keyword, JS,
 * LLM)"; the sandbox models the REGEX and KEYWORD kinds). A REGEX rule has `pattern` (RE2 syntax,
 * run by re2js in linear time); a KEYWORD rule has `keywords`, matched case-insensitively on whole
 * words.
 */
export const guardrailRuleRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  type: z.enum(['REGEX', 'KEYWORD']),
  pattern: z.string().nullable(),
  keywords: z.array(z.string()),
  caseSensitive: z.boolean(),
  severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  message: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type GuardrailRuleRecord = z.output<typeof guardrailRuleRecord>;

/**
 * A guardrail session: opened by a check that named an `agentName`, live until `expiresAt`. The SDK
 * telemetry area accepts it as `guardrail_session_id` on that agent's `trace_start` when the agent
 * runs with `require_guardrails: HARD` (3.11.1).
 */
export const guardrailSessionRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  agentName: z.string(),
  /** The check that opened it. */
  checkId: z.string(),
  /** Whether that check passed. */
  passed: z.boolean(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type GuardrailSessionRecord = z.output<typeof guardrailSessionRecord>;

/** One guardrail check, as monitoring reads it later. */
export const guardrailCheckRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  agentName: z.string().nullable(),
  /** Who called: `token:<name>` or `user:<email>`. */
  principal: z.string(),
  /** The detectors that ran. */
  checksRun: z.array(z.string()),
  /** Distinct violation types found (`PII`, `PROMPT_INJECTION`, …). */
  typesFound: z.array(z.string()),
  /** Distinct rule ids found (`pii.email`, `content.violence`, …). */
  rulesFound: z.array(z.string()),
  violationCount: z.number().int(),
  passed: z.boolean(),
  onViolation: z.enum(['BLOCKED', 'WARNED', 'LOGGED']),
  textLength: z.number().int(),
  guardrailSessionId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type GuardrailCheckRecord = z.output<typeof guardrailCheckRecord>;
