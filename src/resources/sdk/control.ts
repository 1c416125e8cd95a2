import type { SandboxState } from '../../state.ts';
import type { RequireGuardrails, SdkAgentRecord, SdkTeamControlRecord } from './records.ts';

/**
 * The agent control plane (nodeloom-api.md 3.11.2, 5.6): halts, resumes and guardrail policies,
 * and the AgentControlPayload every SDK parses.
 *
 * Revisions ([INF]; the SDKs only require "monotonic, composite of team and per-agent revision"):
 * each team keeps one sequence; every change to the team or one of its agents takes the next
 * number and stamps it on what changed. An agent's payload carries the larger of its own and its
 * team's stamp, so any change that affects an agent raises its revision, and a team payload's
 * revision is never below the team stamp the SDKs compare team-source payloads with.
 *
 * Which `halt_source` a payload carries, given how the SDKs merge payloads (TS `control.ts`, PY
 * `control.py`: only a payload with `halt_source: "team"` may set or clear their team-wide flag):
 * `team` while the team is halted; else `agent` while the agent is halted; else `team` (with
 * `halted: false`) once the team has ever been halted, so a team resume reaches every client;
 * else `none`.
 */

/** Default guardrail session TTL, seconds (3.11.2). */
export const DEFAULT_TTL_SECONDS = 300;
/** The TTL range the SDKs accept; outside it they fall back to 300 (5.6). */
export const TTL_RANGE = [1, 86_400] as const;

/** AgentControlPayload, snake_case as the SDKs parse it (3.11.2; `halted` a real boolean, `revision` an integer). */
export interface AgentControlPayload {
  agent_name: string | null;
  halted: boolean;
  halt_source: 'none' | 'agent' | 'team';
  halt_reason: string | null;
  halted_at: string | null;
  revision: number;
  require_guardrails: RequireGuardrails;
  guardrail_session_ttl_seconds: number;
  polled_at: string;
}

/** A team's agent by name, or undefined (agents per team are few: a scan). */
export function findAgent(state: SandboxState, teamId: string, agentName: string): SdkAgentRecord | undefined {
  return state.db.sdkAgents.all().find((agent) => agent.teamId === teamId && agent.agentName === agentName);
}

/** A team's control record, or undefined while the team has never changed anything. */
export function teamControl(state: SandboxState, teamId: string): SdkTeamControlRecord | undefined {
  return state.db.sdkTeamControls.get(teamId);
}

/** Why events of `agentName` (null: events tied to no agent) are refused now, or null when they are not. */
export function haltOf(state: SandboxState, teamId: string, agentName: string | null): { source: 'team' | 'agent'; reason: string | null } | null {
  const team = teamControl(state, teamId);
  if (team?.halted) return { source: 'team', reason: team.haltReason };
  const agent = agentName === null ? undefined : findAgent(state, teamId, agentName);
  if (agent?.halted) return { source: 'agent', reason: agent.haltReason };
  return null;
}

/**
 * The control payload of one agent (an unknown agent gets the defaults: not halted, revision 0
 * unless the team has a stamp, OFF, 300 s).
 */
export function agentControlPayload(state: SandboxState, teamId: string, agentName: string): AgentControlPayload {
  const team = teamControl(state, teamId);
  const agent = findAgent(state, teamId, agentName);
  const halt = team?.halted
    ? { halted: true, halt_source: 'team' as const, halt_reason: team.haltReason, halted_at: team.haltedAt }
    : agent?.halted
      ? { halted: true, halt_source: 'agent' as const, halt_reason: agent.haltReason, halted_at: agent.haltedAt }
      : { halted: false, halt_source: team && team.revision > 0 ? ('team' as const) : ('none' as const), halt_reason: null, halted_at: null };
  return {
    agent_name: agentName,
    ...halt,
    revision: Math.max(agent?.revision ?? 0, team?.revision ?? 0),
    require_guardrails: agent?.requireGuardrails ?? 'OFF',
    guardrail_session_ttl_seconds: agent?.guardrailSessionTtlSeconds ?? DEFAULT_TTL_SECONDS,
    polled_at: state.clock.iso(),
  };
}

/** The team-wide payload (`agent_name: null`), for telemetry answers that name no agent or during a team halt. */
export function teamControlPayload(state: SandboxState, teamId: string): AgentControlPayload {
  const team = teamControl(state, teamId);
  return {
    agent_name: null,
    halted: team?.halted ?? false,
    halt_source: team && team.revision > 0 ? 'team' : 'none',
    halt_reason: team?.halted ? team.haltReason : null,
    halted_at: team?.halted ? team.haltedAt : null,
    revision: team?.revision ?? 0,
    require_guardrails: 'OFF',
    guardrail_session_ttl_seconds: DEFAULT_TTL_SECONDS,
    polled_at: state.clock.iso(),
  };
}

