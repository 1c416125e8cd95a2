import { monotonicMs } from '../../core/clock.ts';
import type { ContentCategory } from './content-lists.ts';
import { detectContent } from './content-filter.ts';
import { detectCustom } from './custom-rules.ts';
import { detectInjection } from './injection.ts';
import { loadPiiValidators, type PiiType } from './pii-classify.ts';
import { findPii, piiFinding, type PiiSpan } from './pii.ts';
import type { GuardrailRuleRecord } from './records.ts';
import { redact } from './redact.ts';
import { detectSchema, loadSchemaValidators } from './schema-check.ts';
import { detectSemantic } from './semantic.ts';
import { MAX_LISTED_PER_CHECK, type CheckReport, type CheckType, type Finding, type Violation, type ViolationAction } from './violation.ts';
import { tokenizeWords, type Words } from './words.ts';

/**
 * Runs the detectors a check asked for, in the fixed order of `checks[]` (PII, PROMPT_INJECTION,
 * CONTENT_FILTER, SCHEMA_VALIDATION, CUSTOM_RULE, SEMANTIC_MANIPULATION), and assembles the answer
 * (nodeloom-api.md 3.8). Pure apart from timing: the same text and options always give the same
 * findings; `durationMs` is each detector's real elapsed time (performance.now()). The word
 * tokenisation is done once, by the first word-based detector, and counted in its time.
 */

/** The detectors' settings, every default applied. */
export interface GuardrailOptions {
  redactPii: boolean;
  piiTypes: ReadonlySet<PiiType>;
  detectPromptInjection: boolean;
  injectionSensitivity: number;
  filterContent: boolean;
  contentCategories: ReadonlySet<ContentCategory>;
  validateSchema: boolean;
  jsonSchema: unknown;
  applyCustomRules: boolean;
  customRules: readonly GuardrailRuleRecord[];
  detectSemanticManipulation: boolean;
  onViolation: ViolationAction;
}

/** The assembled answer, before a session id is attached. */
export interface GuardrailOutcome {
  passed: boolean;
  violations: Violation[];
  redactedContent: string | null;
  checks: CheckReport[];
  /** Every finding (also past the listing cap), for the monitoring record. */
  findings: Finding[];
}

/** Texts longer than this yield to the event loop between detectors, so other requests are answered meanwhile. */
const YIELD_ABOVE = 10_000;

/**
 * Lets pending I/O and timers run (a macrotask turn). The timer is not unref'd: a script awaiting a
 * check must not exit in the middle of it.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs the checks.
 * @param text the text (≤ 100,000 characters, checked by the route)
 */
export async function runGuardrails(text: string, options: GuardrailOptions): Promise<GuardrailOutcome> {
  if (options.redactPii) await loadPiiValidators();
  if (options.validateSchema) await loadSchemaValidators();
  let words: Words | undefined;
  const wordsOf = () => (words ??= tokenizeWords(text));
  let piiSpans: PiiSpan[] = [];
  const plan: Array<[CheckType, () => Finding[]]> = [];
  if (options.redactPii) {
    plan.push(['PII', () => {
      piiSpans = findPii(text, options.piiTypes);
      return piiSpans.map((span) => piiFinding(text, span));
    }]);
  }
  if (options.detectPromptInjection) plan.push(['PROMPT_INJECTION', () => detectInjection(text, wordsOf(), options.injectionSensitivity)]);
  if (options.filterContent) plan.push(['CONTENT_FILTER', () => detectContent(wordsOf(), options.contentCategories)]);
  if (options.validateSchema) plan.push(['SCHEMA_VALIDATION', () => detectSchema(text, options.jsonSchema)]);
  if (options.applyCustomRules) plan.push(['CUSTOM_RULE', () => detectCustom(text, wordsOf(), options.customRules)]);
  if (options.detectSemanticManipulation) plan.push(['SEMANTIC_MANIPULATION', () => detectSemantic(wordsOf())]);

  const checks: CheckReport[] = [];
  const violations: Violation[] = [];
  const findings: Finding[] = [];
  for (const [index, [type, detect]] of plan.entries()) {
    if (index > 0 && text.length > YIELD_ABOVE) await yieldToEventLoop();
    const started = monotonicMs();
    const found = detect();
    const durationMs = Math.round((monotonicMs() - started) * 1000) / 1000;
    checks.push({ type, passed: found.length === 0, violationsFound: found.length, durationMs });
    findings.push(...found);
    for (const f of found.slice(0, MAX_LISTED_PER_CHECK)) {
      violations.push({ type: f.type, severity: f.severity, action: options.onViolation, message: f.message, confidence: f.confidence, details: f.details });
    }
  }
  return {
    passed: !violations.some((v) => v.action === 'BLOCKED'),
    violations,
    redactedContent: options.redactPii ? redact(text, piiSpans) : null,
    checks,
    findings,
  };
}
