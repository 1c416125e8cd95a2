import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import { windowView, type Window } from '../monitoring/window.ts';

/**
 * Custom metric aggregation (nodeloom-api.md 3.11.3 `GET /api/sdk/v1/metrics?name=&from=&to=`):
 * the telemetry `metric` events of the team, grouped by name, within the window (by the metric's
 * own timestamp). [INF] shape, snake_case (1.3).
 */

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** `{metrics: [{name, unit, count, sum, avg, min, max, latest, first_at, last_at}], period}`, by name. */
export function aggregateMetrics(state: SandboxState, teamId: string, window: Window, name?: string) {
  const groups = new Map<string, { unit: string | null; values: number[]; first: number; last: number; latest: number }>();
  for (const metric of state.db.sdkMetrics.all()) {
    if (metric.teamId !== teamId || (name !== undefined && metric.name !== name)) continue;
    const at = storedIsoToMs(metric.timestamp);
    if (at < window.from || at > window.to) continue;
    const group = groups.get(metric.name);
    if (!group) {
      groups.set(metric.name, { unit: metric.unit, values: [metric.value], first: at, last: at, latest: metric.value });
      continue;
    }
    group.values.push(metric.value);
    group.unit ??= metric.unit;
    if (at < group.first) group.first = at;
    if (at >= group.last) [group.last, group.latest] = [at, metric.value];
  }
  const metrics = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([metricName, g]) => {
      const sum = g.values.reduce((a, b) => a + b, 0);
      return {
        name: metricName,
        unit: g.unit,
        count: g.values.length,
        sum: round(sum),
        avg: round(sum / g.values.length),
        min: Math.min(...g.values),
        max: Math.max(...g.values),
        latest: g.latest,
        first_at: new Date(g.first).toISOString(),
        last_at: new Date(g.last).toISOString(),
      };
    });
  return { metrics, period: windowView(window) };
}
