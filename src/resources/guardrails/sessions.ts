import type { SandboxState } from '../../state.ts';
import type { GuardrailSessionRecord } from './records.ts';

/**
 * Guardrail sessions (nodeloom-api.md 3.8 `agentName` → `guardrailSessionId`; 3.11.1 HARD mode).
 * A check that names an agent opens a session for that agent and team, live for the TTL on the
 * sandbox clock (default 300 s, the control payload's `guardrail_session_ttl_seconds` default).
 * The SDK telemetry area looks it up with {@link findLiveGuardrailSession} to accept a
 * `trace_start` carrying `guardrail_session_id` when the agent requires guardrails (HARD).
 */

/** Default session lifetime, seconds (3.11.2 `guardrail_session_ttl_seconds` default). */
export const GUARDRAIL_SESSION_TTL_SECONDS = 300;

/**
 * Opens a session (a seeded UUID) for an agent of a team.
 * @param ttlSeconds lifetime on the sandbox clock, seconds (default 300)
 */
export async function openGuardrailSession(
  state: SandboxState,
  input: { teamId: string; agentName: string; checkId: string; passed: boolean; ttlSeconds?: number },
): Promise<GuardrailSessionRecord> {
  const now = state.clock.now();
  const ttl = input.ttlSeconds ?? GUARDRAIL_SESSION_TTL_SECONDS;
  return state.db.guardrailSessions.insert({
    id: state.ids.uuid(),
    teamId: input.teamId,
    agentName: input.agentName,
    checkId: input.checkId,
    passed: input.passed,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttl * 1000).toISOString(),
  });
}

/**
 * The live session with this id for this team and agent, or undefined: unknown id, another team's
 * or another agent's session, or expired (`expiresAt` ≤ the sandbox clock's now). O(1).
 * For the SDK telemetry area (HARD mode: a `trace_start` needs a live session of its agent).
 */
export function findLiveGuardrailSession(
  state: SandboxState,
  teamId: string,
  agentName: string,
  sessionId: string,
): GuardrailSessionRecord | undefined {
  const session = state.db.guardrailSessions.get(sessionId);
  if (!session || session.teamId !== teamId || session.agentName !== agentName) return undefined;
  return Date.parse(session.expiresAt) > state.clock.now() ? session : undefined;
}
