import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import type { ExecutionRecord, PlannedNode } from '../executions/records.ts';
import type { WorkflowRecord } from '../workflows/records.ts';
import { ensureAgentRecord } from './control.ts';
import { traceKey, type SdkAgentRecord } from './records.ts';
import type { TelemetryEvent } from './telemetry-events.ts';

/**
 * Telemetry becomes dashboard data (nodeloom-api.md 3.11.1, DOC D-SDKO): each agent name gets a
 * virtual workflow, each trace an execution (triggerType `SDK`, in the reported mode of
 * `executions/reported.ts`), each span a node execution, in start-time order.
 */

type Event<T extends TelemetryEvent['type']> = Extract<TelemetryEvent, { type: T }>;

/** The description that marks a virtual workflow (`GET /api/workflows` lists it like any other). */
export function virtualWorkflowDescription(agentName: string): string {
  return `Virtual workflow of the SDK agent "${agentName}", created from its telemetry; its executions are the agent's traces (triggerType SDK).`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The agent's record and virtual workflow, created on first use (also again when the workflow
 * was deleted: the next trace gets a new one).
 * @param createdBy the acting user's id (the token's creator)
 */
export async function ensureAgentWorkflow(
  state: SandboxState,
  teamId: string,
  agentName: string,
  createdBy: string | null,
): Promise<{ agent: SdkAgentRecord; workflow: WorkflowRecord }> {
  let agent = await ensureAgentRecord(state, teamId, agentName);
  const existing = agent.workflowId === null ? undefined : state.db.workflows.get(agent.workflowId);
  if (existing) return { agent, workflow: existing };
  const now = state.clock.iso();
  const workflow = await state.db.workflows.insert({
    id: state.ids.uuid(),
    teamId,
    name: agentName,
    description: virtualWorkflowDescription(agentName),
    active: true,
    nodes: [],
    edges: [],
    version: 1,
    createdBy,
    createdAt: now,
    updatedAt: now,
    lastExecutionId: null,
  });
  agent = (await state.db.sdkAgents.update(agent.id, { workflowId: workflow.id }))!;
  return { agent, workflow };
}

/** The execution of a team's trace, or undefined (O(1) through the `sdkTraces` index). */
export function findTrace(state: SandboxState, teamId: string, traceId: string): ExecutionRecord | undefined {
  const entry = state.db.sdkTraces.get(traceKey(teamId, traceId));
  return entry ? state.db.executions.get(entry.executionId) : undefined;
}

/**
 * Creates the execution of a `trace_start`: RUNNING, `startedAt` the event's time, `createdAt`
 * the sandbox time it arrived; the workflow's last execution becomes it.
 * @param batch the batch's `sdk_version` / `sdk_language`
 * @param warnings stored on the trace (e.g. a SOFT guardrail policy without a live session)
 */
export async function startTrace(
  state: SandboxState,
  workflow: WorkflowRecord,
  event: Event<'trace_start'>,
  batch: { sdkVersion: string | null; sdkLanguage: string | null },
  warnings: string[],
): Promise<ExecutionRecord> {
  const execution = await state.db.executions.insert({
    id: state.ids.uuid(),
    teamId: workflow.teamId,
    workflowId: workflow.id,
    workflowName: workflow.name,
    workflowVersion: workflow.version,
    triggerType: 'SDK',
    createdAt: state.clock.iso(),
    startedAt: iso(event.timestamp),
    durationMs: 0,
    outcome: 'SUCCESS', // not read while `sdk` is set: sdk.status is
    inputData: event.input ?? {},
    outputData: null,
    errorMessage: null,
    nodes: [],
    cancelledAt: null,
    sdk: {
      traceId: event.traceId,
      agentName: event.agentName,
      status: 'RUNNING',
      finishedAt: null,
      agentVersion: event.agentVersion,
      environment: event.environment,
      sessionId: event.sessionId,
      framework: event.framework,
      frameworkVersion: event.frameworkVersion,
      sdkLanguage: event.sdkLanguage ?? batch.sdkLanguage,
      sdkVersion: batch.sdkVersion,
      metadata: event.metadata,
      guardrailSessionId: event.guardrailSessionId,
      warnings,
    },
  });
  await state.db.sdkTraces.insert({ id: traceKey(workflow.teamId, event.traceId), teamId: workflow.teamId, traceId: event.traceId, executionId: execution.id, agentName: event.agentName });
  await state.db.workflows.update(workflow.id, { lastExecutionId: execution.id });
  return execution;
}

/**
 * Adds (or, for a span id sent again by a retried batch, replaces) a span as a node execution.
 * Nodes stay ordered by start time; while the trace runs, its duration grows to the latest span end.
 */
export async function recordSpan(state: SandboxState, execution: ExecutionRecord, event: Event<'span'>): Promise<ExecutionRecord> {
  const started = storedIsoToMs(execution.startedAt);
  const node: PlannedNode = {
    nodeId: event.spanId,
    nodeName: event.name,
    nodeType: event.spanType.toUpperCase(),
    offsetMs: event.timestamp - started,
    durationMs: event.endTimestamp - event.timestamp,
    outcome: event.status === 'error' ? 'FAILED' : 'SUCCESS',
    input: event.input,
    output: event.output,
    errorMessage: event.error ?? (event.status === 'error' ? 'The span ended with status error.' : null),
    span: {
      parentSpanId: event.parentSpanId,
      spanType: event.spanType,
      tokenUsage: event.tokenUsage,
      promptTemplate: event.promptTemplate,
      promptVersion: event.promptVersion,
    },
  };
  const nodes = execution.nodes.filter((n) => n.nodeId !== node.nodeId);
  const at = nodes.findIndex((n) => n.offsetMs > node.offsetMs);
  nodes.splice(at === -1 ? nodes.length : at, 0, node);
  const running = execution.sdk?.status === 'RUNNING';
  const durationMs = running ? Math.max(execution.durationMs, node.offsetMs + node.durationMs) : execution.durationMs;
  return (await state.db.executions.update(execution.id, { nodes, durationMs }))!;
}

/**
 * Ends a trace: SUCCESS or FAILED as reported, `finishedAt` the event's time, the output and error
 * stored. A trace ended again (a retried batch) takes the latest report.
 */
export async function endTrace(state: SandboxState, execution: ExecutionRecord, event: Event<'trace_end'>): Promise<ExecutionRecord> {
  const failed = event.status === 'error';
  return (await state.db.executions.update(execution.id, {
    sdk: { ...execution.sdk!, status: failed ? 'FAILED' : 'SUCCESS', finishedAt: iso(event.timestamp) },
    outcome: failed ? 'FAILED' : 'SUCCESS',
    durationMs: Math.max(0, event.timestamp - storedIsoToMs(execution.startedAt)),
    outputData: event.output ?? {},
    errorMessage: failed ? (event.error ?? 'The trace ended with status error.') : null,
  }))!;
}

/**
 * The team's execution an SDK call names by `execution_id`: an execution id, or ([INF] 3.11.3) the
 * trace id of an SDK trace, since SDK code knows its trace ids rather than execution ids.
 * @returns undefined for an unknown id or another team's execution
 */
export function resolveExecution(state: SandboxState, teamId: string, id: string): ExecutionRecord | undefined {
  const byId = state.db.executions.get(id);
  if (byId && byId.teamId === teamId) return byId;
  return findTrace(state, teamId, id);
}
