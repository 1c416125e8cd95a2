import { z } from 'zod';

/**
 * Stored shapes of the SDK area (nodeloom-api.md 3.11). Records are camelCase like every stored
 * record; the `/api/sdk/v1` routes turn them into snake_case bodies (1.3). Timestamps are ISO-8601
 * UTC with milliseconds; telemetry timestamps (any RFC 3339 precision) are stored cut to the ms.
 */

const iso = z.iso.datetime();
const json = z.record(z.string(), z.unknown());

/** `require_guardrails` values (3.11.2). */
export const REQUIRE_GUARDRAILS = ['OFF', 'SOFT', 'HARD'] as const;
export type RequireGuardrails = (typeof REQUIRE_GUARDRAILS)[number];

/**
 * An SDK agent of a team: the virtual workflow its traces run under (DOC D-SDKO "an auto-created
 * virtual Workflow per unique agent name") and its control state (3.11.2). Created by the first
 * telemetry that names it, or by a management call before that (then `workflowId` is null).
 */
export const sdkAgentRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  agentName: z.string(),
  workflowId: z.string().nullable(),
  halted: z.boolean(),
  haltReason: z.string().nullable(),
  haltedAt: iso.nullable(),
  /** The team's control sequence number at this agent's last change (0: never changed). */
  revision: z.number().int(),
  requireGuardrails: z.enum(REQUIRE_GUARDRAILS),
  guardrailSessionTtlSeconds: z.number().int(),
  /** Red-team callback URL (3.11.3 `POST /agents/:agentName/callback`). */
  callbackUrl: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
  /** When telemetry last named the agent, or null. */
  lastSeenAt: iso.nullable(),
});
export type SdkAgentRecord = z.output<typeof sdkAgentRecord>;

/** A team's SDK control state (3.11.2 team-wide halt); `id` is the team id. */
export const sdkTeamControlRecord = z.object({
  id: z.string(),
  halted: z.boolean(),
  haltReason: z.string().nullable(),
  haltedAt: iso.nullable(),
  /** The control sequence number at the team's last halt or resume (0: never). */
  revision: z.number().int(),
  /** The last control sequence number issued in the team (agents' and team's changes). */
  sequence: z.number().int(),
  updatedAt: iso,
});
export type SdkTeamControlRecord = z.output<typeof sdkTeamControlRecord>;

/** Index from a team's trace id to its execution; `id` is `<teamId>:<traceId>` (traceKey). */
export const sdkTraceRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  traceId: z.string(),
  executionId: z.string(),
  agentName: z.string(),
});
export type SdkTraceRecord = z.output<typeof sdkTraceRecord>;

/** The id of a trace's index record: team ids hold no ':', so the key is unambiguous. */
export const traceKey = (teamId: string, traceId: string) => `${teamId}:${traceId}`;

/** The fields every telemetry point (event or metric, 3.11.1) has: where it belongs, its name and times. */
const telemetryPoint = {
  id: z.string(),
  teamId: z.string(),
  executionId: z.string().nullable(),
  traceId: z.string().nullable(),
  agentName: z.string().nullable(),
  name: z.string(),
  timestamp: iso,
  receivedAt: iso,
};

/** A telemetry `event` (3.11.1): a standalone log point, tied to a trace or not. */
export const sdkEventRecord = z.object({
  ...telemetryPoint,
  level: z.enum(['info', 'warn', 'error']),
  data: json.nullable(),
});
export type SdkEventRecord = z.output<typeof sdkEventRecord>;

/** A telemetry `metric` (3.11.1), aggregated by `GET /api/sdk/v1/metrics`. */
export const sdkMetricRecord = z.object({
  ...telemetryPoint,
  value: z.number(),
  unit: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
});
export type SdkMetricRecord = z.output<typeof sdkMetricRecord>;

/** Feedback on an execution: a telemetry `feedback` event or `POST /api/sdk/v1/feedback` (3.11.3). */
export const sdkFeedbackRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  executionId: z.string().nullable(),
  traceId: z.string().nullable(),
  spanId: z.string().nullable(),
  rating: z.number().int(),
  comment: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  userIdentifier: z.string().nullable(),
  source: z.enum(['TELEMETRY', 'API']),
  createdAt: iso,
});
export type SdkFeedbackRecord = z.output<typeof sdkFeedbackRecord>;

/** One version of a prompt template (3.11.3 `POST /api/sdk/v1/prompts`). */
export const sdkPromptRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  version: z.number().int(),
  content: z.string(),
  description: z.string().nullable(),
  variables: json,
  modelHint: z.string().nullable(),
  createdAt: iso,
});
export type SdkPromptRecord = z.output<typeof sdkPromptRecord>;

/** An alert webhook (3.11.3); `secret` is stored and never returned. */
export const sdkWebhookRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  url: z.string(),
  secret: z.string().nullable(),
  eventTypes: z.array(z.string()),
  createdAt: iso,
});
export type SdkWebhookRecord = z.output<typeof sdkWebhookRecord>;

/** A red-team scan (3.11.3); its status is derived from `createdAt` and the clock (redteam.ts). */
export const redteamScanRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  categories: z.array(z.string()),
  createdAt: iso,
});
export type RedteamScanRecord = z.output<typeof redteamScanRecord>;

/** A sentiment analysis made by `POST /api/sdk/v1/sentiment` (summarised by monitoring, 3.7 #9). */
export const sentimentAnalysisRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  traceId: z.string().nullable(),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  score: z.number(),
  confidence: z.number(),
  emotions: z.record(z.string(), z.number()),
  textLength: z.number().int(),
  createdAt: iso,
});
export type SentimentAnalysisRecord = z.output<typeof sentimentAnalysisRecord>;

/** A process an eBPF probe discovered (3.11.5 heartbeat `discoveredProcesses[]`). */
export const discoveredProcessSchema = z.object({
  processName: z.string(),
  executablePath: z.string(),
  commandLine: z.string(),
  pid: z.number().int(),
  cgroupPath: z.string(),
  containerId: z.string(),
  k8sPodName: z.string(),
  k8sNamespace: z.string(),
  llmCallCount: z.number().int(),
});

/** A registered eBPF probe (3.11.5) and what its last heartbeat reported. */
export const ebpfProbeRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  hostname: z.string(),
  clusterName: z.string(),
  kernelVersion: z.string(),
  agentVersion: z.string(),
  registeredAt: iso,
  lastHeartbeatAt: iso.nullable(),
  processesMonitored: z.number().int(),
  llmCallsIntercepted: z.number().int(),
  discoveredProcesses: z.array(discoveredProcessSchema),
});
export type EbpfProbeRecord = z.output<typeof ebpfProbeRecord>;
