import { z } from 'zod';
import { REASON_PHRASES } from '../core/http-error.ts';
import { SESSION_COOKIE } from '../core/session.ts';

/**
 * The parts of the OpenAPI document every operation shares: the Spring error body, the rate-limit
 * headers, the security schemes and the tags (one per nodeloom-api.md section). Sources:
 * nodeloom-api.md 1.2 (credentials), 1.4 (error body), 1.5 (rate-limit headers), 3 (areas).
 */

/** The Spring error body (nodeloom-api.md 1.4), plus the sandbox's `requestId` (src/core/http-error.ts). */
export const springErrorBody = z
  .object({
    status: z.number().int().meta({ description: 'The HTTP status, repeated.', examples: [403] }),
    error: z.enum(Object.values(REASON_PHRASES) as [string, ...string[]]).meta({ description: 'The reason phrase of the status.' }),
    message: z.string().meta({ description: 'What went wrong and how to fix the call.' }),
    timestamp: z.iso.datetime().meta({ description: 'Sandbox clock time of the answer (ISO-8601 UTC).' }),
    path: z.string().meta({ description: 'The request path.' }),
    requestId: z.string().meta({ description: 'As in `X-Request-Id` and the journal (`req_000123`).' }),
  })
  .meta({ title: 'SpringError', description: 'Every error answer: the Spring Boot error body (nodeloom-api.md 1.4).' });

/** `X-RateLimit-*` on every response (nodeloom-api.md 1.5), as OpenAPI header objects. */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { description: "Requests allowed per one-minute window (the team plan's limit, 1.5).", schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'When the window resets, Unix time in seconds.', schema: { type: 'integer' } },
} as const;

/** Headers every response carries, as references to `components.headers`. */
export const RATE_LIMIT_REFS = Object.fromEntries(Object.keys(RATE_LIMIT_HEADERS).map((name) => [name, { $ref: `#/components/headers/${name}` }]));

/**
 * The credential kinds (nodeloom-api.md 1.2). The widget embed token travels in the `{token}` path
 * segment of `/api/public/widgets/{token}/...`, which an OpenAPI security scheme cannot express:
 * `widgetEmbedToken` documents it, and the widget operations take it as their `token` path
 * parameter (`x-nodeloom-auth: widget-token`).
 */
export const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie `POST /api/auth/login` sets (HttpOnly JWT, 24 h). Browsers send it by themselves; other clients replay `Set-Cookie`.',
  },
  sdkToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'sdk_...',
    description: 'An SDK token: `Authorization: Bearer sdk_sandbox_admin` (fixed tokens per role: `GET /__sandbox/identities`).',
  },
  widgetEmbedToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Widget-Token-In-Path',
    description:
      'The widget embed token (`wgt_...`). Not a header: it is the `{token}` path segment of the public widget routes (`/api/public/widgets/{token}/...`); listed for reference, no operation sends this header.',
  },
} as const;

/** Tag (one per API area) of a nodeloom-api.md section. */
const SECTION_TAGS: Array<[string, string]> = [
  ['3.11.1', 'SDK telemetry'],
  ['3.11.2', 'SDK agent control'],
  ['3.11.3', 'SDK utilities'],
  ['3.11.4', 'SDK tokens and agents'],
  ['3.11.5', 'SDK eBPF probes'],
  ['3.10', 'Audit'],
  ['3.1', 'Auth'],
  ['3.2', 'Workflows'],
  ['3.3', 'Executions'],
  ['3.4', 'Credentials'],
  ['3.5', 'Agent chat'],
  ['3.6', 'Widgets'],
  ['3.7', 'Monitoring'],
  ['3.8', 'Guardrails'],
  ['3.9', 'Teams'],
];

/** The tag of a section (`3.11.4` → `SDK tokens and agents`); the section itself when unknown. */
export function tagOf(section: string): string {
  return SECTION_TAGS.find(([prefix]) => section === prefix || section.startsWith(`${prefix}.`))?.[1] ?? `§${section}`;
}

/** Every tag, in document order, with the section it stands for. */
export const TAGS = [...SECTION_TAGS]
  .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
  .map(([section, name]) => ({ name, description: `nodeloom-api.md §${section}` }));
