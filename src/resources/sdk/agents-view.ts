import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import type { ExecutionRecord, ExecutionStatus } from '../executions/records.ts';
import { reportedTokenTotals } from '../executions/reported.ts';
import { statusAt, toExecutionDetail, toExecutionSummary } from '../executions/view.ts';
import { agentControlPayload, findAgent } from './control.ts';
import type { SdkAgentRecord } from './records.ts';
import { findTrace } from './traces.ts';

/**
 * Dashboard views of SDK agents and their traces ([INF] nodeloom-api.md 3.11.4 data views),
 * camelCase like the rest of the dashboard API (1.3).
 */

/** Trace statistics of one agent. */
interface AgentStats {
  traceCount: number;
  runningCount: number;
  lastTraceAt: string | null;
  lastTraceStatus: ExecutionStatus | null;
}

/** Every agent's trace statistics, in one pass over the team's executions. */
function statsByAgent(state: SandboxState, teamId: string): Map<string, AgentStats> {
  const now = state.clock.now();
  const stats = new Map<string, AgentStats & { last: number }>();
  for (const record of state.db.executions.all()) {
    if (record.teamId !== teamId || !record.sdk) continue;
    let entry = stats.get(record.sdk.agentName);
    if (!entry) stats.set(record.sdk.agentName, (entry = { traceCount: 0, runningCount: 0, lastTraceAt: null, lastTraceStatus: null, last: -Infinity }));
    const status = statusAt(record, now);
    entry.traceCount += 1;
    if (status === 'RUNNING') entry.runningCount += 1;
    const created = storedIsoToMs(record.createdAt);
    if (created >= entry.last) [entry.last, entry.lastTraceAt, entry.lastTraceStatus] = [created, record.createdAt, status];
  }
  return stats;
}

/** One agent for the dashboard: its control state as the SDKs see it, its virtual workflow and its traces' statistics. */
function toAgentView(state: SandboxState, agent: SdkAgentRecord, stats: AgentStats | undefined) {
  const control = agentControlPayload(state, agent.teamId, agent.agentName);
  return {
    agentName: agent.agentName,
    workflowId: agent.workflowId,
    halted: control.halted,
    haltSource: control.halt_source,
    haltReason: control.halt_reason,
    haltedAt: control.halted_at,
    revision: control.revision,
    requireGuardrails: agent.requireGuardrails,
    guardrailSessionTtlSeconds: agent.guardrailSessionTtlSeconds,
    callbackUrl: agent.callbackUrl,
    createdAt: agent.createdAt,
    lastSeenAt: agent.lastSeenAt,
    traceCount: stats?.traceCount ?? 0,
    runningTraceCount: stats?.runningCount ?? 0,
    lastTraceAt: stats?.lastTraceAt ?? null,
    lastTraceStatus: stats?.lastTraceStatus ?? null,
  };
}

/** `GET /api/sdk/agents?teamId=`: the team's agents, most recently seen first. */
export function listAgents(state: SandboxState, teamId: string) {
  const stats = statsByAgent(state, teamId);
  return state.db.sdkAgents
    .filter((agent) => agent.teamId === teamId)
    .sort((a, b) => ((b.lastSeenAt ?? b.createdAt) > (a.lastSeenAt ?? a.createdAt) ? 1 : -1) || (a.agentName < b.agentName ? -1 : 1))
    .map((agent) => toAgentView(state, agent, stats.get(agent.agentName)));
}

/** One agent's view. @throws HttpError 404 for an agent the team never named */
export function agentView(state: SandboxState, teamId: string, agentName: string) {
  const agent = requireAgent(state, teamId, agentName);
  return toAgentView(state, agent, statsByAgent(state, teamId).get(agentName));
}

/** The team's agent by name. @throws HttpError 404 */
export function requireAgent(state: SandboxState, teamId: string, agentName: string): SdkAgentRecord {
  const agent = findAgent(state, teamId, agentName);
  if (!agent) throw new HttpError(404, `Agent "${agentName}" not found in this team: it appears once telemetry names it (POST /api/sdk/v1/telemetry) or it is halted.`);
  return agent;
}

/** A trace list item: the ExecutionSummary plus the trace id, environment, token totals and span count. */
export function toTraceSummary(record: ExecutionRecord, now: number) {
  return {
    ...toExecutionSummary(record, now),
    traceId: record.sdk!.traceId,
    agentName: record.sdk!.agentName,
    environment: record.sdk!.environment,
    spanCount: record.nodes.length,
    tokenUsage: reportedTokenTotals(record),
    warnings: record.sdk!.warnings,
  };
}

/** An agent's traces, newest first (`createdAt` desc), optionally of one status. */
export function agentTraces(state: SandboxState, teamId: string, agentName: string, status?: ExecutionStatus): ExecutionRecord[] {
  const now = state.clock.now();
  return state.db.executions
    .filter((r) => r.teamId === teamId && r.sdk?.agentName === agentName && (status === undefined || statusAt(r, now) === status))
    .sort((a, b) => storedIsoToMs(b.createdAt) - storedIsoToMs(a.createdAt) || (a.id < b.id ? 1 : -1));
}

/**
 * One trace in full: the ExecutionDetail (spans as nodeExecutions, `sdkTrace`) plus the events,
 * metrics and feedback telemetry tied to it.
 * @throws HttpError 404 for an unknown trace or one of another agent
 */
export function traceDetail(state: SandboxState, teamId: string, agentName: string, traceId: string) {
  const record = findTrace(state, teamId, traceId);
  if (!record || record.sdk?.agentName !== agentName) throw new HttpError(404, `Trace ${traceId} of agent "${agentName}" not found.`);
  const strip = <T extends { teamId: string }>({ teamId: _team, ...rest }: T) => rest;
  return {
    ...toExecutionDetail(record, state.clock.now()),
    events: state.db.sdkEvents.filter((e) => e.executionId === record.id).map(strip),
    metrics: state.db.sdkMetrics.filter((m) => m.executionId === record.id).map(strip),
    feedback: state.db.sdkFeedback.filter((f) => f.executionId === record.id).map(strip),
  };
}
