import { z } from 'zod';
import { ROLES } from '../core/rbac.ts';
import { PLAN_LIMITS } from '../core/rate-limit.ts';

/**
 * Stored record shapes for the identity side of the model: teams, users, memberships, SDK tokens.
 * Timestamps are ISO-8601 UTC strings with milliseconds. Source: nodeloom-api.md 3.1 (user object),
 * 3.9 (team fields, `plan`), 3.11.4 ([INF] token metadata), 2.3 (token creator).
 */

// ISO-8601 UTC timestamps (`2026-02-17T10:30:00.000Z`); a snapshot with anything else is refused.
const iso = z.iso.datetime();

/** A team. `plan` decides its rate limit (nodeloom-api.md 1.5). */
export const teamRecord = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  plan: z.enum(Object.keys(PLAN_LIMITS) as [keyof typeof PLAN_LIMITS, ...Array<keyof typeof PLAN_LIMITS>]),
  createdAt: iso,
  updatedAt: iso,
});
export type TeamRecord = z.output<typeof teamRecord>;

/** A user. `password` is stored in the clear: this is a sandbox with published passwords. */
export const userRecord = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  password: z.string(),
  createdAt: iso,
});
export type UserRecord = z.output<typeof userRecord>;

/** A user's role in one team. */
export const membershipRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string(),
  role: z.enum(ROLES),
  joinedAt: iso,
});
export type MembershipRecord = z.output<typeof membershipRecord>;

/** An SDK token: the `token` value is what clients send as `Authorization: Bearer sdk_...`. */
export const sdkTokenRecord = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string(),
  teamId: z.string(),
  role: z.enum(ROLES),
  createdBy: z.string(),
  createdAt: iso,
  lastUsedAt: iso.nullable(),
  revoked: z.boolean(),
});
export type SdkTokenRecord = z.output<typeof sdkTokenRecord>;
