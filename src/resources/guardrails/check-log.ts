import type { SandboxState } from '../../state.ts';
import type { GuardrailCheckRecord } from './records.ts';

/**
 * The record of guardrail checks, for monitoring (nodeloom-api.md 3.7 reads; 3.8 checks "are
 * recorded for monitoring"): each check's team, agent, caller, detectors run, violation types and
 * rules found, and whether it passed. Written by every successful `POST /api/guardrails/check`.
 */

/** Records one check. @returns the stored record */
export function recordGuardrailCheck(state: SandboxState, record: Omit<GuardrailCheckRecord, 'id' | 'createdAt'> & { id: string }): Promise<GuardrailCheckRecord> {
  return state.db.guardrailChecks.insert({ ...record, createdAt: state.clock.iso() });
}

/** What {@link listGuardrailChecks} may filter on. */
export interface GuardrailCheckFilter {
  agentName?: string;
  passed?: boolean;
  /** Inclusive bounds on `createdAt`, epoch ms. */
  from?: number;
  to?: number;
}

/**
 * A team's recorded checks, newest first (for the monitoring area). One pass over the table.
 * @returns stored records (read-only)
 */
export function listGuardrailChecks(state: SandboxState, teamId: string, filter: GuardrailCheckFilter = {}): GuardrailCheckRecord[] {
  const matches = state.db.guardrailChecks.filter((r) => {
    if (r.teamId !== teamId) return false;
    if (filter.agentName !== undefined && r.agentName !== filter.agentName) return false;
    if (filter.passed !== undefined && r.passed !== filter.passed) return false;
    const at = Date.parse(r.createdAt);
    return (filter.from === undefined || at >= filter.from) && (filter.to === undefined || at <= filter.to);
  });
  return matches.reverse();
}
