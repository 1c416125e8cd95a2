import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import { actingUser, type MemberPrincipal } from '../../core/principal.ts';
import { ROLES, type Role } from '../../core/rbac.ts';
import type { SdkTokenRecord } from '../../data/schemas.ts';
import type { SandboxState } from '../../state.ts';
import { roleField } from '../teams/schema.ts';

/**
 * SDK token management, the dashboard side (nodeloom-api.md 3.11.4 [INF]: paths and shapes are a
 * proposal; D-SDK says the management endpoints exist and that a token's value is shown once).
 */

/** `GET /api/sdk/tokens` query: `teamId` (an SDK token may omit it: its own team, 1.8). */
export const listTokensQuery = z.object({ teamId: z.string().optional() });

/** `POST /api/sdk/tokens` body: `{teamId, name, role}` (a token caller may omit `teamId`). */
export const createTokenBody = z.object({
  teamId: z.string().optional(),
  name: z
    .string({ error: (issue) => (issue.input == null ? 'Token name is required, e.g. "ci-pipeline"' : 'Token name must be a string') })
    .trim()
    .min(1, 'Token name is required, e.g. "ci-pipeline"')
    .max(100, 'Token name must be at most 100 characters'),
  role: roleField,
});
/** A validated token create body. */
export type CreateTokenBody = z.output<typeof createTokenBody>;

/** Token metadata as lists show it: never the value, only its first 8 characters (`sdk_ab12`). */
export interface TokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  /** Id of the user who created it. */
  createdBy: string;
  createdAt: string;
  /** When it last authenticated a request (sandbox time, ISO-8601), or null. */
  lastUsedAt: string | null;
  revoked: boolean;
}

/** {@link TokenView} as a zod schema, for the OpenAPI document (`GET /api/sdk/tokens` items). */
export const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revoked: z.boolean(),
});

/** `POST /api/sdk/tokens` answer (201): the metadata plus `token`, the value, shown this once. */
export const createdTokenSchema = tokenViewSchema.extend({ token: z.string() });

/** Characters of a token value that lists show. */
const PREFIX_LENGTH = 8;

/** The metadata of a token; `lastUsedAt` comes from the directory, which auth updates on every use. */
export function toTokenView(state: SandboxState, record: SdkTokenRecord): TokenView {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    prefix: record.token.slice(0, PREFIX_LENGTH),
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    lastUsedAt: state.directory.lastUsed.get(record.id) ?? record.lastUsedAt,
    revoked: record.revoked,
  };
}

/** A team's tokens, revoked ones included, oldest first (the seeded `sdk_sandbox_*` ones lead). */
export function listTokens(state: SandboxState, teamId: string): TokenView[] {
  return state.db.sdkTokens.filter((t) => t.teamId === teamId).map((t) => toTokenView(state, t));
}

/** A new token value: `sdk_` and 32 hex digits from the seeded random stream (same seed, same values). */
function newTokenValue(state: SandboxState): string {
  for (;;) {
    let hex = '';
    for (let i = 0; i < 4; i += 1) hex += Math.floor(state.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
    const value = `sdk_${hex}`;
    if (!state.directory.tokenByValue(value)) return value;
  }
}

/**
 * Creates a token in a team, created by the acting user (a token caller's creator), so it acts with
 * the lesser of its role and that user's role (2.3).
 * @returns the stored record; its value is shown once, in the create answer
 */
export async function createToken(state: SandboxState, teamId: string, principal: MemberPrincipal, body: CreateTokenBody): Promise<SdkTokenRecord> {
  return state.db.sdkTokens.insert({
    id: state.ids.uuid(),
    name: body.name,
    token: newTokenValue(state),
    teamId,
    role: body.role,
    createdBy: actingUser(principal)!.id,
    createdAt: state.clock.iso(),
    lastUsedAt: null,
    revoked: false,
  });
}

/**
 * Revokes a token: it stays listed with `revoked: true` and answers 401 from its next call.
 * @throws HttpError 409 when it is already revoked
 */
export async function revokeToken(state: SandboxState, record: SdkTokenRecord): Promise<void> {
  if (record.revoked) throw new HttpError(409, `SDK token "${record.name}" (${record.id}) is already revoked.`);
  await state.db.sdkTokens.update(record.id, { revoked: true });
}
