import { z } from 'zod';
import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { SdkTokenRecord } from '../../data/schemas.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import { createdTokenSchema, createToken, createTokenBody, listTokens, listTokensQuery, revokeToken, tokenViewSchema, toTokenView } from './service.ts';

/**
 * SDK token management (nodeloom-api.md 3.11.4 [INF]), ADMIN only (`team:admin`, 2.2 "API
 * tokens"). The dashboard side: session or token auth, not under `/api/sdk/v1`.
 */

/** A token addressed by `:id`; another team's token answers 404, like an unknown id. */
const tokenById: TeamSource<SandboxState, SdkTokenRecord> = { from: 'resource', name: 'SDK token', param: 'id', load: (state, id) => state.db.sdkTokens.get(id) };

/** `GET/POST /api/sdk/tokens`, `DELETE /api/sdk/tokens/:id`. */
export const sdkTokenRoutes: AnyRoute[] = [
  // Plain array of token metadata (never the value), revoked ones included.
  defineRoute({
    method: 'GET',
    path: '/api/sdk/tokens',
    response: { body: z.array(tokenViewSchema) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team: { from: 'query' },
    query: listTokensQuery,
    spec: { section: '3.11.4', inferred: true },
    handler: ({ state, team }) => json(listTokens(state, team.id)),
  }),
  // 201: the metadata plus `token`, the value, returned this once.
  defineRoute({
    method: 'POST',
    path: '/api/sdk/tokens',
    response: { body: createdTokenSchema },
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team: { from: 'body' },
    body: createTokenBody,
    audit: { action: 'SDK_TOKEN_CREATED', resourceType: 'SDK_TOKEN' },
    spec: { section: '3.11.4', inferred: true },
    async handler({ state, team, principal, body, audit }) {
      const record = await createToken(state, team.id, principal, body);
      audit.resourceId = record.id;
      audit.details = { tokenName: record.name, role: record.role };
      return json({ ...toTokenView(state, record), token: record.token }, 201);
    },
  }),
  // 204: revoked; the token answers 401 from its next call.
  defineRoute({
    method: 'DELETE',
    path: '/api/sdk/tokens/:id',
    auth: 'session-or-token',
    rateLimit: 'principal',
    permission: 'team:admin',
    team: tokenById,
    audit: { action: 'SDK_TOKEN_REVOKED', resourceType: 'SDK_TOKEN' },
    spec: { section: '3.11.4', inferred: true },
    async handler({ state, resource, audit }) {
      audit.details = { tokenName: resource.name, role: resource.role };
      await revokeToken(state, resource);
      return noContent();
    },
  }),
];
