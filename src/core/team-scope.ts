import { HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';
import { hasPermission, lesserRole, minimumRole, type Permission, type Role } from './rbac.ts';
import type { CoreState, TeamSource } from './route.ts';

/** The RBAC decision for a team-scoped route, as the journal shows it. */
export interface RbacDecision {
  teamId: string | null;
  role: string | null;
  permission: string | null;
  allowed: boolean;
}

/** A 403 from team scoping, carrying what the journal shows of the decision. */
export class AccessDenied extends HttpError {
  constructor(
    message: string,
    readonly teamId: string,
    /** The caller's effective role in the team, or null when not a member. */
    readonly role: Role | null,
  ) {
    super(403, message);
  }
}

/**
 * The caller's effective role in a team, or undefined when they are not in it.
 * A user acts with their membership role; a token only in its own team, with the lesser of its
 * role and its creator's current role (nodeloom-api.md 2.3); a widget holds no role.
 */
export function effectiveRole(principal: Principal, teamId: string, state: CoreState): Role | undefined {
  if (principal.kind === 'user') return state.directory.roleIn(teamId, principal.user.id);
  if (principal.kind === 'widget') return undefined;
  if (principal.token.teamId !== teamId) return undefined;
  const creatorRole = state.directory.roleIn(teamId, principal.creator.id);
  return creatorRole && lesserRole(principal.token.role, creatorRole);
}

/**
 * Resolves the team a request acts on and checks the caller's role (nodeloom-api.md 1.8, 2.4).
 * @returns the team id, the caller's role there, and the loaded resource for `resource` sources
 * @throws HttpError 400 when a cookie caller omits `teamId`; 403 (AccessDenied) when an explicitly
 *   named team is not the caller's (or not the token's) team or the role is too low; 404 when a
 *   resource does not exist or belongs to a team the caller is not in
 */
export function resolveTeam(
  source: TeamSource,
  permission: Permission,
  principal: Principal,
  input: { params: Record<string, string>; query: Record<string, unknown>; body: unknown },
  state: CoreState,
): { id: string; role: Role; resource: unknown } {
  let teamId: string;
  let resource: unknown;
  if (source.from === 'resource') {
    const id = input.params[source.param] ?? '';
    const record = source.load(state, id);
    const role = record && effectiveRole(principal, record.teamId, state);
    if (!record || !role) throw new HttpError(404, `${source.name} ${id} not found.`);
    teamId = record.teamId;
    resource = record;
  } else {
    const named =
      source.from === 'path'
        ? input.params[source.param]
        : source.from === 'query'
          ? input.query.teamId
          : source.from === 'body'
            ? (input.body as { teamId?: unknown } | undefined)?.teamId
            : undefined;
    if (typeof named === 'string' && named !== '') {
      teamId = named;
    } else if (principal.kind === 'token') {
      teamId = principal.token.teamId; // 1.8 [INF]: a token falls back to its own team
    } else if (principal.kind === 'widget') {
      teamId = principal.widget.teamId;
    } else {
      const where = source.from === 'query' ? 'query parameter ?teamId=<team id>' : 'field "teamId" in the JSON body';
      throw new HttpError(400, `teamId is required: add the ${where} (GET /api/auth/me lists your teams).`);
    }
    if (principal.kind === 'token' && principal.token.teamId !== teamId) {
      throw new AccessDenied(`This SDK token belongs to team ${principal.token.teamId} and cannot act on team ${teamId}.`, teamId, null);
    }
    if (!effectiveRole(principal, teamId, state)) {
      throw new AccessDenied(`You are not a member of team ${teamId}. GET /api/auth/me lists your teams.`, teamId, null);
    }
  }
  const role = effectiveRole(principal, teamId, state)!;
  if (!hasPermission(role, permission)) {
    const via = principal.kind === 'token' ? ` (effective role of SDK token "${principal.token.name}")` : '';
    throw new AccessDenied(`Access denied: this action needs the ${minimumRole(permission)} in team ${teamId}; you have ${role}${via}.`, teamId, role);
  }
  return { id: teamId, role, resource };
}
