import type { SandboxState } from '../../state.ts';
import { unitsToUsd } from '../monitoring/prices.ts';
import { summarizeUsage } from '../monitoring/token-usage.ts';
import { windowView, type Window } from '../monitoring/window.ts';

/**
 * The team's cost summary (nodeloom-api.md 3.11.3 `GET /api/sdk/v1/costs?from=&to=&workflow_id=`,
 * "cost summary for the team"): the same usage and prices as the monitoring token-usage views
 * (3.7), so both agree, in snake_case (1.3). [INF] shape. Default window: the last 30 days.
 */
export function costSummary(state: SandboxState, teamId: string, window: Window, workflowId?: string) {
  const summary = summarizeUsage(state, teamId, window, workflowId);
  const bucketView = (b: (typeof summary)['total']) => ({
    input_tokens: b.inputTokens,
    output_tokens: b.outputTokens,
    cost: unitsToUsd(b.costUnits),
    execution_count: b.executions.size,
  });
  const byCost = <K>(entries: Array<[K, (typeof summary)['total']]>) => entries.sort(([, a], [, b]) => b.costUnits - a.costUnits);
  return {
    currency: 'USD',
    total_cost: unitsToUsd(summary.total.costUnits),
    total_input_tokens: summary.total.inputTokens,
    total_output_tokens: summary.total.outputTokens,
    total_tokens: summary.total.inputTokens + summary.total.outputTokens,
    execution_count: summary.total.executions.size,
    workflow_id: workflowId ?? null,
    period: windowView(window),
    by_model: byCost([...summary.byModel]).map(([model, b]) => ({ model, ...bucketView(b) })),
    by_workflow: byCost([...summary.byWorkflow]).map(([id, b]) => ({
      workflow_id: id,
      workflow_name: state.db.workflows.get(id)?.name ?? null,
      ...bucketView(b),
    })),
  };
}
