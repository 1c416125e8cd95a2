import { z } from 'zod';

/**
 * Stored workflow shape (nodeloom-api.md 3.2). Nodes: `{id, name, type, parameters, credentials,
 * position}` ([INF] id/name/position); edges: `{id, source, target, sourceHandle}` (D-EDGE).
 * `lastExecutionId` points at the newest execution; `lastExecutionStatus` is derived from it on read
 * because executions progress on the clock.
 */
export const nodeSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).default({}),
  credentials: z.string().nullable().default(null),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
});
export type WorkflowNode = z.output<typeof nodeSchema>;

export const edgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  sourceHandle: z.string().nullable().default(null),
});
export type WorkflowEdge = z.output<typeof edgeSchema>;

export const workflowRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
  version: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastExecutionId: z.string().nullable(),
});
export type WorkflowRecord = z.output<typeof workflowRecord>;
