import { z } from 'zod';

/**
 * Stored widget shape (nodeloom-api.md 3.6): the documented Widget `{id, name, workflowId, active,
 * customization, createdAt}` plus [INF] `teamId`, `allowedDomains`, `updatedAt`, and the embed
 * `token` (returned only by create and regenerate-token, and inside the embed code).
 */

/** Customization keys (D-WSET UI names; JSON keys [INF] 3.6). */
export const customizationSchema = z.strictObject({
  primaryColor: z.string().optional(),
  backgroundColor: z.string().optional(),
  textColor: z.string().optional(),
  agentMessageBackground: z.string().optional(),
  userMessageBackground: z.string().optional(),
  logoUrl: z.string().optional(),
  avatarUrl: z.string().optional(),
  position: z.enum(['bottom-right', 'bottom-left']).optional(),
  title: z.string().optional(),
  welcomeMessage: z.string().optional(),
  inputPlaceholder: z.string().optional(),
});
export type Customization = z.output<typeof customizationSchema>;

export const widgetRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  workflowId: z.string(),
  active: z.boolean(),
  customization: customizationSchema,
  /** Hosts allowed to embed the widget (`example.com`, `*.example.com`, `localhost:5173`); empty: any. */
  allowedDomains: z.array(z.string()),
  /** The embed token (`wgt_...`), sent in the public API's path. */
  token: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WidgetRecord = z.output<typeof widgetRecord>;
