import { z } from 'zod';

/**
 * Stored agent-chat shapes (nodeloom-api.md 3.5). Sessions belong to a team and an AI-agent
 * workflow; dashboard sessions (`source: DASHBOARD`) are the `/api/agent-chat` ones, widget
 * conversations (`source: WIDGET`, 3.6 [INF]) are kept in the same tables so token usage has one
 * place to be read from. Timestamps are ISO-8601 sandbox time.
 */
export const chatSessionRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  workflowId: z.string(),
  title: z.string(),
  /** True while the title is the automatic one (the first message then names the session). */
  titleGenerated: z.boolean(),
  /** `DASHBOARD` (agent chat) or `WIDGET` (an end user through a widget's public API). */
  source: z.enum(['DASHBOARD', 'WIDGET']),
  /** The widget of a `WIDGET` session, else null. */
  widgetId: z.string().nullable(),
  /** The end user's id a widget sent (`visitorId`), else null. */
  visitorId: z.string().nullable(),
  /** Per-session model selection and system prompt (D-ACHAT), null: the workflow's. */
  model: z.string().nullable(),
  systemPrompt: z.string().nullable(),
  /** The user who created a dashboard session (null for widget sessions). */
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** When the last message was stored, null before the first. */
  lastMessageAt: z.iso.datetime().nullable(),
});
export type ChatSessionRecord = z.output<typeof chatSessionRecord>;

/** Token counts of one assistant reply (3.5: `tokenUsage: {input, output}`). */
export const tokenUsageSchema = z.object({ input: z.number().int().min(0), output: z.number().int().min(0) });
export type TokenUsage = z.output<typeof tokenUsageSchema>;

/** A tool call of a reply with its result (3.5 [INF] `toolCalls[]`). */
export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  result: z.unknown(),
});
export type ToolCall = z.output<typeof toolCallSchema>;

/**
 * One message. Assistant messages carry `tokenUsage` and `model` (monitoring reads them);
 * `incomplete` marks a reply cut short by a client that left or a stream fault (3.5 [INF]).
 */
export const chatMessageRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  sessionId: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  tokenUsage: tokenUsageSchema.nullable(),
  model: z.string().nullable(),
  toolCalls: z.array(toolCallSchema),
  thoughts: z.array(z.string()),
  incomplete: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type ChatMessageRecord = z.output<typeof chatMessageRecord>;
