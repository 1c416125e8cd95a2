import type { Directory, IdentityToken, IdentityWidget } from '../core/identity.ts';
import type { Role } from '../core/rbac.ts';
import type { Plan } from '../core/rate-limit.ts';
import type { MembershipRecord, SdkTokenRecord, TeamRecord, UserRecord } from './schemas.ts';

/** The identity tables a directory reads (a `Table` or anything with the same reads). */
export interface DirectoryTables {
  teams: { get(id: string): TeamRecord | undefined };
  users: { get(id: string): UserRecord | undefined };
  memberships: { all(): ReadonlyArray<MembershipRecord> };
  sdkTokens: { all(): ReadonlyArray<SdkTokenRecord>; get(id: string): SdkTokenRecord | undefined; count(): number };
}

/**
 * The core's {@link Directory} over a state's identity tables. Tokens are found through a hashed
 * index by value (rebuilt when the table's size changes or a value is not found, and re-read by
 * id, so revocations and deletions show at once). `lastUsedAt` is kept beside the records, so
 * authenticating a token writes nothing to the store (the token list shows it).
 * @param widgetByToken the widgets area's lookup, when there is one
 */
export function createDirectory(tables: DirectoryTables, widgetByToken: (token: string) => IdentityWidget | undefined = () => undefined): Directory & {
  /** When each token last authenticated a request, ISO-8601 sandbox time. */
  readonly lastUsed: Map<string, string>;
} {
  let byValue = new Map<string, string>();
  let indexedCount = -1;
  const reindex = () => {
    byValue = new Map(tables.sdkTokens.all().map((t) => [t.token, t.id]));
    indexedCount = tables.sdkTokens.count();
  };
  const lastUsed = new Map<string, string>();
  return {
    lastUsed,
    user: (id) => tables.users.get(id),
    tokenByValue(value): IdentityToken | undefined {
      if (indexedCount !== tables.sdkTokens.count()) reindex();
      let id = byValue.get(value);
      if (id === undefined) {
        reindex();
        id = byValue.get(value);
      }
      const token = id === undefined ? undefined : tables.sdkTokens.get(id);
      return token && token.token === value ? token : undefined;
    },
    roleIn(teamId, userId): Role | undefined {
      for (const m of tables.memberships.all()) if (m.teamId === teamId && m.userId === userId) return m.role;
      return undefined;
    },
    membershipsOf(userId) {
      const out: Array<readonly [string, Role]> = [];
      for (const m of tables.memberships.all()) if (m.userId === userId) out.push([m.teamId, m.role]);
      return out;
    },
    planOf: (teamId): Plan | undefined => tables.teams.get(teamId)?.plan,
    widgetByToken,
    tokenUsed(tokenId, at) {
      lastUsed.set(tokenId, at);
    },
  };
}
