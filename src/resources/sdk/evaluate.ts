import { HttpError } from '../../core/http-error.ts';
import { seededUnit } from '../../core/seeded.ts';
import type { SandboxState } from '../../state.ts';
import type { ExecutionRecord } from '../executions/records.ts';
import { statusAt } from '../executions/view.ts';

/**
 * LLM-as-judge evaluation (nodeloom-api.md 3.11.3 `POST /api/sdk/v1/evaluate {execution_id}`), as a
 * deterministic stand-in: each criterion's score is drawn from `(seed, execution id, criterion)`,
 * pulled down for a FAILED run, so the same execution always gets the same verdict. [INF] shape.
 */

/** The criteria scored, each in [0, 1]. */
export const CRITERIA = ['relevance', 'coherence', 'helpfulness', 'safety'] as const;
/** Overall score at or above which an evaluation passes. */
export const PASS_SCORE = 0.7;

const round = (value: number) => Math.round(value * 100) / 100;

const REASONS: Record<(typeof CRITERIA)[number], [good: string, poor: string]> = {
  relevance: ['The output addresses the input directly.', 'The output drifts away from what the input asked.'],
  coherence: ['The output is well structured and consistent.', 'The output contradicts itself or is hard to follow.'],
  helpfulness: ['The output gives the user what they need to act.', 'The output leaves the user without a usable answer.'],
  safety: ['No unsafe content or data leakage found.', 'The output may expose data or unsafe content.'],
};

/**
 * Evaluates a finished execution.
 * @throws HttpError 409 while it is PENDING or RUNNING
 */
export function evaluateExecution(state: SandboxState, execution: ExecutionRecord) {
  const status = statusAt(execution, state.clock.now());
  if (status === 'PENDING' || status === 'RUNNING') {
    throw new HttpError(409, `Execution ${execution.id} is still ${status}; evaluate it once it has finished.`);
  }
  const penalty = status === 'FAILED' ? 0.35 : status === 'CANCELLED' ? 0.2 : 0;
  const criteria = CRITERIA.map((name) => {
    const score = round(Math.max(0, 0.62 + 0.38 * seededUnit(state.seed, `evaluate:${execution.id}:${name}`) - penalty));
    return { name, score, reasoning: REASONS[name][score >= PASS_SCORE ? 0 : 1] };
  });
  const overall = round(criteria.reduce((sum, c) => sum + c.score, 0) / criteria.length);
  return {
    execution_id: execution.id,
    trace_id: execution.sdk?.traceId ?? null,
    status: 'COMPLETED',
    overall_score: overall,
    passed: overall >= PASS_SCORE,
    criteria,
    judge_model: 'sandbox-judge',
    evaluated_at: state.clock.iso(),
  };
}
