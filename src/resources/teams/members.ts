import { HttpError } from '../../core/http-error.ts';
import type { Role } from '../../core/rbac.ts';
import type { MembershipRecord, UserRecord } from '../../data/schemas.ts';
import type { SandboxState } from '../../state.ts';
import type { AddMemberBody } from './schema.ts';

/**
 * Team members (nodeloom-api.md 3.9 #6-#9; shapes and guards [INF] beyond `userId`). Changes are
 * live at once: auth and RBAC read the memberships table on every request (src/data/directory.ts),
 * so a demoted member's next call, and an SDK token created by them (2.3), get the new role.
 */

/** A member (3.9): `{userId, email, firstName, lastName, role, joinedAt}`, `joinedAt` ISO-8601. */
export interface Member {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  joinedAt: string;
}

/** The wire shape of a membership. */
export function toMember(membership: MembershipRecord, user: UserRecord | undefined): Member {
  return {
    userId: membership.userId,
    email: user?.email ?? '',
    firstName: user?.firstName ?? '',
    lastName: user?.lastName ?? '',
    role: membership.role,
    joinedAt: membership.joinedAt,
  };
}

/** A team's members, earliest joined first (then by user id). Cost: one pass over the memberships. */
export function listMembers(state: SandboxState, teamId: string): Member[] {
  return state.db.memberships
    .filter((m) => m.teamId === teamId)
    .sort((a, b) => (a.joinedAt !== b.joinedAt ? (a.joinedAt < b.joinedAt ? -1 : 1) : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .map((m) => toMember(m, state.db.users.get(m.userId)));
}

/**
 * A user's membership in a team.
 * @throws HttpError 404 when the user is not a member
 */
export function findMembership(state: SandboxState, teamId: string, userId: string): MembershipRecord {
  const membership = state.db.memberships.all().find((m) => m.teamId === teamId && m.userId === userId);
  if (!membership) throw new HttpError(404, `User ${userId} is not a member of team ${teamId}. GET /api/teams/${teamId}/members lists its members.`);
  return membership;
}

/**
 * Adds a user to a team by email (3.9 #7 [INF]). An email no user has creates an invited user
 * ([INF]): empty names, no usable password (nobody can log in as them), a seeded id.
 * @returns the new membership, its user, and whether the user was invited
 * @throws HttpError 409 when the user is already a member
 */
export async function addMember(state: SandboxState, teamId: string, body: AddMemberBody): Promise<{ membership: MembershipRecord; user: UserRecord; invited: boolean }> {
  const now = state.clock.iso();
  let user = state.db.users.all().find((u) => u.email === body.email);
  if (user && state.directory.roleIn(teamId, user.id) !== undefined) {
    throw new HttpError(409, `${body.email} is already a member of team ${teamId}. Change their role with PUT /api/teams/${teamId}/members/${user.id}.`);
  }
  const invited = !user;
  // An empty password never matches: login requires a non-empty one.
  user ??= await state.db.users.insert({ id: state.ids.uuid(), email: body.email, firstName: '', lastName: '', password: '', createdAt: now });
  const membership = await state.db.memberships.insert({ id: state.ids.uuid(), teamId, userId: user.id, role: body.role, joinedAt: now });
  return { membership, user, invited };
}

/** Number of ADMIN memberships of a team. */
function adminCount(state: SandboxState, teamId: string): number {
  let count = 0;
  for (const m of state.db.memberships.all()) if (m.teamId === teamId && m.role === 'ADMIN') count += 1;
  return count;
}

/**
 * Refuses a change that would leave the team without an ADMIN (3.9 [INF] guard).
 * @throws HttpError 409 naming the fix
 */
function keepAnAdmin(state: SandboxState, membership: MembershipRecord, doing: string): void {
  if (membership.role === 'ADMIN' && adminCount(state, membership.teamId) === 1) {
    throw new HttpError(
      409,
      `Cannot ${doing} the last ADMIN of team ${membership.teamId}. Make another member ADMIN first (PUT /api/teams/${membership.teamId}/members/<userId> with {"role":"ADMIN"}).`,
    );
  }
}

/**
 * Changes a member's role (3.9 #8 [INF]); the same role changes nothing.
 * @throws HttpError 409 when it would demote the last ADMIN
 */
export async function changeRole(state: SandboxState, membership: MembershipRecord, role: Role): Promise<MembershipRecord> {
  if (membership.role === role) return membership;
  if (role !== 'ADMIN') keepAnAdmin(state, membership, 'demote');
  return (await state.db.memberships.update(membership.id, { role }))!;
}

/**
 * Removes a member (3.9 #9 [INF]). Their SDK tokens for the team stay listed but answer 401 from
 * now on (2.3 [INF]: a token whose creator left the team is invalid).
 * @throws HttpError 409 when it would remove the last ADMIN
 */
export async function removeMember(state: SandboxState, membership: MembershipRecord): Promise<void> {
  keepAnAdmin(state, membership, 'remove');
  await state.db.memberships.delete(membership.id);
}
