import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { executionIndex, queryExecutions, type ExecutionList } from './execution-index.ts';
import type { ExecutionRecord } from './records.ts';
import type { ExecutionFilter } from './schema.ts';
import { statusAt } from './view.ts';

/**
 * Execution logic apart from HTTP (nodeloom-api.md 3.3): the filtered, newest-first list of a
 * team's executions and cancelling one. Statuses are derived from the clock on read (view.ts), so
 * every function takes the request's `now` once and uses it throughout.
 *
 * Sized for the `large` data set (100,000 executions, design.md): lists go through the team/time
 * index (execution-index.ts), details through the table's id index.
 */

/** The execution with this id, or undefined (O(1) through the table's id index). */
export function findExecution(state: SandboxState, id: string): ExecutionRecord | undefined {
  return state.db.executions.get(id);
}

/**
 * A team's executions matching `filter`, newest first (`createdAt` desc, then `id` desc, so equal
 * times still page stably; 1.6 [INF] "default sort newest-first"), through the team/time index
 * (execution-index.ts): a page of the `large` data set's 100,000 executions costs about what it
 * costs on the default data set.
 * @param teamId the team the pipeline resolved (the caller is a member)
 * @param filter status (derived at `now`), workflow id and inclusive `[from, to]` in epoch ms
 * @param now sandbox time of the request, epoch ms
 * @returns the matches, read by position (stored records, read-only); read before the next write
 */
export function listTeamExecutions(state: SandboxState, teamId: string, filter: ExecutionFilter, now: number): ExecutionList {
  return queryExecutions(state.db.executions.derived(executionIndex), teamId, filter, now);
}

/**
 * Cancels a PENDING or RUNNING execution: sets `cancelledAt` to the clock time, after which it
 * reads CANCELLED for good (records.ts). Path and shape are [INF] nodeloom-api.md 3.3 #3.
 * @param record the execution, already scoped to the caller's team by the pipeline
 * @param now sandbox time of the request, epoch ms
 * @returns the updated record
 * @throws HttpError 409 when the execution already finished or was cancelled (1.4 [INF])
 */
export async function cancelExecution(state: SandboxState, record: ExecutionRecord, now: number): Promise<ExecutionRecord> {
  const status = statusAt(record, now);
  if (status !== 'PENDING' && status !== 'RUNNING') {
    const verb = status === 'CANCELLED' ? 'was already cancelled' : `already finished with status ${status}`;
    throw new HttpError(409, `Execution ${record.id} ${verb}; only PENDING or RUNNING executions can be cancelled.`);
  }
  const updated = await state.db.executions.update(record.id, { cancelledAt: new Date(now).toISOString() });
  // The pipeline loaded the record a moment ago; a vanished one means it was deleted in between.
  if (!updated) throw new HttpError(404, `Execution ${record.id} not found.`);
  return updated;
}
