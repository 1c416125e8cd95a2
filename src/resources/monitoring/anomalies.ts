import type { SandboxState } from '../../state.ts';
import { monitoringConfig } from './config.ts';
import { finishedExecutions, median, stableId, type ExecutionMetrics } from './execution-metrics.ts';

/**
 * Anomaly detection (nodeloom-api.md 3.7, DOC D-ANOM): every finished (SUCCESS or FAILED)
 * execution gets a score 0–100 from four detectors, each comparing it with its workflow's usual
 * run (the median over the workflow's finished executions; the ratio detectors need at least
 * {@link MIN_BASELINE} of them):
 * - duration spike: run time at least {@link DURATION_RATIO}× the usual and above the config's
 *   `latencyThreshold` (ms);
 * - token overuse: tokens at least the config's `tokenUsageSpike`× the usual;
 * - output size: output at least {@link OUTPUT_RATIO}× the usual and {@link MIN_OUTPUT_CHARS} long;
 * - data exfiltration: secret-looking data in the output (execution-metrics.ts): 60 for one kind,
 *   10 more per further kind (needs no usual run).
 * Only executions of the last {@link WINDOW_MS} (30 days, like the drift baseline) are scored and
 * make the usual run. A ratio r scores 100·(1 − 1/r) (2× → 50, 10× → 90). An execution scoring at least
 * {@link MIN_SCORE} is an anomaly. Nothing is stored: anomalies are derived on read, with ids
 * stable per execution, so an acknowledgement (stored) sticks. [INF] thresholds and formulas.
 */

/** How far back anomalies are looked for (and the usual run computed), ms: 30 days. */
export const WINDOW_MS = 30 * 86_400_000;
/** Least score that makes an anomaly. */
export const MIN_SCORE = 50;
/** Finished executions a workflow needs before its runs are compared with it. */
export const MIN_BASELINE = 5;
/** Run-time ratio of a duration spike. */
export const DURATION_RATIO = 2;
/** Output-size ratio of an output-size anomaly, and the least output it applies to. */
export const OUTPUT_RATIO = 3;
export const MIN_OUTPUT_CHARS = 1024;

/** The four detector scores. */
export interface DetectorScores {
  durationSpike: number;
  tokenOveruse: number;
  outputSize: number;
  dataExfiltration: number;
}

/** A derived anomaly (before its acknowledgement is looked up). */
export interface Anomaly {
  id: string;
  executionId: string;
  workflowId: string;
  workflowName: string;
  score: number;
  detectors: DetectorScores;
  /** Why, one line per detector that fired. */
  reasons: string[];
  /** The execution's end (ISO-8601). */
  createdAt: string;
  /** The execution's `createdAt`, epoch ms (for from/to filters). */
  at: number;
}

const ratioScore = (ratio: number) => Math.round(100 * (1 - 1 / ratio));
const times = (ratio: number) => `${Math.round(ratio * 10) / 10}×`;

/** Every anomaly of the team at the sandbox time, newest first (empty when detection is off). */
export function detectAnomalies(state: SandboxState, teamId: string): Anomaly[] {
  const config = monitoringConfig(state, teamId);
  if (!config.anomalyDetectionEnabled) return [];
  const { tokenUsageSpike, latencyThreshold } = config.alertThresholds;
  const byWorkflow = new Map<string, ExecutionMetrics[]>();
  const now = state.clock.now();
  for (const m of finishedExecutions(state, teamId, now, now - WINDOW_MS)) {
    const list = byWorkflow.get(m.record.workflowId);
    if (list) list.push(m);
    else byWorkflow.set(m.record.workflowId, [m]);
  }
  const anomalies: Anomaly[] = [];
  for (const runs of byWorkflow.values()) {
    // Without enough runs there is no usual to compare with; secrets in an output need none.
    const compared = runs.length >= MIN_BASELINE;
    const usual = {
      duration: median(runs.map((m) => m.durationMs)),
      tokens: median(runs.filter((m) => m.tokens > 0).map((m) => m.tokens)),
      output: median(runs.map((m) => m.outputSize)),
    };
    for (const m of runs) {
      const reasons: string[] = [];
      const detectors: DetectorScores = { durationSpike: 0, tokenOveruse: 0, outputSize: 0, dataExfiltration: 0 };
      const duration = compared && usual.duration > 0 ? m.durationMs / usual.duration : 0;
      if (duration >= DURATION_RATIO && m.durationMs > latencyThreshold) {
        detectors.durationSpike = ratioScore(duration);
        reasons.push(`Ran ${m.durationMs} ms, ${times(duration)} the usual ${Math.round(usual.duration)} ms.`);
      }
      const tokens = compared && usual.tokens > 0 ? m.tokens / usual.tokens : 0;
      if (tokens >= tokenUsageSpike) {
        detectors.tokenOveruse = ratioScore(tokens);
        reasons.push(`Used ${m.tokens} tokens, ${times(tokens)} the usual ${Math.round(usual.tokens)}.`);
      }
      const output = compared && usual.output > 0 ? m.outputSize / usual.output : 0;
      if (output >= OUTPUT_RATIO && m.outputSize >= MIN_OUTPUT_CHARS) {
        detectors.outputSize = ratioScore(output);
        reasons.push(`Output of ${m.outputSize} characters, ${times(output)} the usual ${Math.round(usual.output)}.`);
      }
      if (m.exfiltration.length > 0) {
        detectors.dataExfiltration = Math.min(100, 50 + 10 * m.exfiltration.length);
        reasons.push(`Output contains ${m.exfiltration.join(', ')}.`);
      }
      const score = Math.max(...Object.values(detectors));
      if (score < MIN_SCORE) continue;
      const { record } = m;
      anomalies.push({
        id: stableId(`anomaly:${record.id}`),
        executionId: record.id,
        workflowId: record.workflowId,
        workflowName: record.workflowName,
        score,
        detectors,
        reasons,
        createdAt: m.finishedAt,
        at: m.createdAt,
      });
    }
  }
  return anomalies.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
}
