import type { SandboxState } from '../../state.ts';
import type { ExecutionRecord } from '../executions/records.ts';
import { findLiveGuardrailSession } from '../guardrails/sessions.ts';
import { agentControlPayload, findAgent, haltOf, teamControlPayload, type AgentControlPayload } from './control.ts';
import { parseTelemetryEvent, type TelemetryEvent } from './telemetry-events.ts';
import { endTrace, ensureAgentWorkflow, findTrace, recordSpan, startTrace } from './traces.ts';

/**
 * One telemetry batch (nodeloom-api.md 3.11.1): every event is validated and applied on its own,
 * in order, so the answer counts what was accepted and says why each other event was rejected.
 *
 * Rules per event, after validation (telemetry-events.ts):
 * - an event of a halted agent or team is rejected with the halt reason ([INF] 3.11.1 "agent halted");
 * - `trace_start`: under `require_guardrails: HARD` it needs a live `guardrail_session_id` of that
 *   agent (guardrails/sessions.ts); under SOFT it is accepted with a warning stored on the trace;
 *   the same trace id sent again by the same agent (a retried batch) is accepted and changes nothing;
 * - `span`, `trace_end`, `feedback` and any event naming a `trace_id` need that trace's
 *   `trace_start` first (in this batch or an earlier one);
 * - `event` and `metric` without a `trace_id` belong to the team, not to an agent.
 */

/** What the route answers with HTTP 200 (3.11.1 response, 5.4). */
export interface BatchAnswer {
  accepted: number;
  rejected: number;
  errors: Array<{ index: number; error: string }>;
  control: AgentControlPayload;
}

/** Who sent the batch and what it declared. */
export interface BatchContext {
  teamId: string;
  /** The acting user's id (the token's creator), recorded as the virtual workflows' creator. */
  actorId: string | null;
  sdkVersion: string | null;
  sdkLanguage: string | null;
}

/** Thrown while applying an event, with its rejection reason. */
class Rejected extends Error {}

/**
 * Validates and applies a batch's events in order.
 * @param events the batch's `events` (at most 100; the route checks the array)
 * @returns the counts, the errors by index, and the control payload: of the agent of the last
 *   `trace_start` in the batch (else of the last event tied to an agent), or the team-wide payload
 *   when none is or while the team is halted ([INF] 3.11.1)
 */
export async function ingestBatch(state: SandboxState, context: BatchContext, events: readonly unknown[]): Promise<BatchAnswer> {
  const errors: BatchAnswer['errors'] = [];
  let lastStarted: string | null = null;
  const seen = { agent: null as string | null };
  for (let index = 0; index < events.length; index += 1) {
    const parsed = parseTelemetryEvent(events[index]);
    if ('error' in parsed) {
      errors.push({ index, error: parsed.error });
      continue;
    }
    const event = parsed.event;
    if (event.type === 'trace_start') lastStarted = event.agentName;
    try {
      await applyEvent(state, context, event, seen);
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      errors.push({ index, error: error.message });
    }
  }
  const controlAgent = lastStarted ?? seen.agent;
  const teamHalted = haltOf(state, context.teamId, null) !== null;
  const control = controlAgent === null || teamHalted ? teamControlPayload(state, context.teamId) : agentControlPayload(state, context.teamId, controlAgent);
  return { accepted: events.length - errors.length, rejected: errors.length, errors, control };
}

/** Refuses the event while its agent (or, for `agentName` null, the team) is halted. */
function refuseIfHalted(state: SandboxState, teamId: string, agentName: string | null): void {
  const halt = haltOf(state, teamId, agentName);
  if (!halt) return;
  const who = halt.source === 'team' ? 'the team is halted' : `agent "${agentName}" is halted`;
  throw new Rejected(`agent halted: ${who}${halt.reason ? ` (${halt.reason})` : ''}; resume it to send telemetry again`);
}

