import { withinJsonDepth } from '../../core/json-depth.ts';
import type { WorkflowEdge, WorkflowNode, WorkflowRecord } from '../workflows/records.ts';
import { isTriggerType } from '../workflows/schema.ts';
import type { ExecutionRecord, PlannedNode, TRIGGER_TYPES } from './records.ts';

/**
 * Plans a workflow run as an ExecutionRecord (design.md "Time"): the record fixes when the run was
 * accepted, when it starts, how long each node takes and how it ends; `view.ts` derives what a
 * client sees at any clock time. Used by seeding (per-entity faker) and by
 * `POST /api/workflows/:id/execute` (the runtime stream `state.random()`), so both stay deterministic.
 *
 * Simulation rules [INF] (nodeloom-api.md 3.2, 3.3): nodes run one after another in topological
 * order; an IF_ELSE or SWITCH node takes one of its outgoing handles and nodes reached only through
 * the others are SKIPPED (branch not taken); after a failing node every later node is SKIPPED.
 */

/** Execution trigger types (nodeloom-api.md 3.3 [INF]). */
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** The sandbox extension that makes an execute call fail: `{"__sandboxFail": true}` in the input. */
export const SANDBOX_FAIL_KEY = '__sandboxFail';
/** Error message of a node failed by {@link SANDBOX_FAIL_KEY}. */
export const SANDBOX_FAIL_MESSAGE = 'Simulated failure: the execution input set "__sandboxFail": true (a sandbox extension).';
/** How long an execute call stays PENDING before it starts RUNNING, ms. */
export const DEFAULT_QUEUED_MS = 250;

/** What {@link planExecution} needs besides the workflow. */
export interface PlanOptions {
  /** Execution id (UUID). */
  id: string;
  /** The workflow input (becomes `inputData` and the trigger node's input). */
  input: Record<string, unknown>;
  triggerType: TriggerType;
  /** When the run is accepted, epoch ms (`createdAt`). */
  createdAt: number;
  /** How long it stays PENDING, ms (default {@link DEFAULT_QUEUED_MS}). */
  queuedMs?: number;
  /** Random numbers in [0, 1): a seeded source, never `Math.random`. */
  random: () => number;
  /**
   * Forces a failure. `at` picks the failing node among the executed non-trigger nodes: `middle`,
   * or a fraction in [0, 1). Default: `middle` with {@link SANDBOX_FAIL_MESSAGE} when the input has
   * `"__sandboxFail": true`, else no failure. `message` defaults to an error typical of the node type.
   */
  failure?: { at: 'middle' | number; message?: string } | null;
  /** Cancels the run after this fraction of its run time, in [0, 1) (seeded CANCELLED executions). */
  cancelAtFraction?: number | null;
  /** Version the run used (default: the workflow's current version). */
  workflowVersion?: number;
  /**
   * The workflow's {@link workflowGraph}, when the caller plans many runs of one workflow (the
   * `large` data set: 100,000 runs of 2,000 workflows); computed here when absent.
   */
  graph?: WorkflowGraph;
}

/** What planning needs from a workflow's nodes and edges, computed once per workflow. */
export interface WorkflowGraph {
  /** Nodes in run order: topological, or as stored for a graph with a cycle (stored graphs are acyclic). */
  order: readonly WorkflowNode[];
  /** Each node's incoming edges, in the workflow's edge order. */
  incoming: ReadonlyMap<string, readonly WorkflowEdge[]>;
  /** Each IF_ELSE or SWITCH node's distinct non-null outgoing handles, in edge order. */
  handles: ReadonlyMap<string, readonly string[]>;
}

/** The {@link WorkflowGraph} of a workflow's current nodes and edges. */
export function workflowGraph(workflow: Pick<WorkflowRecord, 'nodes' | 'edges'>): WorkflowGraph {
  const sorted = topologicalOrder(workflow.nodes, workflow.edges);
  const incoming = new Map<string, WorkflowEdge[]>(workflow.nodes.map((node) => [node.id, []]));
  for (const edge of workflow.edges) incoming.get(edge.target)?.push(edge);
  const handles = new Map<string, string[]>();
  for (const node of workflow.nodes) {
    if (node.type !== 'IF_ELSE' && node.type !== 'SWITCH') continue;
    handles.set(node.id, [...new Set(workflow.edges.filter((e) => e.source === node.id && e.sourceHandle !== null).map((e) => e.sourceHandle!))]);
  }
  return { order: sorted.blocked.length === 0 ? sorted.order : workflow.nodes, incoming, handles };
}

