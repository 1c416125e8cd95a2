import { HttpError } from '../../core/http-error.ts';
import type { MemberPrincipal } from '../../core/principal.ts';
import type { SandboxState } from '../../state.ts';
import type { CredentialRecord } from './records.ts';
import { maskedPreview } from './mask.ts';
import type { CreateCredentialBody, Credential, CredentialDetail, CredentialTestResult, UpdateCredentialBody } from './schema.ts';

/**
 * Credentials logic (nodeloom-api.md 3.4). Routes have already authenticated the caller, resolved
 * the team and checked `credentials:manage` (BUILDER+); these functions only read and change data.
 * Secret `data` goes in and never comes out: every view is built by {@link toCredential} or
 * {@link toCredentialDetail}.
 */

/** The wire Credential of a stored record (no secrets). */
export function toCredential(record: CredentialRecord): Credential {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    teamId: record.teamId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastTestedAt: record.lastTestedAt,
    testStatus: record.testStatus,
  };
}

/** The wire Credential plus `maskedPreview` (same keys as the secret data, values masked). */
export function toCredentialDetail(record: CredentialRecord): CredentialDetail {
  return { ...toCredential(record), maskedPreview: maskedPreview(record.data) };
}

/** Loads a credential by id for a `resource` team source; undefined answers 404. */
export function loadCredential(state: SandboxState, id: string): CredentialRecord | undefined {
  return state.db.credentials.get(id);
}

/**
 * Checks an optional `?teamId=` on a single-credential route against the credential's team
 * (1.8 [INF]: the id addresses the record, `teamId` only narrows the scope).
 * @throws HttpError 404 when `teamId` is given and names another team
 */
export function assertInTeam(record: CredentialRecord, teamId: string | undefined): void {
  if (teamId !== undefined && teamId !== '' && teamId !== record.teamId) {
    throw new HttpError(404, `Credential ${record.id} not found in team ${teamId}.`);
  }
}

/**
 * A team's credentials, newest first (1.6 [INF]), as a plain array (3.4: the list is not paged).
 * @param type optional filter on the credential type, compared case-insensitively
 */
export function listCredentials(state: SandboxState, teamId: string, type?: string): Credential[] {
  const wanted = type?.trim().toUpperCase() || undefined;
  return state.db.credentials
    .all()
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => record.teamId === teamId && (wanted === undefined || record.type.toUpperCase() === wanted))
    // Newest first; records created in the same millisecond (a frozen clock) keep reverse insertion order.
    .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.index - a.index)
    .map(({ record }) => toCredential(record));
}

/**
 * Creates a credential in `teamId`; timestamps from the sandbox clock, never tested yet.
 * @param principal the caller; a user (or a token's creator) is recorded as `createdBy`
 * @returns the stored record
 */
export async function createCredential(
  state: SandboxState,
  teamId: string,
  input: CreateCredentialBody,
  principal: MemberPrincipal,
): Promise<CredentialRecord> {
  const now = state.clock.iso();
  return state.db.credentials.insert({
    id: state.ids.uuid(),
    teamId,
    name: input.name,
    type: input.type,
    data: { ...input.data },
    createdBy: principal.kind === 'user' ? principal.user.id : principal.creator.id,
    createdAt: now,
    updatedAt: now,
    lastTestedAt: null,
    testStatus: null,
  });
}

/**
 * Renames a credential and/or replaces all of its secrets ([INF] 3.4, "Update the credential to
 * change secrets"); `updatedAt` moves to the sandbox clock.
 * @throws HttpError 404 when the credential was deleted meanwhile
 */
export async function updateCredential(state: SandboxState, id: string, input: UpdateCredentialBody): Promise<CredentialRecord> {
  const patch: Partial<CredentialRecord> = { updatedAt: state.clock.iso() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.data !== undefined) patch.data = { ...input.data };
  const updated = await state.db.credentials.update(id, patch);
  if (!updated) throw new HttpError(404, `Credential ${id} not found.`);
  return updated;
}

/** Deletes a credential ([INF] 3.4). @throws HttpError 404 when it does not exist */
export async function deleteCredential(state: SandboxState, id: string): Promise<void> {
  if (!(await state.db.credentials.delete(id))) throw new HttpError(404, `Credential ${id} not found.`);
}

/** The word that makes a credential test fail (see {@link testCredential}). */
export const FAILING_SECRET_MARKER = 'invalid';

/**
 * Tests a credential's connection ([INF] 3.4) and records `lastTestedAt`/`testStatus`.
 *
 * Sandbox rule (deterministic, no network): the test FAILS when any secret value contains the word
 * `invalid` (case-insensitive), e.g. `{"apiKey": "sk-invalid-123"}`, and SUCCEEDS otherwise. Seeded
 * credentials shown as FAILED follow the same rule. `updatedAt` does not move: a test is not an edit.
 * @returns `{success, message, testedAt}` (always HTTP 200, also when the test fails)
 * @throws HttpError 404 when the credential was deleted meanwhile
 */
export async function testCredential(state: SandboxState, record: CredentialRecord): Promise<CredentialTestResult> {
  const testedAt = state.clock.iso();
  const failingKey = Object.keys(record.data).find((key) => record.data[key]!.toLowerCase().includes(FAILING_SECRET_MARKER));
  const success = failingKey === undefined;
  const updated = await state.db.credentials.update(record.id, { lastTestedAt: testedAt, testStatus: success ? 'SUCCESS' : 'FAILED' });
  if (!updated) throw new HttpError(404, `Credential ${record.id} not found.`);
  return {
    success,
    message: success
      ? `Connection to ${record.type} succeeded.`
      : `Connection to ${record.type} failed: the service rejected "${failingKey}" (sandbox rule: a secret value contains "${FAILING_SECRET_MARKER}").`,
    testedAt,
  };
}
