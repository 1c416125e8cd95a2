import { z } from 'zod';
import { parseDomain } from './origin.ts';
import { widgetRecord } from './records.ts';

/**
 * Request schemas of the widget routes (nodeloom-api.md 3.6). Colors and image URLs are checked,
 * because `/widget.js` puts them into a customer's page.
 */

const color = (key: string) =>
  z.string().regex(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, `customization.${key} must be a hex color such as "#6366f1"`);
const imageUrl = (key: string) =>
  z.string().max(2_000).refine((value) => /^https?:\/\/[^\s"'<>]+$/i.test(value), `customization.${key} must be an http(s) URL`);
const text = (key: string, max: number) => z.string().max(max, `customization.${key} must be at most ${max} characters`);

/** Customization as a client sends it (D-WSET keys; JSON names [INF] 3.6); unknown keys are refused. */
export const customizationInput = z.strictObject({
  primaryColor: color('primaryColor').optional(),
  backgroundColor: color('backgroundColor').optional(),
  textColor: color('textColor').optional(),
  agentMessageBackground: color('agentMessageBackground').optional(),
  userMessageBackground: color('userMessageBackground').optional(),
  logoUrl: imageUrl('logoUrl').optional(),
  avatarUrl: imageUrl('avatarUrl').optional(),
  position: z.enum(['bottom-right', 'bottom-left'], { error: 'customization.position must be "bottom-right" or "bottom-left"' }).optional(),
  title: text('title', 100).optional(),
  welcomeMessage: text('welcomeMessage', 1_000).optional(),
  inputPlaceholder: text('inputPlaceholder', 200).optional(),
});

/** `allowedDomains`: hosts (`example.com`, `*.example.com`, `localhost:5173`), normalized; a bad entry is a 400 naming it. */
const allowedDomains = z
  .array(z.string(), { error: 'allowedDomains must be an array of domains such as ["example.com", "*.example.com"]' })
  .max(100, 'allowedDomains takes at most 100 entries')
  .transform((entries, ctx) => {
    const out: string[] = [];
    for (const entry of entries) {
      const parsed = parseDomain(entry);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: `allowedDomains: ${parsed.error}` });
        return z.NEVER;
      }
      if (!out.includes(parsed.text)) out.push(parsed.text);
    }
    return out;
  });

const name = z
  .string({ error: (issue) => (issue.input == null ? 'Widget name is required' : 'Widget name must be a string') })
  .trim()
  .min(1, 'Widget name is required')
  .max(200, 'Widget name must be at most 200 characters');
const workflowId = z.string({ error: (issue) => (issue.input == null ? 'workflowId is required' : 'workflowId must be a string') }).min(1, 'workflowId is required');

/** `POST /api/teams/:teamId/widgets`: `{name, workflowId, customization?, allowedDomains?, active?}`. */
export const createWidgetBody = z.preprocess(
  (value) => value ?? {},
  z.object({ name, workflowId, customization: customizationInput.optional(), allowedDomains: allowedDomains.optional(), active: z.boolean().optional() }),
);
export type CreateWidgetBody = z.output<typeof createWidgetBody>;

/**
 * `PUT /api/teams/:teamId/widgets/:id`: the same fields, all optional; only those given change.
 * The body itself is required, as a Spring `@RequestBody` is: none (or `null`) answers 400.
 */
export const updateWidgetBody = z.object(
  {
    name: name.optional(),
    workflowId: workflowId.optional(),
    customization: customizationInput.optional(),
    allowedDomains: allowedDomains.optional(),
    active: z.boolean({ error: 'active must be true or false' }).optional(),
  },
  { error: 'The body must be a JSON object with the fields to change, e.g. {"name": "New name"}' },
);
export type UpdateWidgetBody = z.output<typeof updateWidgetBody>;

/** Path of one dashboard widget: `/api/teams/:teamId/widgets/:id`. */
export const widgetParams = z.object({ teamId: z.string(), id: z.string() });

/** Path of one public widget conversation: `/api/public/widgets/:token/sessions/:sessionId`. */
export const publicSessionParams = z.object({ token: z.string(), sessionId: z.string() });

/** Public `POST .../sessions` [INF 3.6]: `{visitorId?}`, the body itself optional. */
export const publicSessionBody = z.object({ visitorId: z.string().max(200, 'visitorId must be at most 200 characters').optional() }).optional();

/** Public `POST .../messages` [INF 3.6]: `{content}`. */
export { sendMessageBody as publicMessageBody } from '../chat/schema.ts';

/** `GET .../embed-code` (3.6): the script tag to paste. For the OpenAPI document. */
export const embedCodeView = z.object({ embedCode: z.string() });

/** `POST .../regenerate-token` (3.6): the new embed token; the old one is dead. */
export const regeneratedTokenView = z.object({ token: z.string(), widgetId: z.string() });

/** A widget as the dashboard routes answer it (3.6); `token` only on create. */
export const widgetView = widgetRecord.omit({ token: true, createdBy: true }).extend({ token: z.string().optional() });
