import { z } from 'zod';

/**
 * Request schemas and wire shapes of the credentials API (nodeloom-api.md 3.4). Required-field
 * messages follow the documented style "Workflow name is required" (1.4).
 */

const DATA_HINT = 'e.g. {"apiKey":"sk-..."}';

/**
 * The secret key/values of a credential: a non-empty JSON object of string values. Write-only: no
 * response ever contains it.
 */
export const credentialData = z
  .record(z.string(), z.string(), {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? 'Credential data is required'
        : `Credential data must be a JSON object of string values, ${DATA_HINT}`,
  })
  .refine((data) => Object.keys(data).length > 0, `Credential data must have at least one key/value, ${DATA_HINT}`);

/** Longest credential name, characters (after trimming): a typical JPA `VARCHAR(255)` column [INF]. */
export const MAX_CREDENTIAL_NAME = 255;
/** Longest credential type, characters [INF]: type names are short constants such as `OPENAI`. */
export const MAX_CREDENTIAL_TYPE = 100;

const credentialName = z
  .string({ error: (issue) => (issue.input == null ? 'Credential name is required' : 'Credential name must be a string') })
  .trim()
  .min(1, 'Credential name is required')
  .max(MAX_CREDENTIAL_NAME, `Credential name must be at most ${MAX_CREDENTIAL_NAME} characters`);

/** `:id` path parameter (any non-empty string, nodeloom-api.md 1.7 [INF]). */
export const credentialIdParams = z.object({ id: z.string().min(1) });

/** `GET /api/credentials` query: `teamId` (a token may omit it, 1.8 [INF]) and an optional `type` filter. */
export const listCredentialsQuery = z.object({
  teamId: z.string().optional(),
  type: z.string().optional(),
});

/** Query of the single-credential routes: an optional `teamId` that must match the credential's team. */
export const credentialScopeQuery = z.object({ teamId: z.string().optional() });

/**
 * `POST /api/credentials` body: `name`, `type` (any non-empty string; 3.4 "Mock should accept any
 * string type", kept as sent), `teamId` (the pipeline resolves it; a token may omit it) and `data`.
 */
export const createCredentialBody = z.object(
  {
    name: credentialName,
    type: z
      .string({ error: (issue) => (issue.input == null ? 'Credential type is required' : 'Credential type must be a string such as "OPENAI"') })
      .trim()
      .min(1, 'Credential type is required')
      .max(MAX_CREDENTIAL_TYPE, `Credential type must be at most ${MAX_CREDENTIAL_TYPE} characters`),
    teamId: z.string().optional(),
    data: credentialData,
  },
  { error: `Send a JSON object body: {"name", "type", "teamId", "data"}, with data ${DATA_HINT}` },
);
/** A validated create body (`name` and `type` trimmed). */
export type CreateCredentialBody = z.output<typeof createCredentialBody>;

/**
 * `PUT /api/credentials/:id` body ([INF] 3.4): `name` and/or `data`; a new `data` replaces every
 * secret of the credential (no merge). At least one of the two is required.
 */
export const updateCredentialBody = z
  .object(
    { name: credentialName.optional(), data: credentialData.optional() },
    { error: `Send a JSON object body with "name" and/or "data", data ${DATA_HINT}` },
  )
  .refine((body) => body.name !== undefined || body.data !== undefined, 'Nothing to update: send "name" and/or "data"');
/** A validated update body: `name` and/or `data`. */
export type UpdateCredentialBody = z.output<typeof updateCredentialBody>;

/** A credential on the wire (3.4; `teamId` and `testStatus: "FAILED"` are [INF]). Never carries `data`. */
export interface Credential {
  id: string;
  name: string;
  type: string;
  teamId: string;
  createdAt: string;
  updatedAt: string;
  lastTestedAt: string | null;
  testStatus: 'SUCCESS' | 'FAILED' | null;
}

/** A credential with the masked preview of its secrets ([INF] 3.4: get, update, create answers). */
export interface CredentialDetail extends Credential {
  maskedPreview: Record<string, string>;
}

/** Answer of `POST /api/credentials/:id/test` ([INF] 3.4). `testedAt` is ISO-8601 UTC. */
export interface CredentialTestResult {
  success: boolean;
  message: string;
  testedAt: string;
}

/** Credential metadata (3.4): never the secret `data`. For the OpenAPI document. */
export const credentialView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  teamId: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastTestedAt: z.iso.datetime().nullable(),
  testStatus: z.enum(['SUCCESS', 'FAILED']).nullable(),
});

/** A credential with its masked secrets preview (get, create, update answers). For the OpenAPI document. */
export const credentialDetailView = credentialView.extend({ maskedPreview: z.record(z.string(), z.string()) });

/** Answer of `POST /api/credentials/:id/test` ([INF] 3.4). For the OpenAPI document. */
export const credentialTestView = z.object({ success: z.boolean(), message: z.string(), testedAt: z.iso.datetime() });
