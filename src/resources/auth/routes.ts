import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { effectiveRole } from '../../core/team-scope.ts';
import { json } from '../../core/respond.ts';
import type { AnyRoute } from '../../core/route.ts';
import { clearedSessionCookie, sessionCookie, signSession } from '../../core/session.ts';
import { defineRoute } from '../define-route.ts';
import type { SandboxState } from '../../state.ts';
import type { UserRecord } from '../../data/schemas.ts';
import { messageBody, userObject } from './schema.ts';

/**
 * Auth routes (nodeloom-api.md 3.1, D-AUTH): login sets the httpOnly session cookie, refresh needs
 * a still-valid session and re-issues it, logout clears it, `me` ([INF]) returns the user object.
 */

const loginBody = z.object({
  email: z.string({ error: 'email is required' }).trim().min(1, 'email is required'),
  password: z.string({ error: 'password is required' }).min(1, 'password is required'),
});

/** The login user object: `{id, firstName, lastName, email, teams: [{teamId, teamName, role}]}`. */
export function toUserObject(user: Pick<UserRecord, 'id' | 'firstName' | 'lastName' | 'email'>, state: SandboxState) {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    teams: state.db.memberships
      .all()
      .filter((m) => m.userId === user.id)
      .map((m) => ({ teamId: m.teamId, teamName: state.db.teams.get(m.teamId)?.name ?? '', role: m.role })),
  };
}

/** The auth routes: login, refresh, logout (D-AUTH) and me ([INF] 3.1 #4). */
export const authRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/api/auth/login',
    response: { body: userObject },
    auth: 'public',
    rateLimit: 'address',
    spec: { section: '3.1' },
    permission: 'public',
    body: loginBody,
    // Recorded in each of the user's teams (3.10 [INF] USER_LOGIN).
    audit: { action: 'USER_LOGIN', resourceType: 'USER' },
    async handler({ body, state, responseHeaders, audit }) {
      const email = body.email.toLowerCase();
      const user = state.db.users.all().find((u) => u.email === email);
      // One message for unknown email and wrong password: no hint which part was wrong.
      if (!user || user.password !== body.password) {
        throw new HttpError(401, 'Invalid email or password. Sandbox users log in with password "sandbox" (e.g. admin@acme.test).');
      }
      const jwt = await signSession(user.id, user.email, state.clock.now(), state.jwtKey);
      responseHeaders.append('set-cookie', sessionCookie(jwt));
      const object = toUserObject(user, state);
      Object.assign(audit, {
        resourceId: user.id,
        teamIds: object.teams.map((t) => t.teamId),
        actor: { id: user.id, name: `${user.firstName} ${user.lastName}` },
        details: { email: user.email },
      });
      return json(object);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/auth/refresh',
    response: { body: messageBody },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.1' },
    permission: 'authenticated',
    audit: { none: 'a refresh only re-issues the session cookie; nothing changes' },
    async handler({ principal, state, responseHeaders }) {
      if (principal.kind !== 'user') {
        throw new HttpError(401, 'Refresh needs a session cookie from POST /api/auth/login; SDK tokens do not expire.');
      }
      const jwt = await signSession(principal.user.id, principal.user.email, state.clock.now(), state.jwtKey);
      responseHeaders.append('set-cookie', sessionCookie(jwt));
      return json({ message: 'Token refreshed successfully' });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/auth/logout',
    response: { body: messageBody },
    auth: 'public',
    rateLimit: 'address',
    spec: { section: '3.1' },
    permission: 'public',
    // Recorded in each of the user's teams when a session was sent (3.10 [INF] USER_LOGOUT).
    audit: { action: 'USER_LOGOUT', resourceType: 'USER' },
    handler({ principal, state, responseHeaders, audit }) {
      responseHeaders.append('set-cookie', clearedSessionCookie());
      if (principal?.kind === 'user') {
        audit.resourceId = principal.user.id;
        audit.teamIds = state.directory.membershipsOf(principal.user.id).map(([teamId]) => teamId);
      } else {
        audit.skip = true;
      }
      return json({ message: 'Logged out successfully' });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/auth/me',
    response: { body: userObject },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.1', inferred: true },
    permission: 'authenticated',
    handler({ principal, state }) {
      if (principal.kind === 'token') {
        // A token acts for its own team only, with its effective role: the lesser of the token's
        // role and its creator's (nodeloom-api.md 1.2 mock rules, 2.3 [INF]), the role every
        // permission check of this call would use.
        const object = toUserObject(principal.creator, state);
        const role = effectiveRole(principal, principal.token.teamId, state);
        return json({ ...object, teams: object.teams.filter((t) => t.teamId === principal.token.teamId).map((t) => ({ ...t, role: role ?? t.role })) });
      }
      return json(toUserObject(principal.user, state));
    },
  }),
];
