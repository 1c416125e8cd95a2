import type { Role } from './rbac.ts';
import type { Plan } from './rate-limit.ts';

/**
 * What the pipeline needs to know about identities, without knowing how they are stored
 * (design.md "Imports run down": the core never imports the data layer; `src/data/directory.ts`
 * implements {@link Directory} over the tables and the sandbox injects it with each state).
 */

/** A user as authentication sees it (the stored user record satisfies it). */
export interface IdentityUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** An SDK token as authentication sees it: `token` is the `sdk_...` value sent as a Bearer. */
export interface IdentityToken {
  id: string;
  name: string;
  token: string;
  teamId: string;
  role: Role;
  /** The user who created it; the token never acts above their current role (nodeloom-api.md 2.3). */
  createdBy: string;
  revoked: boolean;
}

/** A widget as its embed-token authentication sees it (nodeloom-api.md 3.6). */
export interface IdentityWidget {
  id: string;
  teamId: string;
  /** Browser origins allowed to use the widget (empty: any). */
  allowedDomains: readonly string[];
}

/** Read access to users, memberships, tokens, teams and widgets, for auth, RBAC and rate limits. */
export interface Directory {
  /** The user with this id, or undefined. */
  user(id: string): IdentityUser | undefined;
  /** The SDK token with this exact value, or undefined (a hashed lookup, not a scan). */
  tokenByValue(value: string): IdentityToken | undefined;
  /** A user's role in a team, or undefined when not a member. */
  roleIn(teamId: string, userId: string): Role | undefined;
  /** Every `[teamId, role]` a user holds. */
  membershipsOf(userId: string): ReadonlyArray<readonly [teamId: string, role: Role]>;
  /** A team's plan, or undefined for an unknown team. */
  planOf(teamId: string): Plan | undefined;
  /** The widget whose embed token is `token`, or undefined (unknown or regenerated token). */
  widgetByToken(token: string): IdentityWidget | undefined;
  /** Called when an SDK token authenticated a request, with the sandbox time (ISO-8601). */
  tokenUsed(tokenId: string, at: string): void;
}
