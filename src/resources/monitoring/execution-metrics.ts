import { hash32 } from '../../core/seeded.ts';
import type { SandboxState } from '../../state.ts';
import { storedIsoToMs } from '../executions/iso-instant.ts';
import type { ExecutionRecord } from '../executions/records.ts';
import { finishedAtAt, statusAt } from '../executions/view.ts';
import { executionUsage } from './usage-sources.ts';

/**
 * What the detectors measure of one finished execution (nodeloom-api.md 3.7, DOC D-ANOM
 * "anomaly scoring only for SUCCESS/FAILED"): run time, tokens, output size and the secrets its
 * output carries. Measured once per stored record (records never change in place, so a WeakMap
 * keyed by the record is exact) because a `large` data set has 100,000 of them.
 */

/** Measurements of a finished execution. */
export interface ExecutionMetrics {
  record: ExecutionRecord;
  status: 'SUCCESS' | 'FAILED';
  /** When it was accepted, epoch ms (detector windows use it). */
  createdAt: number;
  /** When it finished (ISO-8601). */
  finishedAt: string;
  durationMs: number;
  tokens: number;
  /** Length of the JSON of its output, characters. */
  outputSize: number;
  /** Kinds of secrets found in its output (see {@link EXFILTRATION_PATTERNS}). */
  exfiltration: string[];
}

/**
 * Secret-looking data in an output (DOC D-ANOM "data exfiltration pattern" [INF] which ones):
 * API keys, cloud keys, private keys, JWTs, card numbers, and a pile of email addresses.
 */
export const EXFILTRATION_PATTERNS: ReadonlyArray<readonly [kind: string, pattern: RegExp, minimum: number]> = [
  ['API_KEY', /\bsk-[A-Za-z0-9_-]{20,}/g, 1],
  ['AWS_ACCESS_KEY', /\bAKIA[0-9A-Z]{16}\b/g, 1],
  ['PRIVATE_KEY', /-----BEGIN [A-Z ]*PRIVATE KEY-----/g, 1],
  ['JWT', /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, 1],
  ['CARD_NUMBER', /\b(?:\d{4}[ -]){3}\d{4}\b/g, 1],
  ['EMAIL_ADDRESSES', /[\w.+-]+@[\w-]+\.[\w.-]+/g, 5],
];

/** A cheap first look: an output without any of these cannot match a pattern above. */
const SUSPECT = /sk-|AKIA|PRIVATE KEY|eyJ|\d{4}[ -]\d{4}|@/;

const cache = new WeakMap<ExecutionRecord, ExecutionMetrics>();

/** The execution's measurements at `now`, or null while it is not SUCCESS or FAILED. */
export function measure(record: ExecutionRecord, now: number): ExecutionMetrics | null {
  const cached = cache.get(record);
  if (cached) return cached;
  const status = statusAt(record, now);
  if (status !== 'SUCCESS' && status !== 'FAILED') return null;
  const output = JSON.stringify(record.outputData ?? {});
  const metrics: ExecutionMetrics = {
    record,
    status,
    createdAt: storedIsoToMs(record.createdAt),
    finishedAt: finishedAtAt(record, now)!,
    durationMs: record.durationMs,
    tokens: executionUsage(record, now).reduce((sum, item) => sum + item.inputTokens + item.outputTokens, 0),
    outputSize: output.length,
    exfiltration: SUSPECT.test(output) ? EXFILTRATION_PATTERNS.filter(([, pattern, minimum]) => (output.match(pattern)?.length ?? 0) >= minimum).map(([kind]) => kind) : [],
  };
  // A final status never changes again, except for SDK traces (a retried trace_end): those store
  // a new record object anyway, which misses this cache.
  cache.set(record, metrics);
  return metrics;
}

/**
 * The team's finished executions created in `[since, now]`, measured, oldest first (by `createdAt`).
 * @param since epoch ms
 */
export function finishedExecutions(state: SandboxState, teamId: string, now: number, since: number): ExecutionMetrics[] {
  const out: ExecutionMetrics[] = [];
  for (const record of state.db.executions.all()) {
    if (record.teamId !== teamId || storedIsoToMs(record.createdAt) < since) continue;
    const metrics = measure(record, now);
    if (metrics && metrics.createdAt <= now) out.push(metrics);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.record.id < b.record.id ? -1 : 1));
}

/** Median of numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A stable UUID-shaped id for a derived record (anomaly, drift alert), from its identity text. */
export function stableId(text: string): string {
  const hex = [0, 1, 2, 3].map((i) => hash32(`${text}#${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