/**
 * Builds the execution record of one run of `workflow`.
 * @returns a record ready for `db.executions.insert` (ISO-8601 times, durations in ms)
 */
export function planExecution(workflow: WorkflowRecord, options: PlanOptions): ExecutionRecord {
  const { random, input } = options;
  const graph = options.graph ?? workflowGraph(workflow);
  const { order } = graph;
  const ran = reachedNodes(graph, random);
  const executed = order.filter((node) => ran.has(node.id));
  const failure = options.failure !== undefined ? options.failure : input[SANDBOX_FAIL_KEY] === true ? { at: 'middle' as const, message: SANDBOX_FAIL_MESSAGE } : null;
  let failing: WorkflowNode | undefined;
  if (failure) {
    const candidates = executed.filter((node) => !isTriggerType(node.type));
    const pool = candidates.length > 0 ? candidates : executed;
    const index = failure.at === 'middle' ? Math.floor((pool.length - 1) / 2) : Math.floor(failure.at * pool.length);
    failing = pool[Math.min(Math.max(index, 0), pool.length - 1)];
  }
  const outputs = new Map<string, Record<string, unknown>>();
  const depths = new WeakMap<object, number>();
  const planned: PlannedNode[] = [];
  let offset = 0;
  let stopped = false;
  let errorMessage: string | null = failure && !failing ? (failure.message ?? SANDBOX_FAIL_MESSAGE) : null;
  let lastOutput: Record<string, unknown> | null = null;
  for (const node of order) {
    if (stopped || !ran.has(node.id)) {
      planned.push(plannedNode(node, offset, 0, 'SKIPPED', null, null, null));
      continue;
    }
    const parent = graph.incoming.get(node.id)?.find((edge) => outputs.has(edge.source));
    const nodeInput = parent ? outputs.get(parent.source)! : input;
    const profile = PROFILES[node.type] ?? DEFAULT_PROFILE;
    const durationMs = between(random, profile.ms[0], profile.ms[1]);
    if (node === failing) {
      errorMessage = failure?.message ?? pick(random, profile.errors ?? DEFAULT_ERRORS);
      planned.push(plannedNode(node, offset, durationMs, 'FAILED', nodeInput, null, errorMessage));
      stopped = true;
    } else {
      const output = withinJsonDepth(withModel(node, profile.output(random, nodeInput)), depths); // GUARDRAIL nests its input
      outputs.set(node.id, output);
      lastOutput = output;
      planned.push(plannedNode(node, offset, durationMs, 'SUCCESS', nodeInput, output, null));
    }
    offset += durationMs;
  }
  const startedAt = options.createdAt + (options.queuedMs ?? DEFAULT_QUEUED_MS);
  const cancelAt = options.cancelAtFraction;
  return {
    id: options.id,
    teamId: workflow.teamId,
    workflowId: workflow.id,
    workflowName: workflow.name,
    workflowVersion: options.workflowVersion ?? workflow.version,
    triggerType: options.triggerType,
    createdAt: iso(options.createdAt),
    startedAt: iso(startedAt),
    durationMs: offset,
    outcome: errorMessage === null ? 'SUCCESS' : 'FAILED',
    inputData: input,
    outputData: errorMessage === null ? (lastOutput ?? {}) : null,
    errorMessage,
    nodes: planned,
    cancelledAt: cancelAt === undefined || cancelAt === null ? null : iso(startedAt + Math.floor(cancelAt * offset)),
  };
}

/**
 * Nodes in an order where every edge goes from an earlier to a later node (Kahn's algorithm,
 * ties kept in the given order).
 * @returns `order`, the nodes that could be ordered, and `blocked`, the nodes on or behind a cycle
 *   (empty for a valid workflow)
 */
