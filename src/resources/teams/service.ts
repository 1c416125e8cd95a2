import { HttpError } from '../../core/http-error.ts';
import type { MemberPrincipal } from '../../core/principal.ts';
import type { Plan } from '../../core/rate-limit.ts';
import type { Role } from '../../core/rbac.ts';
import { effectiveRole } from '../../core/team-scope.ts';
import type { TeamRecord } from '../../data/schemas.ts';
import type { SandboxState } from '../../state.ts';
import type { CreateTeamBody, UpdateTeamBody } from './schema.ts';

/**
 * Team logic behind the thin routes (nodeloom-api.md 3.9). Team scope and RBAC are settled by the
 * pipeline before these run.
 */

/** A team in `GET /api/teams` (3.9 #1): `role` is the caller's (effective) role in it. */
export interface TeamSummary {
  id: string;
  name: string;
  memberCount: number;
  plan: Plan;
  role: Role;
  createdAt: string;
}

/** A team in `GET/PUT /api/teams/:teamId` (3.9 #2, #4). Timestamps ISO-8601. */
export interface TeamDetail {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  plan: Plan;
  workflowCount: number;
  credentialCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The plan of a team made with `POST /api/teams` ([INF]: the API does not say; FREE, as a sign-up gets). */
export const NEW_TEAM_PLAN: Plan = 'FREE';

/** How many members each team has. Cost: one pass over the memberships. */
function memberCounts(state: SandboxState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of state.db.memberships.all()) counts.set(m.teamId, (counts.get(m.teamId) ?? 0) + 1);
  return counts;
}

/**
 * The caller's teams (3.9 #1), in membership order: a user's every team with their role there; an
 * SDK token's own team only, with its effective role (the lesser of its role and its creator's, 2.3).
 */
export function listTeams(state: SandboxState, principal: MemberPrincipal): TeamSummary[] {
  const memberships: ReadonlyArray<readonly [string, Role | undefined]> =
    principal.kind === 'token'
      ? [[principal.token.teamId, effectiveRole(principal, principal.token.teamId, state)]]
      : state.directory.membershipsOf(principal.user.id);
  const counts = memberCounts(state);
  const out: TeamSummary[] = [];
  for (const [teamId, role] of memberships) {
    const team = state.db.teams.get(teamId);
    if (!team || !role) continue;
    out.push({ id: team.id, name: team.name, memberCount: counts.get(team.id) ?? 0, plan: team.plan, role, createdAt: team.createdAt });
  }
  return out;
}

/** The team detail shape (3.9 #2). Cost: one pass over memberships, workflows and credentials. */
export function toTeamDetail(state: SandboxState, team: TeamRecord): TeamDetail {
  let workflowCount = 0;
  for (const w of state.db.workflows.all()) if (w.teamId === team.id) workflowCount += 1;
  let credentialCount = 0;
  for (const c of state.db.credentials.all()) if (c.teamId === team.id) credentialCount += 1;
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    memberCount: memberCounts(state).get(team.id) ?? 0,
    plan: team.plan,
    workflowCount,
    credentialCount,
    createdAt: team.createdAt,
    updatedAt: team.updatedAt,
  };
}

/**
 * Creates a team on the FREE plan and makes the creating user its ADMIN (3.9 #3).
 * @throws HttpError 403 for an SDK token: a token acts only in its own team
 */
export async function createTeam(state: SandboxState, principal: MemberPrincipal, body: CreateTeamBody): Promise<TeamRecord> {
  if (principal.kind !== 'user') {
    throw new HttpError(403, 'Creating a team needs a user session (POST /api/auth/login, e.g. admin@acme.test / sandbox): an SDK token acts only in its own team.');
  }
  const now = state.clock.iso();
  const team = await state.db.teams.insert({ id: state.ids.uuid(), name: body.name, description: body.description ?? null, plan: NEW_TEAM_PLAN, createdAt: now, updatedAt: now });
  await state.db.memberships.insert({ id: state.ids.uuid(), teamId: team.id, userId: principal.user.id, role: 'ADMIN', joinedAt: now });
  return team;
}

/** Applies a partial update (3.9 #4); `updatedAt` moves to the clock only when something changed. */
export async function updateTeam(state: SandboxState, team: TeamRecord, body: UpdateTeamBody): Promise<TeamRecord> {
  const patch: Partial<TeamRecord> = {};
  if (body.name !== undefined && body.name !== team.name) patch.name = body.name;
  if (body.description !== undefined && body.description !== team.description) patch.description = body.description;
  if (Object.keys(patch).length === 0) return team;
  return (await state.db.teams.update(team.id, { ...patch, updatedAt: state.clock.iso() }))!;
}

/**
 * Tables a team delete keeps: the audit trail is append-only (a hash chain whose entries only
 * retention removes, 3.10), and the TEAM_DELETED entry itself is appended to the team's chain.
 */
const RETAINED_TABLES: ReadonlySet<string> = new Set(['auditLogs']);

/**
 * The names of the tables whose records belong to a team: every table whose record schema has a
 * `teamId` field (but the audit trail), so a table another area adds later is cascaded without
 * changes here.
 */
export function teamOwnedTables(state: SandboxState): string[] {
  const names: string[] = [];
  for (const [name, table] of Object.entries(state.db)) {
    const shape = (table.schema as { shape?: Record<string, unknown> }).shape;
    if (shape && 'teamId' in shape && !RETAINED_TABLES.has(name)) names.push(name);
  }
  return names;
}

/**
 * Deletes a team and everything it owns (3.9 #5: "cascades workflows, executions, credentials,
 * widgets, chat sessions"): every record with its `teamId` in every table of
 * {@link teamOwnedTables} (memberships and SDK tokens included), then the team. Users stay, also
 * those left without a team; so does the team's audit trail. Cost: one pass per table (see
 * `Table.deleteWhere`: ~70 ms for the `large` executions).
 * @returns how many records each table lost, for the audit details
 */
export async function deleteTeam(state: SandboxState, team: TeamRecord): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  const tokenIds = state.db.sdkTokens.filter((t) => t.teamId === team.id).map((t) => t.id);
  for (const name of teamOwnedTables(state)) {
    const table = state.db[name as keyof SandboxState['db']] as unknown as { deleteWhere(p: (r: { teamId: string }) => boolean): Promise<number> };
    const count = await table.deleteWhere((record) => record.teamId === team.id);
    if (count > 0) removed[name] = count;
  }
  for (const id of tokenIds) state.directory.lastUsed.delete(id);
  await state.db.teams.delete(team.id);
  return removed;
}
