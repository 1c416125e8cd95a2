import { json, noContent } from '../../core/respond.ts';
import { defineRoute, type AnyRoute, type TeamSource } from '../../core/route.ts';
import type { CredentialRecord } from './records.ts';
import {
  createCredentialBody,
  credentialIdParams,
  credentialScopeQuery,
  listCredentialsQuery,
  updateCredentialBody,
  type CreateCredentialBody,
  type UpdateCredentialBody,
} from './schema.ts';
import {
  assertInTeam,
  createCredential,
  deleteCredential,
  listCredentials,
  loadCredential,
  testCredential,
  toCredentialDetail,
  updateCredential,
} from './service.ts';

/**
 * The credentials routes (nodeloom-api.md 3.4, D-CR). Every route needs `credentials:manage`
 * (D-CR: "All endpoints require the BUILDER role"); the pipeline resolves the team and checks the
 * role. List, create and test are documented; get, update and delete are [INF] 3.4.
 */

type IdParams = { id: string };
type ScopeQuery = { teamId?: string };
type ListQuery = { teamId?: string; type?: string };

/** Single-credential routes: the team is the credential's; another team's credential is a 404. */
const byId: TeamSource = { from: 'resource', name: 'Credential', param: 'id', load: loadCredential };

/** `GET/POST /api/credentials`, `GET/PUT/DELETE /api/credentials/:id`, `POST /api/credentials/:id/test`. */
export const credentialRoutes: AnyRoute[] = [
  // 3.4 #1: plain array, newest first; optional ?type= filter.
  defineRoute<Record<string, string>, ListQuery>({
    method: 'GET',
    path: '/api/credentials',
    permission: 'credentials:manage',
    team: { from: 'query' },
    query: listCredentialsQuery,
    handler: ({ state, team, query }) => json(listCredentials(state, team!.id, query.type)),
  }),
  // 3.4 #2: 201 with the new credential; `data` is never echoed, only its masked preview.
  defineRoute<Record<string, string>, Record<string, unknown>, CreateCredentialBody>({
    method: 'POST',
    path: '/api/credentials',
    permission: 'credentials:manage',
    team: { from: 'body' },
    body: createCredentialBody,
    async handler({ state, team, body, principal }) {
      const record = await createCredential(state, team!.id, body, principal!);
      return json(toCredentialDetail(record), 201);
    },
  }),
  // 3.4 #4 [INF]: Credential + maskedPreview.
  defineRoute<IdParams, ScopeQuery, undefined, CredentialRecord>({
    method: 'GET',
    path: '/api/credentials/:id',
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    handler({ resource, query }) {
      assertInTeam(resource, query.teamId);
      return json(toCredentialDetail(resource));
    },
  }),
  // 3.4 #5 [INF]: rename and/or replace secrets; 200 Credential + maskedPreview.
  defineRoute<IdParams, ScopeQuery, UpdateCredentialBody, CredentialRecord>({
    method: 'PUT',
    path: '/api/credentials/:id',
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    body: updateCredentialBody,
    async handler({ state, resource, query, body }) {
      assertInTeam(resource, query.teamId);
      return json(toCredentialDetail(await updateCredential(state, resource.id, body)));
    },
  }),
  // 3.4 #6 [INF]: 204 No Content.
  defineRoute<IdParams, ScopeQuery, undefined, CredentialRecord>({
    method: 'DELETE',
    path: '/api/credentials/:id',
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    async handler({ state, resource, query }) {
      assertInTeam(resource, query.teamId);
      await deleteCredential(state, resource.id);
      return noContent();
    },
  }),
  // 3.4 #3: 200 {success, message, testedAt} ([INF] shape), also when the test fails.
  defineRoute<IdParams, ScopeQuery, undefined, CredentialRecord>({
    method: 'POST',
    path: '/api/credentials/:id/test',
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    async handler({ state, resource, query }) {
      assertInTeam(resource, query.teamId);
      return json(await testCredential(state, resource));
    },
  }),
];
