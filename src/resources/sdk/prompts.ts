import { z } from 'zod';
import { HttpError } from '../../core/http-error.ts';
import type { SandboxState } from '../../state.ts';
import type { SdkPromptRecord } from './records.ts';

/**
 * Versioned prompt templates (nodeloom-api.md 3.11.3: "create or update a prompt template with a
 * new version"; get by name, latest unless `version`; list). [INF] shapes, snake_case (1.3).
 */

/** `POST /api/sdk/v1/prompts` body. */
export const promptBody = z.object({
  name: z.string({ error: 'name is required: the prompt template name.' }).trim().min(1, 'name must not be empty.').max(200, 'name must be at most 200 characters.'),
  content: z.string({ error: 'content is required: the prompt template text.' }).min(1, 'content must not be empty.'),
  description: z.string().nullish(),
  variables: z.record(z.string(), z.unknown(), { error: 'variables must be a JSON object.' }).nullish(),
  model_hint: z.string().nullish(),
});
export type PromptBody = z.output<typeof promptBody>;

/** Every version of a team's prompt, oldest first. */
function versionsOf(state: SandboxState, teamId: string, name: string): SdkPromptRecord[] {
  return state.db.sdkPrompts.filter((p) => p.teamId === teamId && p.name === name).sort((a, b) => a.version - b.version);
}

/** Stores the next version of a prompt (version 1 for a new name). */
export async function createPromptVersion(state: SandboxState, teamId: string, body: PromptBody): Promise<SdkPromptRecord> {
  const versions = versionsOf(state, teamId, body.name);
  return state.db.sdkPrompts.insert({
    id: state.ids.uuid(),
    teamId,
    name: body.name,
    version: (versions.at(-1)?.version ?? 0) + 1,
    content: body.content,
    description: body.description ?? null,
    variables: body.variables ?? {},
    modelHint: body.model_hint ?? null,
    createdAt: state.clock.iso(),
  });
}

/**
 * One version of a prompt: `version`, or the latest.
 * @throws HttpError 404 for an unknown name or version
 */
export function getPrompt(state: SandboxState, teamId: string, name: string, version?: number): { record: SdkPromptRecord; versions: number } {
  const versions = versionsOf(state, teamId, name);
  if (versions.length === 0) throw new HttpError(404, `Prompt "${name}" not found. Create it with POST /api/sdk/v1/prompts.`);
  const record = version === undefined ? versions.at(-1)! : versions.find((v) => v.version === version);
  if (!record) throw new HttpError(404, `Prompt "${name}" has no version ${version}; its versions are 1–${versions.length}.`);
  return { record, versions: versions.length };
}

/** The latest version of each of the team's prompts, by name. */
export function listPrompts(state: SandboxState, teamId: string): Array<{ record: SdkPromptRecord; versions: number }> {
  const latest = new Map<string, { record: SdkPromptRecord; versions: number }>();
  for (const record of state.db.sdkPrompts.all()) {
    if (record.teamId !== teamId) continue;
    const seen = latest.get(record.name);
    if (!seen || record.version > seen.record.version) latest.set(record.name, { record, versions: (seen?.versions ?? 0) + 1 });
    else seen.versions += 1;
  }
  return [...latest.values()].sort((a, b) => (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0));
}

/** A prompt version as `/api/sdk/v1` answers it; `version_count` is how many versions the name has. */
export function toPromptView(record: SdkPromptRecord, versions: number) {
  return {
    id: record.id,
    name: record.name,
    version: record.version,
    content: record.content,
    description: record.description,
    variables: record.variables,
    model_hint: record.modelHint,
    version_count: versions,
    created_at: record.createdAt,
  };
}
