import type { SandboxState } from '../../state.ts';
import { costUnits, unitsToUsd } from './prices.ts';
import { eachUsageItem, type UsageItem } from './usage-sources.ts';
import { windowView, type Window } from './window.ts';

/**
 * Token usage views (nodeloom-api.md 3.7 #3–#5) over the same usage items (usage-sources.ts), so
 * they agree: the daily and per-model token sums equal the totals exactly, and so do the costs in
 * their exact units (each `cost` is those units as USD). A new trace's tokens appear in all three
 * at once, because nothing is cached.
 */

/** Sums of one bucket. */
interface Bucket {
  inputTokens: number;
  outputTokens: number;
  costUnits: number;
  executions: Set<string>;
}

const emptyBucket = (): Bucket => ({ inputTokens: 0, outputTokens: 0, costUnits: 0, executions: new Set() });

function add(bucket: Bucket, item: UsageItem, units: number): void {
  bucket.inputTokens += item.inputTokens;
  bucket.outputTokens += item.outputTokens;
  bucket.costUnits += units;
  if (item.executionId !== null) bucket.executions.add(item.executionId);
}

/** Usage summed as a whole, per UTC day, per model and per workflow. */
export interface UsageSummary {
  total: Bucket;
  daily: Map<string, Bucket>;
  byModel: Map<string, Bucket>;
  byWorkflow: Map<string, Bucket>;
}

/**
 * Sums a team's usage in a window (one pass over every source).
 * @param workflowId only usage of this workflow, when given (SDK costs `workflow_id`)
 */
export function summarizeUsage(state: SandboxState, teamId: string, window: Window, workflowId?: string): UsageSummary {
  const summary: UsageSummary = { total: emptyBucket(), daily: new Map(), byModel: new Map(), byWorkflow: new Map() };
  const bucketOf = <K>(map: Map<K, Bucket>, key: K) => {
    let bucket = map.get(key);
    if (!bucket) map.set(key, (bucket = emptyBucket()));
    return bucket;
  };
  const DAY = 86_400_000;
  const days = new Map<number, Bucket>();
  eachUsageItem(state, teamId, { ...window, now: state.clock.now() }, (item) => {
    if (workflowId !== undefined && item.workflowId !== workflowId) return;
    const units = costUnits(item.model, item.inputTokens, item.outputTokens);
    add(summary.total, item, units);
    add(bucketOf(days, Math.floor(item.at / DAY)), item, units);
    add(bucketOf(summary.byModel, item.model), item, units);
    if (item.workflowId !== null) add(bucketOf(summary.byWorkflow, item.workflowId), item, units);
  });
  for (const [day, bucket] of days) summary.daily.set(new Date(day * DAY).toISOString().slice(0, 10), bucket);
  return summary;
}

/** `GET .../token-usage`: `{totalInputTokens, totalOutputTokens, totalCost, period}` plus `totalTokens` and `executionCount`. */
export function tokenUsageTotals(state: SandboxState, teamId: string, window: Window) {
  const { total } = summarizeUsage(state, teamId, window);
  return {
    totalInputTokens: total.inputTokens,
    totalOutputTokens: total.outputTokens,
    totalTokens: total.inputTokens + total.outputTokens,
    totalCost: unitsToUsd(total.costUnits),
    executionCount: total.executions.size,
    period: windowView(window),
  };
}

/** Most UTC days a daily view covers. */
export const MAX_DAILY_DAYS = 366;

/**
 * `GET .../token-usage/daily`: one entry per UTC calendar day of the window, oldest first, days
 * without usage included as zeros (a chart needs them).
 * @throws nothing; the route checks the window spans at most {@link MAX_DAILY_DAYS} days
 */
export function tokenUsageDaily(state: SandboxState, teamId: string, window: Window) {
  const { daily } = summarizeUsage(state, teamId, window);
  const days = [];
  const DAY = 86_400_000;
  for (let day = Math.floor(window.from / DAY) * DAY; day <= window.to; day += DAY) {
    const date = new Date(day).toISOString().slice(0, 10);
    const bucket = daily.get(date) ?? emptyBucket();
    days.push({ date, inputTokens: bucket.inputTokens, outputTokens: bucket.outputTokens, cost: unitsToUsd(bucket.costUnits), executionCount: bucket.executions.size });
  }
  return { days, period: windowView(window) };
}

/** `GET .../token-usage/by-model`: one entry per model, highest cost first (then by name). */
export function tokenUsageByModel(state: SandboxState, teamId: string, window: Window) {
  const { byModel } = summarizeUsage(state, teamId, window);
  const models = [...byModel]
    .sort(([a, x], [b, y]) => y.costUnits - x.costUnits || (a < b ? -1 : 1))
    .map(([model, bucket]) => ({ model, inputTokens: bucket.inputTokens, outputTokens: bucket.outputTokens, cost: unitsToUsd(bucket.costUnits), executionCount: bucket.executions.size }));
  return { models, period: windowView(window) };
}
