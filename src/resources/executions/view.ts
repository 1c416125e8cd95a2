import { storedIsoToMs } from './iso-instant.ts';
import type { ExecutionRecord, ExecutionStatus, PlannedNode } from './records.ts';
import { reportedNodeExecution, sdkTraceView } from './reported.ts';

/**
 * Derives what a client sees of an execution at a sandbox time (design.md "Time": status is
 * computed from `createdAt`/`startedAt + durationMs` on read, not by timers). Shapes follow
 * nodeloom-api.md 3.3: ExecutionSummary, and the union of both documented ExecutionDetail variants.
 * Executions reported by SDK traces (`record.sdk`) are the exception: their status and end are
 * what telemetry reported (reported.ts), and their detail adds an `sdkTrace` block.
 */

/** NodeExecution status: the execution statuses plus SKIPPED ([INF] 3.3). */
export type NodeStatus = ExecutionStatus | 'SKIPPED';

const ms = storedIsoToMs;
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The status of an execution at `now` (epoch ms). */
export function statusAt(record: ExecutionRecord, now: number): ExecutionStatus {
  if (record.cancelledAt !== null) return 'CANCELLED';
  if (record.sdk) return record.sdk.status; // reported by telemetry, not planned (reported.ts)
  const started = ms(record.startedAt);
  if (now < started) return 'PENDING';
  if (now < started + record.durationMs) return 'RUNNING';
  return record.outcome;
}

/** Whether the execution has reached a final status at `now` (cancel answers 409 then). */
export function isFinished(record: ExecutionRecord, now: number): boolean {
  const status = statusAt(record, now);
  return status !== 'PENDING' && status !== 'RUNNING';
}

/** When the execution finished (ISO-8601), or null while it is PENDING or RUNNING. */
export function finishedAtAt(record: ExecutionRecord, now: number): string | null {
  if (record.cancelledAt !== null) return record.cancelledAt;
  if (record.sdk) return record.sdk.finishedAt;
  const end = ms(record.startedAt) + record.durationMs;
  return now >= end ? iso(end) : null;
}

/** Milliseconds the execution has run so far (or in total once finished). */
function elapsedMs(record: ExecutionRecord, now: number): number {
  if (record.sdk) return record.durationMs; // as far as spans and trace_end have reported
  const started = ms(record.startedAt);
  const stop = record.cancelledAt !== null ? Math.min(ms(record.cancelledAt), now) : now;
  return Math.max(0, Math.min(record.durationMs, stop - started));
}

/** Whether the run reached its planned start (a cancel while PENDING stops it before). */
function hasStarted(record: ExecutionRecord): boolean {
  if (record.sdk) return true;
  return record.cancelledAt === null || ms(record.cancelledAt) >= ms(record.startedAt);
}

/** ExecutionSummary (list item). */
export function toExecutionSummary(record: ExecutionRecord, now: number) {
  const status = statusAt(record, now);
  return {
    id: record.id,
    workflowId: record.workflowId,
    workflowName: record.workflowName,
    status,
    // Cancelled before it started: it never ran, so no startedAt ([INF] 3.3).
    startedAt: status === 'PENDING' || !hasStarted(record) ? null : record.startedAt,
    finishedAt: finishedAtAt(record, now),
    durationMs: status === 'PENDING' ? 0 : elapsedMs(record, now),
    triggerType: record.triggerType,
    nodeCount: record.nodes.length,
    errorMessage: status === 'FAILED' ? record.errorMessage : null,
  };
}

/** One NodeExecution as it stands at `now`. */
function toNodeExecution(record: ExecutionRecord, node: PlannedNode, now: number) {
  if (record.sdk) return reportedNodeExecution(record, node);
  const runStart = ms(record.startedAt) + node.offsetMs;
  const runEnd = runStart + node.durationMs;
  const cancelledAt = record.cancelledAt === null ? Infinity : ms(record.cancelledAt);
  const at = Math.min(now, cancelledAt);
  let status: NodeStatus;
  if (at >= runEnd) status = node.outcome;
  else if (at >= runStart) status = record.cancelledAt !== null && now >= cancelledAt ? 'CANCELLED' : 'RUNNING';
  else status = record.cancelledAt !== null && now >= cancelledAt ? 'SKIPPED' : 'PENDING';
  const done = status === 'SUCCESS' || status === 'FAILED';
  return {
    nodeId: node.nodeId,
    nodeName: node.nodeName,
    nodeType: node.nodeType,
    status,
    startedAt: at >= runStart && node.outcome !== 'SKIPPED' ? iso(runStart) : null,
    finishedAt: done ? iso(runEnd) : status === 'CANCELLED' ? record.cancelledAt : null,
    durationMs: done ? node.durationMs : 0,
    input: at >= runStart && node.outcome !== 'SKIPPED' ? node.input : null,
    output: done ? node.output : null,
    errorMessage: status === 'FAILED' ? node.errorMessage : null,
  };
}

/**
 * ExecutionDetail: the union of the documented v1 (`triggerType`, `startedAt`, `finishedAt`) and
 * v2 (`trigger`, `workflowVersion`, `inputData`, `outputData`, `createdAt`) shapes, with
 * `nodeExecutions` ([INF] nodeloom-api.md 3.3 and 4.3).
 */
export function toExecutionDetail(record: ExecutionRecord, now: number) {
  const summary = toExecutionSummary(record, now);
  return {
    ...summary,
    workflowVersion: record.workflowVersion,
    trigger: record.triggerType,
    inputData: record.inputData,
    outputData: summary.status === 'SUCCESS' ? record.outputData : null,
    createdAt: record.createdAt,
    nodeExecutions: record.nodes.map((node) => toNodeExecution(record, node, now)),
    ...(record.sdk && { sdkTrace: sdkTraceView(record) }),
  };
}