export function topologicalOrder(nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): { order: WorkflowNode[]; blocked: WorkflowNode[] } {
  const pending = new Map(nodes.map((node) => [node.id, 0]));
  for (const edge of edges) if (pending.has(edge.target)) pending.set(edge.target, pending.get(edge.target)! + 1);
  const order: WorkflowNode[] = [];
  const done = new Set<string>();
  for (let next = nodes.find((node) => pending.get(node.id) === 0); next; next = nodes.find((node) => !done.has(node.id) && pending.get(node.id) === 0)) {
    order.push(next);
    done.add(next.id);
    for (const edge of edges) if (edge.source === next.id && pending.has(edge.target)) pending.set(edge.target, pending.get(edge.target)! - 1);
  }
  return { order, blocked: nodes.filter((node) => !done.has(node.id)) };
}

/**
 * The nodes a run reaches: the trigger (or, without one, every node no edge leads to), then every
 * node with an incoming edge from a reached node whose chosen branch handle matches.
 */
function reachedNodes({ order, incoming: incomingOf, handles: handlesOf }: WorkflowGraph, random: () => number): Set<string> {
  const trigger = order.find((node) => isTriggerType(node.type));
  const ran = new Set<string>();
  const chosen = new Map<string, string>();
  for (const node of order) {
    const incoming = incomingOf.get(node.id) ?? [];
    const reached = trigger
      ? node === trigger || incoming.some((edge) => ran.has(edge.source) && handleTaken(chosen, edge))
      : incoming.length === 0 || incoming.some((edge) => ran.has(edge.source) && handleTaken(chosen, edge));
    if (!reached) continue;
    ran.add(node.id);
    // By type as well as id: a restored snapshot may hold two nodes with one id (the API refuses it).
    const handles = node.type === 'IF_ELSE' || node.type === 'SWITCH' ? handlesOf.get(node.id) : undefined;
    if (handles && handles.length > 0) {
      const preferTrue = node.type === 'IF_ELSE' && handles.includes('true') && random() < 0.65;
      chosen.set(node.id, preferTrue ? 'true' : pick(random, handles));
    }
  }
  return ran;
}

/**
 * An AI node's output names the model its parameters chose (`{text, usage, model}`), so token
 * usage can be priced per model (nodeloom-api.md 3.7). Draws nothing from `random`, so adding it
 * changed no other seeded value.
 */
function withModel(node: WorkflowNode, output: Record<string, unknown>): Record<string, unknown> {
  const model = node.parameters.model;
  // The profile made `output` just now: adding the key in place is cheap, a spread copy is not
  // (100,000 executions in the `large` data set).
  if (node.type === 'AI_AGENT' && typeof model === 'string') output.model = model;
  return output;
}

// A plain literal: object spread here was the seed's hottest line (slow-path objects).
type Data = PlannedNode['input'];
function plannedNode(node: WorkflowNode, offsetMs: number, durationMs: number, outcome: PlannedNode['outcome'], input: Data, output: Data, errorMessage: string | null): PlannedNode {
  return { nodeId: node.id, nodeName: node.name, nodeType: node.type, offsetMs, durationMs, outcome, input, output, errorMessage };
}

function handleTaken(chosen: Map<string, string>, edge: WorkflowEdge): boolean {
  const taken = chosen.get(edge.source);
  return taken === undefined || edge.sourceHandle === null || edge.sourceHandle === taken;
}

const iso = (ms: number) => new Date(ms).toISOString();
const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

type Output = (random: () => number, input: Record<string, unknown>) => Record<string, unknown>;
interface Profile {
  /** Run time range, ms. */
  ms: [number, number];
  output: Output;
  errors?: readonly string[];
}

const passThrough: Output = (_random, input) => ({ ...input });
const AI_REPLIES = [
  'Classified as a billing question with high confidence; suggested reply drafted.',
  'Summary: three new enterprise leads, one flagged as a likely duplicate.',
  'The customer reports intermittent gripper faults on unit R-214; severity high.',
  'No action needed: the request matches an existing open ticket.',
  'Drafted a friendly follow-up that answers both questions and links the setup guide.',
];
const DEFAULT_ERRORS = ['Node timed out after 30000 ms'];
const DEFAULT_PROFILE: Profile = { ms: [5, 120], output: (random) => ({ ok: true, items: between(random, 1, 25) }) };

