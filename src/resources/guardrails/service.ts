import type { Principal } from '../../core/principal.ts';
import { principalLabel } from '../../core/principal.ts';
import type { SandboxState } from '../../state.ts';
import { recordGuardrailCheck } from './check-log.ts';
import { CONTENT_CATEGORIES } from './content-lists.ts';
import { teamRules } from './custom-rules.ts';
import { PII_TYPES } from './pii-classify.ts';
import { runGuardrails, type GuardrailOptions } from './run-checks.ts';
import type { CheckBody } from './schema.ts';
import { openGuardrailSession } from './sessions.ts';
import type { GuardrailCheckResponse } from './violation.ts';

/**
 * `POST /api/guardrails/check` apart from HTTP (nodeloom-api.md 3.8): applies the documented
 * defaults, runs the detectors, records the check for monitoring and, when an agent is named,
 * opens its guardrail session.
 *
 * Defaults: every detector off unless its flag is true; `injectionSensitivity` 0.7; `piiTypes` and
 * `contentCategories` all; `onViolation` BLOCKED. `redactedContent` is a string exactly when
 * `redactPii` is true (the text with each finding replaced; the text itself when nothing was
 * found), otherwise null. `guardrailSessionId` is a string exactly when `agentName` is a non-empty
 * string, otherwise null.
 */

/** Default `injectionSensitivity` (3.8). */
export const DEFAULT_INJECTION_SENSITIVITY = 0.7;

/** The detector settings of a validated body, defaults applied; the team's rules only when asked for. */
export function optionsOf(state: SandboxState, teamId: string, body: CheckBody): GuardrailOptions {
  return {
    redactPii: body.redactPii === true,
    piiTypes: body.piiTypes ?? new Set(PII_TYPES),
    detectPromptInjection: body.detectPromptInjection === true,
    injectionSensitivity: body.injectionSensitivity ?? DEFAULT_INJECTION_SENSITIVITY,
    filterContent: body.filterContent === true,
    contentCategories: body.contentCategories ?? new Set(CONTENT_CATEGORIES),
    validateSchema: body.validateSchema === true,
    jsonSchema: body.jsonSchema,
    applyCustomRules: body.applyCustomRules === true,
    customRules: body.applyCustomRules === true ? teamRules(state, teamId) : [],
    detectSemanticManipulation: body.detectSemanticManipulation === true,
    onViolation: body.onViolation ?? 'BLOCKED',
  };
}

/**
 * Runs a check for a team and records it.
 * @returns the response body and the id of the recorded check
 */
export async function checkGuardrails(
  state: SandboxState,
  teamId: string,
  principal: Principal,
  body: CheckBody,
): Promise<{ response: GuardrailCheckResponse; checkId: string }> {
  const options = optionsOf(state, teamId, body);
  const outcome = await runGuardrails(body.text, options);
  const agentName = body.agentName ? body.agentName : null;
  const checkId = state.ids.uuid();
  const session = agentName ? await openGuardrailSession(state, { teamId, agentName, checkId, passed: outcome.passed }) : null;
  await recordGuardrailCheck(state, {
    id: checkId,
    teamId,
    agentName,
    principal: principalLabel(principal),
    checksRun: outcome.checks.map((c) => c.type),
    typesFound: [...new Set(outcome.findings.map((f) => f.type))],
    rulesFound: [...new Set(outcome.findings.map((f) => f.details.rule))],
    violationCount: outcome.findings.length,
    passed: outcome.passed,
    onViolation: options.onViolation,
    textLength: body.text.length,
    guardrailSessionId: session?.id ?? null,
  });
  return {
    checkId,
    response: {
      passed: outcome.passed,
      violations: outcome.violations,
      redactedContent: outcome.redactedContent,
      checks: outcome.checks,
      guardrailSessionId: session?.id ?? null,
    },
  };
}
