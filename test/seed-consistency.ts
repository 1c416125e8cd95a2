import type { SandboxState } from '../src/state.ts';

/**
 * Seeded records that predate what they depend on: made before their team was created, before
 * their workflow (`workflowId`), or by a user (`createdBy`, `userId`) before that user joined the team. Compares ISO-8601 strings, as
 * the seed writes them (`isoAt`, all UTC with milliseconds).
 * @returns one line per such record (`workflows <id> before its team`), [] when there are none
 */
export function recordsBeforeTheirTime(db: SandboxState['db']): string[] {
  const teamCreated = new Map(db.teams.all().map((t) => [t.id, t.createdAt]));
  const joined = new Map(db.memberships.all().map((m) => [`${m.teamId}:${m.userId}`, m.joinedAt]));
  const workflowCreated = new Map(db.workflows.all().map((w) => [w.id, w.createdAt]));
  const early: string[] = [];
  for (const [name, table] of Object.entries(db)) {
    if (name === 'teams') continue;
    for (const record of (table as { all(): ReadonlyArray<Record<string, unknown>> }).all()) {
      const { teamId, createdAt } = record;
      if (typeof teamId !== 'string' || typeof createdAt !== 'string') continue;
      const created = teamCreated.get(teamId);
      if (created !== undefined && createdAt < created) early.push(`${name} ${String(record.id)} before its team`);
      const workflow = typeof record.workflowId === 'string' ? workflowCreated.get(record.workflowId) : undefined;
      if (workflow !== undefined && createdAt < workflow) early.push(`${name} ${String(record.id)} before its workflow`);
      for (const field of ['createdBy', 'userId']) {
        const by = record[field];
        const since = typeof by === 'string' ? joined.get(`${teamId}:${by}`) : undefined;
        if (since !== undefined && createdAt < since) early.push(`${name} ${String(record.id)}.${field} before joining`);
      }
    }
  }
  return early;
}
