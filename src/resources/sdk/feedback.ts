import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import type { SdkFeedbackRecord } from './records.ts';
import { resolveExecution } from './traces.ts';

/**
 * Feedback on executions (nodeloom-api.md 3.11.3 `POST`/`GET /api/sdk/v1/feedback`; [INF] 201 and
 * a Page). Telemetry `feedback` events land in the same table (telemetry.ts).
 */

/** `POST /api/sdk/v1/feedback` body (3.11.3). */
export const feedbackBody = z.object({
  execution_id: z.string({ error: 'execution_id is required: the execution (or SDK trace id) the feedback is about.' }).min(1, 'execution_id must not be empty.'),
  rating: z.number({ error: 'rating is required and must be an integer, e.g. 1–5.' }).int('rating must be an integer, e.g. 1–5.'),
  comment: z.string().nullish(),
  tags: z.record(z.string(), z.string(), { error: 'tags must be an object of string values.' }).nullish(),
  trace_id: z.string().nullish(),
  span_id: z.string().nullish(),
  user_identifier: z.string().nullish(),
});
export type FeedbackBody = z.output<typeof feedbackBody>;

/**
 * Stores feedback for an execution of the team.
 * @throws HttpError 404 when `execution_id` names no execution or trace of the team
 */
export async function createFeedback(state: SandboxState, teamId: string, body: FeedbackBody): Promise<SdkFeedbackRecord> {
  const execution = resolveExecution(state, teamId, body.execution_id);
  if (!execution) throw new HttpError(404, `Execution ${body.execution_id} not found in your team: send the id of an execution (GET /api/executions) or the trace_id of an SDK trace.`);
  return state.db.sdkFeedback.insert({
    id: state.ids.uuid(),
    teamId,
    executionId: execution.id,
    traceId: body.trace_id ?? execution.sdk?.traceId ?? null,
    spanId: body.span_id ?? null,
    rating: body.rating,
    comment: body.comment ?? null,
    tags: body.tags ?? {},
    userIdentifier: body.user_identifier ?? null,
    source: 'API',
    createdAt: state.clock.iso(),
  });
}

/**
 * The team's feedback, newest first, optionally of one execution (by execution id or trace id).
 * An unknown `execution_id` gives an empty list, as a filter that matches nothing.
 */
export function listFeedback(state: SandboxState, teamId: string, executionId?: string): SdkFeedbackRecord[] {
  const execution = executionId === undefined ? undefined : resolveExecution(state, teamId, executionId);
  if (executionId !== undefined && !execution) return [];
  const matches = state.db.sdkFeedback.filter((f) => f.teamId === teamId && (execution === undefined || f.executionId === execution.id));
  return matches.reverse(); // stored oldest first
}

/** Feedback as `/api/sdk/v1` answers it (snake_case, 1.3). */
export function toFeedbackView(record: SdkFeedbackRecord) {
  return {
    id: record.id,
    execution_id: record.executionId,
    trace_id: record.traceId,
    span_id: record.spanId,
    rating: record.rating,
    comment: record.comment,
    tags: record.tags,
    user_identifier: record.userIdentifier,
    source: record.source.toLowerCase(),
    created_at: record.createdAt,
  };
}
