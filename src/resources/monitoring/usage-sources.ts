import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import type { ExecutionRecord, PlannedNode } from '../executions/records.ts';

/**
 * Where token usage comes from (nodeloom-api.md 3.7, DOC D-TOK "token usage counted per AI-node
 * execution (prompt + completion)"): every source yields {@link UsageItem}s of one team within a
 * window, and the token-usage views, the SDK cost summary and the anomaly detectors all read
 * {@link USAGE_SOURCES}. Adding a source (e.g. agent chat replies) is one function in that list.
 */

/** One priced use of a model. */
export interface UsageItem {
  /** When it is counted, epoch ms: the execution's (or message's) `createdAt`. */
  at: number;
  /** Model name as reported (`unknown` when none was). */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** The execution it belongs to (counted once per view bucket), or null. */
  executionId: string | null;
  /** The workflow it belongs to, or null. */
  workflowId: string | null;
}

/** The window a source reads: inclusive epoch-ms bounds, and the sandbox time. */
export interface UsageWindow {
  from: number;
  to: number;
  now: number;
}

/** A source of usage items for one team. */
export type UsageSource = (state: SandboxState, teamId: string, window: UsageWindow) => Iterable<UsageItem>;

/** Label of usage reported without a model name. */
export const UNKNOWN_MODEL = 'unknown';

/** Whether a planned node has finished successfully at `now` (a cancel stops the nodes after it). */
function nodeDone(record: ExecutionRecord, node: PlannedNode, now: number): boolean {
  if (node.outcome !== 'SUCCESS') return false;
  const end = storedIsoToMs(record.startedAt) + node.offsetMs + node.durationMs;
  const stop = record.cancelledAt === null ? now : Math.min(now, storedIsoToMs(record.cancelledAt));
  return stop >= end;
}

/**
 * Usage of one execution: its AI_AGENT nodes that finished (output `usage` and `model`, see
 * executions/plan.ts), or for an SDK trace its spans' `token_usage`.
 */
export function executionUsage(record: ExecutionRecord, now: number): UsageItem[] {
  const items: UsageItem[] = [];
  const at = storedIsoToMs(record.createdAt);
  for (const node of record.nodes) {
    if (record.sdk) {
      const usage = node.span?.tokenUsage;
      if (!usage || usage.promptTokens + usage.completionTokens === 0) continue;
      items.push({ at, model: usage.model ?? UNKNOWN_MODEL, inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, executionId: record.id, workflowId: record.workflowId });
      continue;
    }
    if (node.nodeType !== 'AI_AGENT' || !nodeDone(record, node, now)) continue;
    const usage = node.output?.usage as { promptTokens?: unknown; completionTokens?: unknown } | undefined;
    if (typeof usage?.promptTokens !== 'number' || typeof usage.completionTokens !== 'number') continue;
    const model = typeof node.output?.model === 'string' ? node.output.model : UNKNOWN_MODEL;
    items.push({ at, model, inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, executionId: record.id, workflowId: record.workflowId });
  }
  return items;
}

/** Executions of the team created within the window (workflow runs and SDK traces alike). */
function* teamExecutions(state: SandboxState, teamId: string, window: UsageWindow): Iterable<ExecutionRecord> {
  for (const record of state.db.executions.all()) {
    if (record.teamId !== teamId) continue;
    const at = storedIsoToMs(record.createdAt);
    if (at >= window.from && at <= window.to) yield record;
  }
}

/** Workflow executions: the AI nodes that ran. */
const workflowRuns: UsageSource = function* (state, teamId, window) {
  for (const record of teamExecutions(state, teamId, window)) if (!record.sdk) yield* executionUsage(record, window.now);
};

/** SDK traces: the spans that reported token usage. */
const sdkTraces: UsageSource = function* (state, teamId, window) {
  for (const record of teamExecutions(state, teamId, window)) if (record.sdk) yield* executionUsage(record, window.now);
};

/**
 * Every usage source, in the order views list their items. Agent chat replies (the chat area's
 * `chatMessages` with `tokenUsage` and `model`) join here as one more function.
 */
export const USAGE_SOURCES: UsageSource[] = [workflowRuns, sdkTraces];

/** Every usage item of a team in a window, from every source. */
export function* usageItems(state: SandboxState, teamId: string, window: UsageWindow): Iterable<UsageItem> {
  for (const source of USAGE_SOURCES) yield* source(state, teamId, window);
}
