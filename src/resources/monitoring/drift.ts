import type { SandboxState } from '../../state.ts';
import { monitoringConfig } from './config.ts';
import { finishedExecutions, stableId, type ExecutionMetrics } from './execution-metrics.ts';

/**
 * Drift alerts (nodeloom-api.md 3.7, DOC D-DRIFT): per workflow, the recent window — the last
 * {@link RECENT_RUNS} finished executions or the last 7 days, whichever holds fewer — against the
 * 30-day baseline before it. Four drift types ([INF] enum `DURATION|TOKEN|OUTPUT_SIZE|ERROR_RATE`):
 * mean run time, mean tokens and mean output size that rose by at least {@link MIN_RISE} (50 %),
 * and an error rate that rose by at least the config's `errorRateThreshold` (with at least
 * {@link MIN_RECENT_FAILURES} recent failures). A workflow needs at
 * least {@link MIN_RECENT} recent and {@link MIN_BASELINE_RUNS} baseline runs. Alerts are derived at
 * the sandbox time, with ids stable per (workflow, type), so acknowledging one sticks. [INF] rules.
 */

export const DRIFT_TYPES = ['DURATION', 'TOKEN', 'OUTPUT_SIZE', 'ERROR_RATE'] as const;
export type DriftType = (typeof DRIFT_TYPES)[number];

const DAY = 86_400_000;
/** Recent window: this many runs at most, within {@link RECENT_MS}. */
export const RECENT_RUNS = 50;
export const RECENT_MS = 7 * DAY;
export const BASELINE_MS = 30 * DAY;
export const MIN_RECENT = 2;
export const MIN_BASELINE_RUNS = 5;
/** Failures the recent window needs before its error rate can drift (one failure is noise). */
export const MIN_RECENT_FAILURES = 2;
/** Relative rise of a mean that counts as drift. */
export const MIN_RISE = 0.5;

/** A window's runs, as the alert shows them. */
interface WindowView {
  from: string;
  to: string;
  executionCount: number;
}

/** A derived drift alert (before its acknowledgement is looked up). */
export interface DriftAlert {
  id: string;
  workflowId: string;
  workflowName: string;
  driftType: DriftType;
  severity: 'LOW' | 'MEDIUM' | 'HIGH';
  baselineValue: number;
  recentValue: number;
  /** Relative change in percent (for ERROR_RATE: the rise in percentage points). */
  changePercent: number;
  message: string;
  recentWindow: WindowView;
  baselineWindow: WindowView;
  /** The newest recent run's `createdAt` (ISO-8601). */
  detectedAt: string;
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const iso = (ms: number) => new Date(ms).toISOString();

/** Every drift alert of the team at the sandbox time, newest first (empty when drift alerts are off). */
export function detectDrift(state: SandboxState, teamId: string): DriftAlert[] {
  const config = monitoringConfig(state, teamId);
  if (!config.driftAlertEnabled) return [];
  const now = state.clock.now();
  const byWorkflow = new Map<string, ExecutionMetrics[]>();
  for (const m of finishedExecutions(state, teamId, now, now - BASELINE_MS - RECENT_MS)) {
    const list = byWorkflow.get(m.record.workflowId);
    if (list) list.push(m);
    else byWorkflow.set(m.record.workflowId, [m]);
  }
  const alerts: DriftAlert[] = [];
  for (const runs of byWorkflow.values()) {
    const inLastWeek = runs.filter((m) => m.createdAt >= now - RECENT_MS);
    const recent = inLastWeek.slice(-RECENT_RUNS);
    if (recent.length < MIN_RECENT) continue;
    const recentStart = recent[0]!.createdAt;
    const baseline = runs.filter((m) => m.createdAt < recentStart && m.createdAt >= recentStart - BASELINE_MS);
    if (baseline.length < MIN_BASELINE_RUNS) continue;
    const first = recent[0]!.record;
    const windows = {
      recentWindow: { from: iso(recentStart), to: iso(recent.at(-1)!.createdAt), executionCount: recent.length },
      baselineWindow: { from: iso(baseline[0]!.createdAt), to: iso(baseline.at(-1)!.createdAt), executionCount: baseline.length },
    };
    const raise = (driftType: DriftType, baselineValue: number, recentValue: number, change: number, severity: DriftAlert['severity'], message: string) =>
      alerts.push({
        id: stableId(`drift:${teamId}:${first.workflowId}:${driftType}`),
        workflowId: first.workflowId,
        workflowName: first.workflowName,
        driftType,
        severity,
        baselineValue: round(baselineValue, 4),
        recentValue: round(recentValue, 4),
        changePercent: round(change * 100, 1),
        message,
        ...windows,
        detectedAt: recent.at(-1)!.record.createdAt,
      });
    const means: Array<[DriftType, (m: ExecutionMetrics) => number, string]> = [
      ['DURATION', (m) => m.durationMs, 'mean run time (ms)'],
      ['TOKEN', (m) => m.tokens, 'mean tokens per run'],
      ['OUTPUT_SIZE', (m) => m.outputSize, 'mean output size (characters)'],
    ];
    for (const [type, value, what] of means) {
      const before = mean(baseline.map(value));
      const after = mean(recent.map(value));
      if (before <= 0) continue;
      const rise = after / before - 1;
      if (rise < MIN_RISE) continue;
      const severity = rise >= 2 ? 'HIGH' : rise >= 1 ? 'MEDIUM' : 'LOW';
      raise(type, before, after, rise, severity, `The ${what} rose from ${round(before, 1)} to ${round(after, 1)} (+${Math.round(rise * 100)} %).`);
    }
    const errorRate = (list: ExecutionMetrics[]) => list.filter((m) => m.status === 'FAILED').length / list.length;
    const [before, after] = [errorRate(baseline), errorRate(recent)];
    const rise = after - before;
    if (rise >= config.alertThresholds.errorRateThreshold && recent.filter((m) => m.status === 'FAILED').length >= MIN_RECENT_FAILURES) {
      const severity = rise >= 0.5 ? 'HIGH' : rise >= 0.3 ? 'MEDIUM' : 'LOW';
      raise('ERROR_RATE', before, after, rise, severity, `The error rate rose from ${Math.round(before * 100)} % to ${Math.round(after * 100)} %.`);
    }
  }
  return alerts.sort((a, b) => (a.detectedAt < b.detectedAt ? 1 : a.detectedAt > b.detectedAt ? -1 : a.id < b.id ? -1 : 1));
}
