/**
 * The shapes a guardrail check answers with (nodeloom-api.md 3.8; field types from the official TS
 * client's `checkGuardrails` typing) and the helpers detectors share to build them.
 *
 * [INF] 3.8: check/violation `type` ∈ PII, PROMPT_INJECTION, CONTENT_FILTER, SCHEMA_VALIDATION,
 * CUSTOM_RULE, SEMANTIC_MANIPULATION; `severity` ∈ LOW, MEDIUM, HIGH, CRITICAL; `action` echoes
 * `onViolation`.
 */

/** The detectors, in the order they run and are listed in `checks[]`. */
export const CHECK_TYPES = ['PII', 'PROMPT_INJECTION', 'CONTENT_FILTER', 'SCHEMA_VALIDATION', 'CUSTOM_RULE', 'SEMANTIC_MANIPULATION'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What `onViolation` sets on every violation; only `BLOCKED` makes `passed` false. */
export const VIOLATION_ACTIONS = ['BLOCKED', 'WARNED', 'LOGGED'] as const;
export type ViolationAction = (typeof VIOLATION_ACTIONS)[number];

/**
 * Why a violation was raised: the detector rule id (`pii.email`, `injection.ignore_instructions`,
 * …), the matched span as UTF-16 offsets into the original `text` (`start` inclusive, `end`
 * exclusive, so `text.slice(start, end)` is the match), and what matched (PII masked). Detectors add
 * their own fields (`piiType`, `category`, `evidence`, …).
 */
export interface ViolationDetails {
  rule: string;
  start: number;
  end: number;
  match: string;
  [extra: string]: unknown;
}

/** One finding of a detector, before `onViolation` gives it an action. */
export interface Finding {
  type: CheckType;
  severity: Severity;
  message: string;
  /** 0–1, two decimals. */
  confidence: number;
  details: ViolationDetails;
}

/** A violation as the API answers it. */
export interface Violation extends Finding {
  action: ViolationAction;
}

/** One detector run as listed in `checks[]`. */
export interface CheckReport {
  type: CheckType;
  /** The detector's own verdict: false when it found anything (whatever `onViolation` says). */
  passed: boolean;
  /** Every finding, also those past the per-detector listing cap. */
  violationsFound: number;
  /** Real elapsed time of the detector, ms (three decimals). */
  durationMs: number;
}

/** The response body of `POST /api/guardrails/check`. */
export interface GuardrailCheckResponse {
  passed: boolean;
  violations: Violation[];
  /** The text with every PII finding replaced, when `redactPii` was true; otherwise null. */
  redactedContent: string | null;
  checks: CheckReport[];
  /** Present (a string) when `agentName` was sent; otherwise null. */
  guardrailSessionId: string | null;
}

/** Violations listed per detector at most; `violationsFound` still counts them all. */
export const MAX_LISTED_PER_CHECK = 100;

/** Longest `match` text in details (longer matches end in `…`). */
export const MAX_MATCH_CHARS = 200;

/** `text` cut to {@link MAX_MATCH_CHARS}. */
export function clip(text: string): string {
  return text.length <= MAX_MATCH_CHARS ? text : `${text.slice(0, MAX_MATCH_CHARS - 1)}…`;
}

/** A confidence rounded to two decimals and kept in [0, 1]. */
export function confidence(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** Noisy-OR of independent evidence weights: 1 − Π(1 − wᵢ). */
export function combine(weights: Iterable<number>): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - Math.min(1, Math.max(0, w));
  return 1 - miss;
}
