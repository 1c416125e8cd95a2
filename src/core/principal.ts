import type { IdentityToken, IdentityUser, IdentityWidget } from './identity.ts';

/**
 * Who is calling (nodeloom-api.md 1.2). A user principal comes from the session cookie (or a
 * Bearer JWT); a token principal from `Authorization: Bearer sdk_...`, bound to its token's team;
 * a widget principal from a widget embed token in the path of a public widget route (3.6 [INF]).
 */
export type Principal =
  | { kind: 'user'; user: IdentityUser }
  | {
      kind: 'token';
      token: IdentityToken;
      /** The user who created the token; the token never acts above their current role (2.3). */
      creator: IdentityUser;
    }
  | { kind: 'widget'; widget: IdentityWidget; token: string };

/** A principal that is a user or an SDK token (the kinds that hold a role in a team). */
export type MemberPrincipal = Extract<Principal, { kind: 'user' | 'token' }>;

/** A short label for logs and the journal: `user:admin@acme.test`, `token:sandbox-admin`, `widget:<id>` or `anonymous`. */
export function principalLabel(principal: Principal | null): string {
  if (!principal) return 'anonymous';
  if (principal.kind === 'user') return `user:${principal.user.email}`;
  if (principal.kind === 'token') return `token:${principal.token.name}`;
  return `widget:${principal.widget.id}`;
}

/** The user a principal acts for (a token acts for its creator), or null for widget callers. */
export function actingUser(principal: Principal | null): IdentityUser | null {
  if (!principal || principal.kind === 'widget') return null;
  return principal.kind === 'user' ? principal.user : principal.creator;
}