/** The execution of the trace an event names, or a rejection when its trace_start never arrived. */
function traceOf(state: SandboxState, teamId: string, traceId: string): ExecutionRecord {
  const execution = findTrace(state, teamId, traceId);
  if (!execution) throw new Rejected(`unknown trace_id "${traceId}": send the trace's trace_start first (or it was rejected)`);
  return execution;
}

/**
 * Applies one valid event.
 * @param seen set to the event's agent as soon as it is known (also when the event is then refused)
 * @throws Rejected with the reason the event is refused
 */
async function applyEvent(state: SandboxState, context: BatchContext, event: TelemetryEvent, seen: { agent: string | null }): Promise<void> {
  const { teamId } = context;
  const now = state.clock.iso();
  if (event.type === 'trace_start') {
    refuseIfHalted(state, teamId, event.agentName);
    const existing = findTrace(state, teamId, event.traceId);
    if (existing) {
      if (existing.sdk?.agentName === event.agentName) return; // a retried batch
      throw new Rejected(`duplicate trace_id "${event.traceId}": it already belongs to agent "${existing.sdk?.agentName}"`);
    }
    const warnings = guardrailPolicy(state, teamId, event);
    const { agent, workflow } = await ensureAgentWorkflow(state, teamId, event.agentName, context.actorId);
    await startTrace(state, workflow, event, context, warnings);
    await state.db.sdkAgents.update(agent.id, { lastSeenAt: now });
    return;
  }
  const traceId = event.traceId;
  const execution = traceId === null ? null : traceOf(state, teamId, traceId);
  const agentName = execution?.sdk?.agentName ?? null;
  if (agentName !== null) seen.agent = agentName;
  refuseIfHalted(state, teamId, agentName);
  const link = { teamId, executionId: execution?.id ?? null, traceId, agentName };
  switch (event.type) {
    case 'span':
      await recordSpan(state, execution!, event);
      break;
    case 'trace_end':
      await endTrace(state, execution!, event);
      break;
    case 'event':
      await state.db.sdkEvents.insert({ id: state.ids.uuid(), ...link, name: event.name, level: event.level, data: event.data, timestamp: iso(event.timestamp), receivedAt: now });
      break;
    case 'metric':
      await state.db.sdkMetrics.insert({
        id: state.ids.uuid(),
        ...link,
        name: event.name,
        value: event.value,
        unit: event.unit,
        tags: event.tags,
        timestamp: iso(event.timestamp),
        receivedAt: now,
      });
      break;
    case 'feedback':
      await state.db.sdkFeedback.insert({
        id: state.ids.uuid(),
        teamId,
        executionId: execution!.id,
        traceId,
        spanId: null,
        rating: event.rating,
        comment: event.comment,
        tags: {},
        userIdentifier: null,
        source: 'TELEMETRY',
        createdAt: iso(event.timestamp),
      });
      break;
  }
}

/**
 * The agent's `require_guardrails` policy for a `trace_start` (3.11.1 [INF]).
 * @returns warnings to store on the trace (SOFT without a live session)
 * @throws Rejected under HARD without a live guardrail session of that agent
 */
function guardrailPolicy(state: SandboxState, teamId: string, event: Extract<TelemetryEvent, { type: 'trace_start' }>): string[] {
  const policy = findAgent(state, teamId, event.agentName)?.requireGuardrails ?? 'OFF';
  if (policy === 'OFF') return [];
  const sessionId = event.guardrailSessionId;
  if (sessionId !== null && findLiveGuardrailSession(state, teamId, event.agentName, sessionId)) return [];
  const problem =
    sessionId === null
      ? 'the trace_start carried no guardrail_session_id'
      : `guardrail_session_id "${sessionId}" is not a live guardrail session of agent "${event.agentName}" (unknown, expired or bound to another agent)`;
  const fix = `call POST /api/guardrails/check with "agentName": "${event.agentName}" first (the SDKs then attach its guardrailSessionId)`;
  if (policy === 'HARD') throw new Rejected(`guardrails required (HARD): ${problem}; ${fix}`);
  return [`require_guardrails is SOFT and ${problem}; accepted without a guardrail check (${fix}).`];
}

const iso = (ms: number) => new Date(ms).toISOString();
