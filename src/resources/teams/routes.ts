import { z } from 'zod';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { TeamRecord } from '../../data/schemas.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import { addMember, changeRole, findMembership, listMembers, removeMember, toMember } from './members.ts';
import { addMemberBody, changeRoleBody, createdTeamView, createTeamBody, memberView, teamDetailView, teamListItem, updateTeamBody } from './schema.ts';
import { createTeam, deleteTeam, listTeams, toTeamDetail, updateTeam } from './service.ts';
import { messageBody } from '../auth/schema.ts';

/**
 * The teams and members routes (nodeloom-api.md 3.9; D-TEAM documents the five team routes and the
 * member list, the other member routes are [INF]). Thin: the pipeline authenticates, scopes,
 * authorises (members:manage = ADMIN, 2.4), validates and audits.
 */

/**
 * A team addressed by `:teamId`: a team the caller is not in answers 404, like an unknown id
 * (3.9 #2 documents 200 and 404). The record is the team with its own id as `teamId`.
 */
const teamById: TeamSource<SandboxState, TeamRecord & { teamId: string }> = {
  from: 'resource',
  name: 'Team',
  param: 'teamId',
  load: (state, id) => {
    const team = state.db.teams.get(id);
    return team && { ...team, teamId: team.id };
  },
};

/** The member routes' team: the `:teamId` path segment (a team the caller is not in is a 403, 1.8). */
const teamInPath = { from: 'path', param: 'teamId' } as const;

const memberParams = z.object({ teamId: z.string().min(1), userId: z.string().min(1) });

/** Every teams and members route. */
export const teamRoutes: AnyRoute[] = [
  // 3.9 #1: plain array of the caller's teams with their role; an SDK token sees its own team.
  defineRoute({
    method: 'GET',
    path: '/api/teams',
    response: { body: z.array(teamListItem) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'authenticated',
    spec: { section: '3.9' },
    handler: ({ state, principal }) => json(listTeams(state, principal)),
  }),
  // 3.9 #3: 201 {id, name, description, createdAt}; the creating user becomes ADMIN; plan FREE [INF].
  defineRoute({
    method: 'POST',
    path: '/api/teams',
    response: { body: createdTeamView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'authenticated',
    body: createTeamBody,
    audit: { action: 'TEAM_CREATED', resourceType: 'TEAM' },
    spec: { section: '3.9' },
    async handler({ state, principal, body, audit }) {
      const team = await createTeam(state, principal, body);
      Object.assign(audit, { teamIds: [team.id], resourceId: team.id, details: { teamName: team.name } });
      return json({ id: team.id, name: team.name, description: team.description, createdAt: team.createdAt }, 201);
    },
  }),
  // 3.9 #2: the team with counts; any member.
  defineRoute({
    method: 'GET',
    path: '/api/teams/:teamId',
    response: { body: teamDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'teams:view',
    team: teamById,
    spec: { section: '3.9' },
    handler: ({ state, resource }) => json(toTeamDetail(state, resource)),
  }),
  // 3.9 #4: partial update of name and description; 200 with the updated team.
  defineRoute({
    method: 'PUT',
    path: '/api/teams/:teamId',
    response: { body: teamDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamById,
    body: updateTeamBody,
    audit: { action: 'TEAM_UPDATED', resourceType: 'TEAM' },
    spec: { section: '3.9' },
    async handler({ state, resource, body, audit }) {
      audit.details = { teamName: body.name ?? resource.name, fields: Object.keys(body) };
      return json(toTeamDetail(state, await updateTeam(state, resource, body)));
    },
  }),
  // 3.9 #5: 200 {"message":"Team deleted successfully"}; cascades to everything the team owns.
  defineRoute({
    method: 'DELETE',
    path: '/api/teams/:teamId',
    response: { body: messageBody },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamById,
    audit: { action: 'TEAM_DELETED', resourceType: 'TEAM' },
    spec: { section: '3.9' },
    async handler({ state, resource, audit }) {
      const removed = await deleteTeam(state, resource);
      audit.details = { teamName: resource.name, removed };
      return json({ message: 'Team deleted successfully' });
    },
  }),
  // 3.9 #6: plain array of Member; ADMIN (docs: all member endpoints ADMIN).
  defineRoute({
    method: 'GET',
    path: '/api/teams/:teamId/members',
    response: { body: z.array(memberView) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamInPath,
    spec: { section: '3.9' },
    handler: ({ state, team }) => json(listMembers(state, team.id)),
  }),
  // 3.9 #7 [INF]: {email, role} → 201 Member; an unknown email becomes an invited user [INF].
  defineRoute({
    method: 'POST',
    path: '/api/teams/:teamId/members',
    response: { body: memberView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamInPath,
    body: addMemberBody,
    audit: { action: 'MEMBER_ADDED', resourceType: 'MEMBER' },
    spec: { section: '3.9', inferred: true },
    async handler({ state, team, body, audit }) {
      const { membership, user, invited } = await addMember(state, team.id, body);
      audit.resourceId = user.id;
      audit.details = { email: user.email, role: membership.role, invited };
      return json(toMember(membership, user), 201);
    },
  }),
  // 3.9 #8 [INF]: {role} → 200 Member; demoting the last ADMIN is 409.
  defineRoute({
    method: 'PUT',
    path: '/api/teams/:teamId/members/:userId',
    response: { body: memberView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamInPath,
    params: memberParams,
    body: changeRoleBody,
    audit: { action: 'MEMBER_ROLE_CHANGED', resourceType: 'MEMBER' },
    spec: { section: '3.9', inferred: true },
    async handler({ state, team, params, body, audit }) {
      const membership = findMembership(state, team.id, params.userId);
      const user = state.db.users.get(membership.userId);
      audit.details = { email: user?.email ?? null, from: membership.role, to: body.role };
      if (membership.role === body.role) audit.skip = true; // nothing changed, nothing to record
      return json(toMember(await changeRole(state, membership, body.role), user));
    },
  }),
  // 3.9 #9 [INF]: 204; removing the last ADMIN is 409.
  defineRoute({
    method: 'DELETE',
    path: '/api/teams/:teamId/members/:userId',
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'members:manage',
    team: teamInPath,
    params: memberParams,
    audit: { action: 'MEMBER_REMOVED', resourceType: 'MEMBER' },
    spec: { section: '3.9', inferred: true },
    async handler({ state, team, params, audit }) {
      const membership = findMembership(state, team.id, params.userId);
      audit.details = { email: state.db.users.get(membership.userId)?.email ?? null, role: membership.role };
      await removeMember(state, membership);
      return noContent();
    },
  }),
];
