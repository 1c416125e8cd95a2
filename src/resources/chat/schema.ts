import { z } from 'zod';
import { pageQueryFields } from '../../core/paginate.ts';
import { textParam } from '../../core/query.ts';

/** Request schemas of the agent-chat routes (nodeloom-api.md 3.5). */

/** Longest message accepted, characters [INF]. */
export const MAX_MESSAGE_LENGTH = 32_000;

const required = (what: string) => (issue: { input: unknown }) => (issue.input == null ? `${what} is required` : `${what} must be a string`);

/** `POST /api/agent-chat/sessions`: `{workflowId (required), teamId, title?, model?, systemPrompt?}`. */
export const createSessionBody = z.preprocess(
  (value) => value ?? {},
  z.object({
    workflowId: z.string({ error: required('workflowId') }).min(1, 'workflowId is required'),
    teamId: z.string().optional(),
    title: z.string().trim().min(1, 'title must not be blank').max(200, 'title must be at most 200 characters').optional(),
    model: z.string().min(1).max(100).optional(),
    systemPrompt: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  }),
);
export type CreateSessionBody = z.output<typeof createSessionBody>;

/** `GET /api/agent-chat/sessions`: `teamId` (a token may omit it), `workflowId?`, `search?`, `page`, `size`. */
export const listSessionsQuery = z.object({
  teamId: z.string().optional(),
  workflowId: z.string().optional(),
  search: textParam(z.string().optional()),
  ...pageQueryFields(),
});
export type ListSessionsQuery = z.output<typeof listSessionsQuery>;

/** `PATCH /api/agent-chat/sessions/:id` [INF]: `{title}`. */
export const renameSessionBody = z.preprocess(
  (value) => value ?? {},
  z.object({ title: z.string({ error: required('title') }).trim().min(1, 'title is required').max(200, 'title must be at most 200 characters') }),
);

/** `POST .../messages` [INF]: `{content, model?, systemPrompt?}`. */
export const sendMessageBody = z.preprocess(
  (value) => value ?? {},
  z.object({
    content: z
      .string({ error: required('content') })
      .min(1, 'content is required')
      .max(MAX_MESSAGE_LENGTH, `content must be at most ${MAX_MESSAGE_LENGTH} characters`),
    model: z.string().min(1).max(100).optional(),
    systemPrompt: z.string().max(MAX_MESSAGE_LENGTH).optional(),
  }),
);
export type SendMessageBody = z.output<typeof sendMessageBody>;

/**
 * The JSON `data` of each server-sent event of a streamed reply (3.5 [INF] proposal), by event
 * name: the OpenAPI document's `text/event-stream` schema (src/openapi). Framing in reply-stream.ts.
 */
export const replyEventSchemas = {
  thought: z.object({ content: z.string() }),
  tool_call: z.object({ id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
  tool_result: z.object({ id: z.string(), result: z.unknown() }),
  token: z.object({ content: z.string() }),
  done: z.object({ messageId: z.string(), tokenUsage: z.object({ input: z.number().int().min(0), output: z.number().int().min(0) }) }),
  error: z.object({ message: z.string() }),
} as const;