/** Takes the team's next control sequence number (creating its control record on first use). */
async function nextSequence(state: SandboxState, teamId: string): Promise<number> {
  const current = teamControl(state, teamId);
  const sequence = (current?.sequence ?? 0) + 1;
  if (current) await state.db.sdkTeamControls.update(teamId, { sequence, updatedAt: state.clock.iso() });
  else await state.db.sdkTeamControls.insert({ id: teamId, halted: false, haltReason: null, haltedAt: null, revision: 0, sequence, updatedAt: state.clock.iso() });
  return sequence;
}

/**
 * The team's agent record, created (without a virtual workflow yet) when a management call names
 * an agent telemetry has not named so far.
 */
export async function ensureAgentRecord(state: SandboxState, teamId: string, agentName: string): Promise<SdkAgentRecord> {
  const existing = findAgent(state, teamId, agentName);
  if (existing) return existing;
  const now = state.clock.iso();
  return state.db.sdkAgents.insert({
    id: state.ids.uuid(),
    teamId,
    agentName,
    workflowId: null,
    halted: false,
    haltReason: null,
    haltedAt: null,
    revision: 0,
    requireGuardrails: 'OFF',
    guardrailSessionTtlSeconds: DEFAULT_TTL_SECONDS,
    callbackUrl: null,
    createdAt: now,
    updatedAt: now,
    lastSeenAt: null,
  });
}

/** Applies a change to an agent and stamps it with the team's next revision. */
async function changeAgent(state: SandboxState, teamId: string, agentName: string, patch: Partial<SdkAgentRecord>): Promise<SdkAgentRecord> {
  const agent = await ensureAgentRecord(state, teamId, agentName);
  const revision = await nextSequence(state, teamId);
  return (await state.db.sdkAgents.update(agent.id, { ...patch, revision, updatedAt: state.clock.iso() }))!;
}

/** Halts one agent: its events are refused from now on (3.11.1 [INF]). @param reason shown to SDKs as `halt_reason` */
export function haltAgent(state: SandboxState, teamId: string, agentName: string, reason: string | null): Promise<SdkAgentRecord> {
  return changeAgent(state, teamId, agentName, { halted: true, haltReason: reason, haltedAt: state.clock.iso() });
}

/** Resumes one agent. */
export function resumeAgent(state: SandboxState, teamId: string, agentName: string): Promise<SdkAgentRecord> {
  return changeAgent(state, teamId, agentName, { halted: false, haltReason: null, haltedAt: null });
}

/**
 * Sets an agent's guardrail policy ([INF] 3.11.2 `PUT /api/sdk/agents/:agentName/guardrail-policy`).
 * @param policy fields to change; the TTL must lie in {@link TTL_RANGE} (checked by the route)
 */
export function setGuardrailPolicy(
  state: SandboxState,
  teamId: string,
  agentName: string,
  policy: { requireGuardrails?: RequireGuardrails | undefined; guardrailSessionTtlSeconds?: number | undefined },
): Promise<SdkAgentRecord> {
  const patch: Partial<SdkAgentRecord> = {};
  if (policy.requireGuardrails !== undefined) patch.requireGuardrails = policy.requireGuardrails;
  if (policy.guardrailSessionTtlSeconds !== undefined) patch.guardrailSessionTtlSeconds = policy.guardrailSessionTtlSeconds;
  return changeAgent(state, teamId, agentName, patch);
}

/** Sets or clears the team-wide halt (every agent of the team, even unseen ones). */
async function setTeamHalt(state: SandboxState, teamId: string, halted: boolean, reason: string | null): Promise<SdkTeamControlRecord> {
  const revision = await nextSequence(state, teamId);
  const patch = halted ? { halted, haltReason: reason, haltedAt: state.clock.iso() } : { halted, haltReason: null, haltedAt: null };
  return (await state.db.sdkTeamControls.update(teamId, { ...patch, revision }))!;
}

/** Halts every agent of the team. */
export function haltTeam(state: SandboxState, teamId: string, reason: string | null): Promise<SdkTeamControlRecord> {
  return setTeamHalt(state, teamId, true, reason);
}

/** Lifts the team-wide halt (agents halted one by one stay halted). */
export function resumeTeam(state: SandboxState, teamId: string): Promise<SdkTeamControlRecord> {
  return setTeamHalt(state, teamId, false, null);
}

/** The dashboard view of the team-wide control state (camelCase, 1.3). */
export function toTeamControlView(state: SandboxState, teamId: string) {
  const team = teamControl(state, teamId);
  return {
    teamId,
    halted: team?.halted ?? false,
    haltReason: team?.haltReason ?? null,
    haltedAt: team?.haltedAt ?? null,
    revision: team?.revision ?? 0,
  };
}
