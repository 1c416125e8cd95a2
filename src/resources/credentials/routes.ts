import { json, noContent } from '../../core/respond.ts';
import type { AnyRoute, TeamSource } from '../../core/route.ts';
import type { SandboxState } from '../../state.ts';
import { defineRoute } from '../define-route.ts';
import type { CredentialRecord } from './records.ts';
import { z } from 'zod';
import { credentialDetailView, credentialTestView, credentialView } from './schema.ts';
import {
  createCredentialBody,
  credentialIdParams,
  credentialScopeQuery,
  listCredentialsQuery,
  updateCredentialBody,
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


/** Single-credential routes: the team is the credential's; another team's credential is a 404. */
const byId: TeamSource<SandboxState, CredentialRecord> = { from: 'resource', name: 'Credential', param: 'id', load: loadCredential };

/** `GET/POST /api/credentials`, `GET/PUT/DELETE /api/credentials/:id`, `POST /api/credentials/:id/test`. */
export const credentialRoutes: AnyRoute[] = [
  // 3.4 #1: plain array, newest first; optional ?type= filter.
  defineRoute({
    method: 'GET',
    path: '/api/credentials',
    response: { body: z.array(credentialView) },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4' },
    permission: 'credentials:manage',
    team: { from: 'query' },
    query: listCredentialsQuery,
    handler: ({ state, team, query }) => json(listCredentials(state, team.id, query.type)),
  }),
  // 3.4 #2: 201 with the new credential; `data` is never echoed, only its masked preview.
  defineRoute({
    method: 'POST',
    path: '/api/credentials',
    response: { body: credentialDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4' },
    permission: 'credentials:manage',
    team: { from: 'body' },
    body: createCredentialBody,
    audit: { action: 'CREDENTIAL_CREATED', resourceType: 'CREDENTIAL' },
    async handler({ state, team, body, principal, audit }) {
      const record = await createCredential(state, team.id, body, principal);
      audit.resourceId = record.id;
      audit.details = { credentialName: record.name, type: record.type };
      return json(toCredentialDetail(record), 201);
    },
  }),
  // 3.4 #4 [INF]: Credential + maskedPreview.
  defineRoute({
    method: 'GET',
    path: '/api/credentials/:id',
    response: { body: credentialDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4', inferred: true },
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
  defineRoute({
    method: 'PUT',
    path: '/api/credentials/:id',
    response: { body: credentialDetailView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4', inferred: true },
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    body: updateCredentialBody,
    audit: { action: 'CREDENTIAL_UPDATED', resourceType: 'CREDENTIAL' },
    async handler({ state, resource, query, body, audit }) {
      audit.details = { credentialName: body.name ?? resource.name, secretsReplaced: body.data !== undefined };
      assertInTeam(resource, query.teamId);
      return json(toCredentialDetail(await updateCredential(state, resource.id, body)));
    },
  }),
  // 3.4 #6 [INF]: 204 No Content.
  defineRoute({
    method: 'DELETE',
    path: '/api/credentials/:id',
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4', inferred: true },
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    audit: { action: 'CREDENTIAL_DELETED', resourceType: 'CREDENTIAL' },
    async handler({ state, resource, query, audit }) {
      audit.details = { credentialName: resource.name };
      assertInTeam(resource, query.teamId);
      await deleteCredential(state, resource.id);
      return noContent();
    },
  }),
  // 3.4 #3: 200 {success, message, testedAt} ([INF] shape), also when the test fails.
  defineRoute({
    method: 'POST',
    path: '/api/credentials/:id/test',
    response: { body: credentialTestView },
    auth: 'session-or-token',
    rateLimit: 'principal',
    spec: { section: '3.4', inferred: true },
    permission: 'credentials:manage',
    team: byId,
    params: credentialIdParams,
    query: credentialScopeQuery,
    audit: { action: 'CREDENTIAL_TESTED', resourceType: 'CREDENTIAL' },
    async handler({ state, resource, query, audit }) {
      assertInTeam(resource, query.teamId);
      const result = await testCredential(state, resource);
      audit.details = { credentialName: resource.name, success: result.success };
      return json(result);
    },
  }),
];
