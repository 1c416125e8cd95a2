import { z } from 'zod';
import type { SandboxState } from '../../state.ts';
import type { SdkWebhookRecord } from './records.ts';

/**
 * Alert webhooks (nodeloom-api.md 3.11.3: create `{url, secret?, event_types?}`, list, delete).
 * The secret is stored for signing deliveries and never returned ([INF] 201 `{id, url,
 * event_types, created_at}`; `secret_configured` says whether one was given). The sandbox sends
 * no deliveries.
 */

/** Event types a webhook gets when it names none ([INF] the incident-playbook triggers of DOC D-PLAY); any strings are accepted. */
export const WEBHOOK_EVENT_TYPES = ['anomaly', 'drift', 'guardrail_violation', 'evaluation_failure', 'redteam_finding', 'agent_halted'] as const;

/** `POST /api/sdk/v1/alerts/webhooks` body. */
export const webhookBody = z.object({
  url: z.url({ protocol: /^https?$/, error: 'url is required and must be an http(s) URL, e.g. https://hooks.example.com/nodeloom.' }),
  secret: z.string().nullish(),
  event_types: z.array(z.string(), { error: 'event_types must be an array of strings.' }).nullish(),
});

/** Stores a webhook (every event type when `event_types` is omitted). */
export function createWebhook(state: SandboxState, teamId: string, body: z.output<typeof webhookBody>): Promise<SdkWebhookRecord> {
  return state.db.sdkWebhooks.insert({
    id: state.ids.uuid(),
    teamId,
    url: body.url,
    secret: body.secret ?? null,
    eventTypes: body.event_types ?? [...WEBHOOK_EVENT_TYPES],
    createdAt: state.clock.iso(),
  });
}

/** A webhook as `/api/sdk/v1` answers it: never the secret. */
export function toWebhookView(record: SdkWebhookRecord) {
  return { id: record.id, url: record.url, event_types: record.eventTypes, secret_configured: record.secret !== null, created_at: record.createdAt };
}
