import { z } from 'zod';
import { pageQueryFields } from '../../core/paginate.ts';
import { textParam } from '../../core/query.ts';
import { edgeSchema, nodeSchema } from './records.ts';
import { EXECUTION_STATUSES } from '../executions/records.ts';

/**
 * Request schemas of the workflows routes (nodeloom-api.md 3.2). Bodies are validated here (shape);
 * graph rules (unique ids, edges between existing nodes, one trigger, no cycles) need the whole
 * graph and live in `service.ts`.
 */

/** The documented 400 message for a missing or blank name (nodeloom-api.md 1.4, 3.2 #2). */
export const NAME_REQUIRED = 'Workflow name is required';

/**
 * Whether a node type is a trigger. 37 trigger types exist but the list is not visible
 * (nodeloom-api.md 3.2, D-CWF); every known one ends in `_TRIGGER`, so that suffix decides [INF].
 */
export function isTriggerType(type: string): boolean {
  return type.endsWith('_TRIGGER');
}

/** The trigger node types the seeded data uses, with the execution trigger type each one fires. */
export const TRIGGER_NODE_TYPES = {
  WEBHOOK_TRIGGER: 'WEBHOOK',
  MANUAL_TRIGGER: 'MANUAL',
  SCHEDULE_TRIGGER: 'SCHEDULE',
  CHAT_TRIGGER: 'CHAT',
} as const;
/** A trigger node type of {@link TRIGGER_NODE_TYPES}. */
export type TriggerNodeType = keyof typeof TRIGGER_NODE_TYPES;

/** Longest workflow name, characters (after trimming): a typical JPA `VARCHAR(255)` column [INF]. */
export const MAX_WORKFLOW_NAME = 255;
/** Longest workflow description, characters [INF]: room for a paragraph, not for a document. */
export const MAX_WORKFLOW_DESCRIPTION = 2000;

const name = z
  .string({ error: (issue) => (issue.input === undefined || issue.input === null ? NAME_REQUIRED : 'Workflow name must be a string') })
  .trim()
  .min(1, NAME_REQUIRED)
  .max(MAX_WORKFLOW_NAME, `Workflow name must be at most ${MAX_WORKFLOW_NAME} characters`);

const description = z
  .string({ error: 'Workflow description must be a string or null' })
  .max(MAX_WORKFLOW_DESCRIPTION, `Workflow description must be at most ${MAX_WORKFLOW_DESCRIPTION} characters`)
  .nullable();

/** A node as a client sends it: `name` may be left out (the type is used). */
const nodeInput = nodeSchema.extend({ name: z.string().optional() });
/** An edge as a client sends it: `id` may be left out (`edge_<n>` is assigned). */
const edgeInput = edgeSchema.extend({ id: z.string().min(1).optional() });

/** A validated client node (`name` still optional). */
export type NodeInput = z.output<typeof nodeInput>;
/** A validated client edge (`id` still optional). */
export type EdgeInput = z.output<typeof edgeInput>;

/**
 * `GET /api/workflows` query: `teamId` (a token may omit it), `page`, `size`, `search` (a String
 * parameter: repeated values are joined with a comma, src/core/query.ts).
 */
export const listWorkflowsQuery = z.object({
  teamId: z.string().optional(),
  search: textParam(z.string().optional()),
  ...pageQueryFields(),
});

/**
 * `POST /api/workflows` body: `{name (required), description?, teamId, nodes?, edges?}`.
 * An empty body reads as `{}`, so it answers "Workflow name is required" like a body without a name.
 */
export const createWorkflowBody = z.preprocess(
  (value) => value ?? {},
  z.object(
    {
      name,
      description: description.optional(),
      teamId: z.string().optional(),
      nodes: z.array(nodeInput).optional(),
      edges: z.array(edgeInput).optional(),
    },
    { error: 'The body must be a JSON object such as {"name": "My workflow", "teamId": "<team id>"}' },
  ),
);
/** A validated create body. */
export type CreateWorkflowBody = z.output<typeof createWorkflowBody>;

/**
 * `PUT /api/workflows/:id` body: a partial update of name, description, nodes, edges, active [INF 3.2 #3].
 * The body itself is required, as a Spring `@RequestBody` is: none answers 400 (validate.ts), `null` too.
 */
export const updateWorkflowBody = z.object(
  {
    name: name.optional(),
    description: description.optional(),
    nodes: z.array(nodeInput).optional(),
    edges: z.array(edgeInput).optional(),
    active: z.boolean({ error: 'active must be true or false' }).optional(),
  },
  { error: 'The body must be a JSON object with the fields to change, e.g. {"name": "New name"}' },
);
/** A validated update body. */
export type UpdateWorkflowBody = z.output<typeof updateWorkflowBody>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /api/workflows/:id/execute` body: the workflow input itself, any JSON object; no body means
 * `{}`. A body whose only key is `input` holding an object is unwrapped (nodeloom-api.md 4.9 [INF]).
 * Arrays, scalars and `null` are rejected with a 400.
 */
export const executeWorkflowBody = z.unknown().transform((value, ctx): Record<string, unknown> => {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'The execute body must be a JSON object holding the workflow input, e.g. {"query": "test"} (send {} for no input).',
    });
    return z.NEVER;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'input' && isPlainObject(value.input)) return value.input;
  return value;
});

/** WorkflowSummary (3.2 list item), for the OpenAPI document. */
export const workflowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  nodeCount: z.number().int().min(0),
  lastExecutionStatus: z.enum(EXECUTION_STATUSES).nullable(),
});

/** The full Workflow (3.2 [INF]: the summary plus `teamId`, `version`, `nodes`, `edges`). */
export const workflowView = workflowSummary.extend({ teamId: z.string(), version: z.number().int(), nodes: z.array(nodeSchema), edges: z.array(edgeSchema) });

/** `POST /api/workflows/:id/execute` answer (3.2 #6 [INF]): a reference to the new execution (`id` = `executionId`). For the OpenAPI document. */
export const executionReference = z.object({
  id: z.string(),
  executionId: z.string(),
  workflowId: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  startedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
