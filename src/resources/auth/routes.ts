import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { json } from '../../core/respond.ts';
import { defineRoute, type AnyRoute } from '../../core/route.ts';
import { clearedSessionCookie, sessionCookie, signSession } from '../../core/session.ts';
import type { SandboxState } from '../../state.ts';
import type { UserRecord } from '../../data/schemas.ts';

/**
 * Auth routes (nodeloom-api.md 3.1, D-AUTH): login sets the httpOnly session cookie, refresh needs
 * a still-valid session and re-issues it, logout clears it, `me` ([INF]) returns the user object.
 */

const loginBody = z.object({
  email: z.string({ error: 'email is required' }).trim().min(1, 'email is required'),
  password: z.string({ error: 'password is required' }).min(1, 'password is required'),
});

/** The login user object: `{id, firstName, lastName, email, teams: [{teamId, teamName, role}]}`. */
export function toUserObject(user: UserRecord, state: SandboxState) {
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
    auth: 'public',
    body: loginBody,
    async handler({ body, state, responseHeaders }) {
      const email = body.email.toLowerCase();
      const user = state.db.users.all().find((u) => u.email === email);
      // One message for unknown email and wrong password: no hint which part was wrong.
      if (!user || user.password !== body.password) {
        throw new HttpError(401, 'Invalid email or password. Sandbox users log in with password "sandbox" (e.g. admin@acme.test).');
      }
      const jwt = await signSession(user.id, user.email, state.clock.now(), state.jwtKey);
      responseHeaders.append('set-cookie', sessionCookie(jwt));
      return json(toUserObject(user, state));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/auth/refresh',
    async handler({ principal, state, responseHeaders }) {
      if (principal?.kind !== 'user') {
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
    auth: 'public',
    handler({ responseHeaders }) {
      responseHeaders.append('set-cookie', clearedSessionCookie());
      return json({ message: 'Logged out successfully' });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/auth/me',
    handler({ principal, state }) {
      const user = principal!.kind === 'user' ? principal!.user : principal!.creator;
      if (principal!.kind === 'token') {
        // A token acts for its own team only; show that membership alone.
        const object = toUserObject(user, state);
        return json({ ...object, teams: object.teams.filter((t) => t.teamId === principal!.token.teamId) });
      }
      return json(toUserObject(user, state));
    },
  }),
];
