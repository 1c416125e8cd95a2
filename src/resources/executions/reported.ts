import { storedIsoToMs } from './iso-instant.ts';
import type { ExecutionRecord, PlannedNode } from './records.ts';

/**
 * The "reported" execution mode: executions made from SDK traces (nodeloom-api.md 3.11.1, DOC
 * D-SDKO "trace → Execution, span → node execution"). A planned execution's status comes from the
 * clock (view.ts); a reported one's comes from telemetry: RUNNING until `trace_end` arrives, then
 * SUCCESS or FAILED, whatever the sandbox clock says (the client's clock wrote the timestamps, so
 * comparing them with the sandbox clock would be meaningless). Its nodes are spans, which the SDKs
 * send once they have ended, so each node shows its reported outcome and times.
 *
 * Stored shape ([INF]): `record.sdk` holds the trace (status, finishedAt, agent, environment...),
 * `startedAt` is the `trace_start` timestamp, `createdAt` when the sandbox received it,
 * `durationMs` the reported run time so far (latest span end, or `trace_end`, minus the start),
 * and each node's `offsetMs`/`durationMs` place the span relative to `startedAt`.
 */

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * One NodeExecution of a reported execution: the span as reported. Adds the span's
 * `parentNodeId` (its `parent_span_id`), `spanType`, `tokenUsage` and prompt fields to the
 * documented NodeExecution fields.
 */
export function reportedNodeExecution(record: ExecutionRecord, node: PlannedNode) {
  const start = storedIsoToMs(record.startedAt) + node.offsetMs;
  const span = node.span;
  return {
    nodeId: node.nodeId,
    nodeName: node.nodeName,
    nodeType: node.nodeType,
    status: node.outcome,
    startedAt: iso(start),
    finishedAt: iso(start + node.durationMs),
    durationMs: node.durationMs,
    input: node.input,
    output: node.output,
    errorMessage: node.outcome === 'FAILED' ? node.errorMessage : null,
    parentNodeId: span?.parentSpanId ?? null,
    spanType: span?.spanType ?? null,
    tokenUsage: span?.tokenUsage ?? null,
    promptTemplate: span?.promptTemplate ?? null,
    promptVersion: span?.promptVersion ?? null,
  };
}

/** Token totals of a reported execution: the sum over its spans' `token_usage`. */
export function reportedTokenTotals(record: ExecutionRecord): { inputTokens: number; outputTokens: number; totalTokens: number } {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const node of record.nodes) {
    const usage = node.span?.tokenUsage;
    if (!usage) continue;
    inputTokens += usage.promptTokens;
    outputTokens += usage.completionTokens;
  }
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/**
 * The `sdkTrace` block an ExecutionDetail of a reported execution carries ([INF] 3.3: "further
 * fields truncated"): the trace id, agent and SDK facts, warnings (a SOFT guardrail policy without a
 * live guardrail session, 3.11.1) and the trace's token totals.
 */
export function sdkTraceView(record: ExecutionRecord) {
  const sdk = record.sdk!;
  return {
    traceId: sdk.traceId,
    agentName: sdk.agentName,
    agentVersion: sdk.agentVersion,
    environment: sdk.environment,
    sessionId: sdk.sessionId,
    framework: sdk.framework,
    frameworkVersion: sdk.frameworkVersion,
    sdkLanguage: sdk.sdkLanguage,
    sdkVersion: sdk.sdkVersion,
    metadata: sdk.metadata,
    guardrailSessionId: sdk.guardrailSessionId,
    warnings: sdk.warnings,
    tokenUsage: reportedTokenTotals(record),
  };
}
