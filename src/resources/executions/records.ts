import { z } from 'zod';

/**
 * Stored execution shape (nodeloom-api.md 3.3). An execution is stored as a *plan*: when it was
 * created, when it starts, how long each node takes and how it ends. Its visible `status`,
 * `finishedAt` and per-node states are derived on read from the sandbox clock (design.md "Time"),
 * so moving the clock moves every execution; `cancelledAt` freezes it as CANCELLED. An execution
 * made from an SDK trace carries `sdk` instead: its status is reported, not planned (reported.ts).
 */
export const EXECUTION_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'] as const;
/** An execution status on the wire (nodeloom-api.md 3.3). */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Trigger types ([INF] nodeloom-api.md 3.3; only WEBHOOK is documented). */
export const TRIGGER_TYPES = ['MANUAL', 'WEBHOOK', 'SCHEDULE', 'CHAT', 'WIDGET', 'API', 'SDK'] as const;

/** One node of an execution plan: when it runs (offset and duration, ms) and how it ends. */
export const plannedNodeSchema = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  nodeType: z.string(),
  /** Offset from the execution's `startedAt`, ms. */
  offsetMs: z.number(),
  /** How long the node runs, ms. */
  durationMs: z.number(),
  /** How the node ends once its time is up: SUCCESS, FAILED or SKIPPED (after a failure). */
  outcome: z.enum(['SUCCESS', 'FAILED', 'SKIPPED']),
  input: z.record(z.string(), z.unknown()).nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
  errorMessage: z.string().nullable(),
  /** Set on the nodes of an SDK-reported execution: the span behind the node (reported.ts). */
  span: z
    .object({
      parentSpanId: z.string().nullable(),
      spanType: z.string(),
      tokenUsage: z
        .object({ promptTokens: z.number().int(), completionTokens: z.number().int(), totalTokens: z.number().int(), model: z.string().nullable() })
        .nullable(),
      promptTemplate: z.string().nullable(),
      promptVersion: z.number().int().nullable(),
    })
    .optional(),
});
/** A planned node as stored. */
export type PlannedNode = z.output<typeof plannedNodeSchema>;

/**
 * What an SDK trace adds to its execution ([INF] nodeloom-api.md 3.11.1): the trace as reported.
 * `status` is RUNNING until the trace's `trace_end` arrives; `finishedAt` is that event's time.
 */
export const sdkTraceSchema = z.object({
  traceId: z.string(),
  agentName: z.string(),
  status: z.enum(['RUNNING', 'SUCCESS', 'FAILED']),
  finishedAt: z.iso.datetime().nullable(),
  agentVersion: z.string().nullable(),
  environment: z.string(),
  sessionId: z.string().nullable(),
  framework: z.string().nullable(),
  frameworkVersion: z.string().nullable(),
  sdkLanguage: z.string().nullable(),
  sdkVersion: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  guardrailSessionId: z.string().nullable(),
  /** Warnings recorded on the trace (e.g. a SOFT guardrail policy without a live session). */
  warnings: z.array(z.string()),
});
/** The SDK trace part of an execution. */
export type SdkTrace = z.output<typeof sdkTraceSchema>;

/** A stored execution: the plan its visible state is derived from (see view.ts). */
export const executionRecord = z.object({
  id: z.string(),
  teamId: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  workflowVersion: z.number().int(),
  triggerType: z.enum(TRIGGER_TYPES),
  /** When the execution was accepted (ISO-8601); it is PENDING until `startedAt`. */
  createdAt: z.iso.datetime(),
  /** When it starts RUNNING (ISO-8601). */
  startedAt: z.iso.datetime(),
  /** Planned total run time, ms; it is RUNNING until `startedAt + durationMs`. */
  durationMs: z.number(),
  /** Final status once the run time is over. */
  outcome: z.enum(['SUCCESS', 'FAILED']),
  inputData: z.record(z.string(), z.unknown()),
  outputData: z.record(z.string(), z.unknown()).nullable(),
  errorMessage: z.string().nullable(),
  nodes: z.array(plannedNodeSchema),
  /** Set when cancelled (ISO-8601); the execution then reads CANCELLED for good. */
  cancelledAt: z.iso.datetime().nullable(),
  /**
   * Set on executions reported by an SDK trace (nodeloom-api.md 3.11.1, triggerType `SDK`): their
   * status and end are what telemetry reported, not derived from the clock (see reported.ts).
   */
  sdk: sdkTraceSchema.optional(),
});
/** An execution as stored. */
export type ExecutionRecord = z.output<typeof executionRecord>;
