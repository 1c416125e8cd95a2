import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from './iso-instant.ts';
import type { ExecutionRecord } from './records.ts';
import type { ExecutionFilter } from './schema.ts';
import { statusAt } from './view.ts';

/**
 * Execution logic apart from HTTP (nodeloom-api.md 3.3): the filtered, newest-first list of a
 * team's executions and cancelling one. Statuses are derived from the clock on read (view.ts), so
 * every function takes the request's `now` once and uses it throughout.
 *
 * Sized for the `large` data set (100,000 executions, design.md): one pass over the collection
 * filters everything, only the matches are sorted, and nothing looks anything up per record.
 */

/** The execution with this id, or undefined (O(1) through the table's id index). */
export function findExecution(state: SandboxState, id: string): ExecutionRecord | undefined {
  return state.db.executions.get(id);
}

/**
 * The instant `from`/`to` bound: when the execution started, or when it was accepted if it has not
 * started (yet, or ever: cancelled while PENDING). [INF] 3.3 names the filters but not the field.
 */
function windowTime(record: ExecutionRecord, now: number): number {
  const started = storedIsoToMs(record.startedAt);
  const until = record.cancelledAt === null ? now : Math.min(now, storedIsoToMs(record.cancelledAt));
  return started <= until ? started : storedIsoToMs(record.createdAt);
}

/**
 * A team's executions matching `filter`, newest first (`createdAt` desc, then `id` desc, so equal
 * times still page stably; 1.6 [INF] "default sort newest-first").
 * @param teamId the team the pipeline resolved (the caller is a member)
 * @param filter status (derived at `now`), workflow id and inclusive `[from, to]` in epoch ms
 * @param now sandbox time of the request, epoch ms
 * @returns stored records (read-only), every match, not one page
 */
export function listTeamExecutions(
  state: SandboxState,
  teamId: string,
  filter: ExecutionFilter,
  now: number,
): ExecutionRecord[] {
  const { status, workflowId, from, to } = filter;
  const windowed = from !== undefined || to !== undefined;
  const matches: Array<{ record: ExecutionRecord; created: number }> = [];
  for (const record of state.db.executions.all()) {
    if (record.teamId !== teamId) continue;
    if (workflowId !== undefined && record.workflowId !== workflowId) continue;
    if (status !== undefined && statusAt(record, now) !== status) continue;
    if (windowed) {
      const time = windowTime(record, now);
      if ((from !== undefined && time < from) || (to !== undefined && time > to)) continue;
    }
    // Parsed once here rather than in the comparator (n parses instead of n log n), and numeric
    // so timestamps written with other ISO precisions still order correctly.
    matches.push({ record, created: storedIsoToMs(record.createdAt) });
  }
  // V8's TimSort finds an already ordered run in O(n); seeded data is stored oldest first.
  matches.sort((a, b) => b.created - a.created || (a.record.id < b.record.id ? 1 : a.record.id > b.record.id ? -1 : 0));
  return matches.map((match) => match.record);
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
