import type { SdkTokenRecord, UserRecord } from '../data/schemas.ts';

/**
 * Who is calling. A user principal comes from the session cookie (or a Bearer JWT); a token
 * principal from `Authorization: Bearer sdk_...` and is bound to its token's team
 * (nodeloom-api.md 1.2).
 */
export type Principal =
  | { kind: 'user'; user: UserRecord }
  | {
      kind: 'token';
      token: SdkTokenRecord;
      /** The user who created the token; the token never acts above their current role (2.3). */
      creator: UserRecord;
    };

/** A short label for logs and the journal: `user:admin@acme.test` or `token:sdk_sand…`. */
export function principalLabel(principal: Principal | null): string {
  if (!principal) return 'anonymous';
  return principal.kind === 'user' ? `user:${principal.user.email}` : `token:${principal.token.name}`;
}
