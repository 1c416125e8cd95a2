import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import type { ExecutionRecord, PlannedNode } from '../executions/records.ts';
import { isFinished } from '../executions/view.ts';

/**
 * Where token usage comes from (nodeloom-api.md 3.7, DOC D-TOK "token usage counted per AI-node
 * execution (prompt + completion)"): every source yields {@link UsageItem}s of one team within a
 * window, and the token-usage views and the SDK cost summary read {@link USAGE_SOURCES}:
 * executions (workflow runs' AI nodes and SDK traces' spans) and agent chat replies. Adding a
 * source is one function in that list.
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

/**
 * A source of usage items for one team: calls `emit` for each item within the window. (Callbacks,
 * not generators: a `large` data set yields 100,000+ items per request.)
 */
export type UsageSource = (state: SandboxState, teamId: string, window: UsageWindow, emit: (item: UsageItem) => void) => void;

/** Label of usage reported without a model name. */
export const UNKNOWN_MODEL = 'unknown';

/** Whether a planned node has finished successfully at `now` (a cancel stops the nodes after it). */
function nodeDone(record: ExecutionRecord, node: PlannedNode, now: number): boolean {
  if (node.outcome !== 'SUCCESS') return false;
  const end = storedIsoToMs(record.startedAt) + node.offsetMs + node.durationMs;
  const stop = record.cancelledAt === null ? now : Math.min(now, storedIsoToMs(record.cancelledAt));
  return stop >= end;
}

/** Usage of finished executions, which never changes again (records are replaced, not mutated, on update). */
const finalUsage = new WeakMap<ExecutionRecord, UsageItem[]>();

/**
 * Usage of one execution: its AI_AGENT nodes that finished (output `usage` and `model`, see
 * executions/plan.ts), or for an SDK trace its spans' `token_usage`.
 */
export function executionUsage(record: ExecutionRecord, now: number): UsageItem[] {
  const cached = finalUsage.get(record);
  if (cached) return cached;
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
  if (isFinished(record, now)) finalUsage.set(record, items);
  return items;
}

/**
 * Executions of the team created within the window, workflow runs (their AI nodes) and SDK traces
 * (their spans) alike: one pass, because a `large` data set holds 100,000 executions.
 */
const executions: UsageSource = (state, teamId, window, emit) => {
  for (const record of state.db.executions.all()) {
    if (record.teamId !== teamId) continue;
    const at = storedIsoToMs(record.createdAt);
    if (at < window.from || at > window.to) continue;
    for (const item of executionUsage(record, window.now)) emit(item);
  }
};

/**
 * Agent chat replies (3.5): assistant messages with `tokenUsage` and `model`, counted when they
 * were written, under the chat session's workflow (a reply is no execution).
 */
const chatReplies: UsageSource = (state, teamId, window, emit) => {
  for (const message of state.db.chatMessages.all()) {
    if (message.teamId !== teamId || message.role !== 'assistant' || !message.tokenUsage) continue;
    const at = storedIsoToMs(message.createdAt);
    if (at < window.from || at > window.to) continue;
    const workflowId = state.db.chatSessions.get(message.sessionId)?.workflowId ?? null;
    emit({ at, model: message.model ?? UNKNOWN_MODEL, inputTokens: message.tokenUsage.input, outputTokens: message.tokenUsage.output, executionId: null, workflowId });
  }
};

/** Every usage source, in the order views list their items; a new source is one more function here. */
export const USAGE_SOURCES: UsageSource[] = [executions, chatReplies];

/** Calls `emit` for every usage item of a team in a window, from every source. */
export function eachUsageItem(state: SandboxState, teamId: string, window: UsageWindow, emit: (item: UsageItem) => void): void {
  for (const source of USAGE_SOURCES) source(state, teamId, window, emit);
}