/**
 * Run time, output and typical errors per node type (nodeloom-api.md 3.2 node families); unknown
 * types use DEFAULT_PROFILE. Outputs never depend on absolute time, so seeding may move a planned
 * record in time.
 */
const PROFILES: Record<string, Profile> = {
  WEBHOOK_TRIGGER: { ms: [2, 15], output: passThrough },
  MANUAL_TRIGGER: { ms: [1, 5], output: passThrough },
  CHAT_TRIGGER: { ms: [2, 12], output: passThrough },
  SCHEDULE_TRIGGER: { ms: [1, 5], output: passThrough },
  HTTP_REQUEST: {
    ms: [80, 900],
    output: (random) => ({ statusCode: 200, body: { ok: true, count: between(random, 0, 40) } }),
    errors: ['Request failed with status code 503 (Service Unavailable)', 'connect ETIMEDOUT after 30000 ms', 'Request failed with status code 401 (Unauthorized)'],
  },
  AI_AGENT: {
    ms: [1200, 6500],
    output: (random) => {
      const promptTokens = between(random, 300, 2400);
      const completionTokens = between(random, 40, 600);
      return { text: pick(random, AI_REPLIES), usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
    },
    errors: ['OpenAI API error: Rate limit reached for gpt-4o (429)', 'Model response was not valid JSON for the configured output schema', 'Anthropic API error: overloaded_error (529)'],
  },
  GUARDRAIL: {
    ms: [40, 350],
    output: (_random, input) => ({ passed: true, violations: [], content: input }),
    errors: ['Guardrail blocked the input: PROMPT_INJECTION detected (severity BLOCK)', 'Guardrail blocked the input: PII detected (EMAIL_ADDRESS)'],
  },
  SLACK_SEND_MESSAGE: {
    ms: [150, 600],
    output: (random) => ({ ok: true, ts: `1761${between(random, 100000, 999999)}.${between(random, 100000, 999999)}` }),
    errors: ['Slack API error: channel_not_found', 'Slack API error: not_in_channel', 'Slack API error: invalid_auth'],
  },
  IF_ELSE: { ms: [1, 8], output: passThrough },
  SWITCH: { ms: [1, 8], output: passThrough },
  JSON_TRANSFORM: { ms: [2, 40], output: passThrough, errors: ['Expression error: Cannot read properties of undefined (reading "email")'] },
  SET: { ms: [1, 10], output: passThrough },
  MERGE: { ms: [1, 12], output: passThrough },
  CODE: { ms: [5, 180], output: passThrough, errors: ['TypeError: items.map is not a function (line 3)'] },
  DATABASE_SQL: {
    ms: [20, 450],
    output: (random) => ({ rowCount: between(random, 0, 120) }),
    errors: ['Connection to database timed out after 30000 ms', 'ERROR: duplicate key value violates unique constraint "leads_email_key"'],
  },
  GMAIL: { ms: [200, 900], output: (random) => ({ messageId: `18c${between(random, 1e6, 9e6).toString(16)}`, labelIds: ['SENT'] }), errors: ['Gmail API error: invalid_grant (token expired)'] },
  GOOGLE_SHEETS: { ms: [150, 800], output: (random) => ({ updatedRange: `Sheet1!A${between(random, 2, 900)}:H`, updatedRows: 1 }), errors: ['Google Sheets API error: The caller does not have permission'] },
  GOOGLE_CALENDAR: { ms: [150, 700], output: (random) => ({ eventId: `evt${between(random, 1e6, 9e6)}`, status: 'confirmed' }) },
  DISCORD: { ms: [120, 500], output: (random) => ({ id: String(between(random, 1e8, 9e8)), delivered: true }), errors: ['Discord API error: Missing Access (50001)'] },
  MCP_TOOL: { ms: [60, 1500], output: (random) => ({ isError: false, content: [{ type: 'text', text: `${between(random, 1, 9)} results` }] }) },
};
