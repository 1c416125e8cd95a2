import { parseIsoInstant } from '../executions/iso-instant.ts';

/**
 * Validation of one telemetry event (nodeloom-api.md 3.11.1 event union; SDK TS `types.ts`, GO
 * `event.go`, PY `span.py`/`trace.py`, EBPF `assembler.go`). Each event is checked on its own, so a
 * bad event is rejected with its reason while the rest of the batch is accepted. Messages start as
 * the SDK fixtures do (`missing trace_id`, `invalid span_type`) and then say what was expected.
 *
 * Leniency, chosen to accept what every official client really sends:
 * - timestamps: RFC 3339 of any fractional precision (Go sends nanoseconds, Python `+00:00`);
 * - `parent_span_id`: null, absent or `""` (Go) all mean a root span;
 * - span `input`/`output` or the eBPF agent's `span_input`/`span_output`; a non-object value is kept
 *   as `{"value": ...}`;
 * - span `status` defaults to `success`, `end_timestamp` to `timestamp`, event `level` to `info`,
 *   `environment` to `production`, `total_tokens` to prompt + completion; enum values are read
 *   case-insensitively.
 */

/** Span types (3.11.1). */
export const SPAN_TYPES = ['llm', 'tool', 'retrieval', 'chain', 'agent', 'custom'] as const;
/** Event types of the union (3.11.1). */
export const EVENT_TYPES = ['trace_start', 'span', 'trace_end', 'event', 'metric', 'feedback'] as const;

type Json = Record<string, unknown>;
/** A token usage as reported (`token_usage`). */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  model: string | null;
}

/** A validated event; times are epoch ms (below-ms precision dropped). */
export type TelemetryEvent =
  | {
      type: 'trace_start';
      traceId: string;
      agentName: string;
      agentVersion: string | null;
      environment: string;
      sessionId: string | null;
      input: Json | null;
      metadata: Json;
      framework: string | null;
      frameworkVersion: string | null;
      sdkLanguage: string | null;
      guardrailSessionId: string | null;
      timestamp: number;
    }
  | {
      type: 'span';
      traceId: string;
      spanId: string;
      parentSpanId: string | null;
      name: string;
      spanType: (typeof SPAN_TYPES)[number];
      status: 'success' | 'error';
      input: Json | null;
      output: Json | null;
      error: string | null;
      tokenUsage: TokenUsage | null;
      promptTemplate: string | null;
      promptVersion: number | null;
      timestamp: number;
      endTimestamp: number;
    }
  | { type: 'trace_end'; traceId: string; status: 'success' | 'error'; output: Json | null; error: string | null; timestamp: number }
  | { type: 'event'; traceId: string | null; name: string; level: 'info' | 'warn' | 'error'; data: Json | null; timestamp: number }
  | { type: 'metric'; traceId: string | null; name: string; value: number; unit: string | null; tags: Record<string, string>; timestamp: number }
  | { type: 'feedback'; traceId: string; rating: number; comment: string | null; timestamp: number };

/** Thrown inside parsing with the event's rejection reason. */
class Invalid extends Error {}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Epoch ms of an RFC 3339 date-time of any precision, or undefined when `text` is not one.
 * Requires the full form (date, `T`, seconds and a `Z` or `±hh:mm` offset).
 */
export function parseRfc3339(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  return parseIsoInstant(text)?.ms;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === undefined || value === null;

function requiredString(raw: Json, field: string): string {
  const value = raw[field];
  if (absent(value) || value === '') throw new Invalid(`missing ${field}`);
  if (typeof value !== 'string') throw new Invalid(`invalid ${field}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** An optional string: absent, null and "" all read as null. */
function optionalString(raw: Json, field: string): string | null {
  const value = raw[field];
  if (absent(value) || value === '') return null;
  if (typeof value !== 'string') throw new Invalid(`invalid ${field}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function time(raw: Json, field: string, fallback?: number): number {
  const value = raw[field];
  if ((absent(value) || value === '') && fallback !== undefined) return fallback;
  if (absent(value) || value === '') throw new Invalid(`missing ${field}`);
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (ms === undefined) {
    throw new Invalid(`invalid ${field}: expected an RFC 3339 date-time such as 2026-03-06T10:00:00.000Z (any fractional precision, Z or ±hh:mm); got ${JSON.stringify(value)}`);
  }
  return ms;
}

/** A JSON payload field: an object as is, any other value kept as `{value}`, absent as null. */
function payload(raw: Json, ...fields: string[]): Json | null {
  for (const field of fields) {
    const value = raw[field];
    if (absent(value)) continue;
    return isObject(value) ? value : { value };
  }
  return null;
}

function oneOf<T extends string>(raw: Json, field: string, allowed: readonly T[], fallback?: T): T {
  const value = raw[field];
  if ((absent(value) || value === '') && fallback !== undefined) return fallback;
  if (absent(value) || value === '') throw new Invalid(`missing ${field}`);
  const normalized = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (!normalized || !(allowed as readonly string[]).includes(normalized)) {
    throw new Invalid(`invalid ${field}: expected one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return normalized as T;
}

function integer(raw: Json, field: string, where = field): number {
  const value = raw[field];
  if (absent(value)) throw new Invalid(`missing ${where}`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Invalid(`invalid ${where}: expected an integer, got ${JSON.stringify(value)}`);
  return value;
}

function tokenUsage(raw: Json): TokenUsage | null {
  const value = raw.token_usage;
  if (absent(value)) return null;
  if (!isObject(value)) throw new Invalid('invalid token_usage: expected an object {prompt_tokens, completion_tokens, total_tokens, model?}');
  const promptTokens = integer(value, 'prompt_tokens', 'token_usage.prompt_tokens');
  const completionTokens = integer(value, 'completion_tokens', 'token_usage.completion_tokens');
  if (promptTokens < 0 || completionTokens < 0) throw new Invalid('invalid token_usage: token counts must not be negative');
  const totalTokens = absent(value.total_tokens) ? promptTokens + completionTokens : integer(value, 'total_tokens', 'token_usage.total_tokens');
  const model = optionalString(value, 'model');
  return { promptTokens, completionTokens, totalTokens, model };
}

function stringMap(raw: Json, field: string): Record<string, string> {
  const value = raw[field];
  if (absent(value)) return {};
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Invalid(`invalid ${field}: expected an object of string values`);
  }
  return value as Record<string, string>;
}

function parseOne(raw: Json): TelemetryEvent {
  const type = raw.type;
  if (absent(type) || type === '') throw new Invalid('missing type');
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new Invalid(`invalid type: expected one of ${EVENT_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
  }
  switch (type as (typeof EVENT_TYPES)[number]) {
    case 'trace_start':
      return {
        type: 'trace_start',
        traceId: requiredString(raw, 'trace_id'),
        agentName: requiredString(raw, 'agent_name'),
        agentVersion: optionalString(raw, 'agent_version'),
        environment: optionalString(raw, 'environment') ?? 'production',
        sessionId: optionalString(raw, 'session_id'),
        input: payload(raw, 'input'),
        metadata: payload(raw, 'metadata') ?? {},
        framework: optionalString(raw, 'framework'),
        frameworkVersion: optionalString(raw, 'framework_version'),
        sdkLanguage: optionalString(raw, 'sdk_language'),
        guardrailSessionId: optionalString(raw, 'guardrail_session_id'),
        timestamp: time(raw, 'timestamp'),
      };
    case 'span': {
      const timestamp = time(raw, 'timestamp');
      const endTimestamp = time(raw, 'end_timestamp', timestamp);
      if (endTimestamp < timestamp) throw new Invalid('invalid end_timestamp: it is before the span\'s timestamp');
      const promptVersion = absent(raw.prompt_version) ? null : integer(raw, 'prompt_version');
      return {
        type: 'span',
        traceId: requiredString(raw, 'trace_id'),
        spanId: requiredString(raw, 'span_id'),
        parentSpanId: optionalString(raw, 'parent_span_id'),
        name: requiredString(raw, 'name'),
        spanType: oneOf(raw, 'span_type', SPAN_TYPES),
        status: oneOf(raw, 'status', ['success', 'error'] as const, 'success'),
        input: payload(raw, 'input', 'span_input'),
        output: payload(raw, 'output', 'span_output'),
        error: optionalString(raw, 'error'),
        tokenUsage: tokenUsage(raw),
        promptTemplate: optionalString(raw, 'prompt_template'),
        promptVersion,
        timestamp,
        endTimestamp,
      };
    }
    case 'trace_end':
      return {
        type: 'trace_end',
        traceId: requiredString(raw, 'trace_id'),
        status: oneOf(raw, 'status', ['success', 'error'] as const),
        output: payload(raw, 'output'),
        error: optionalString(raw, 'error'),
        timestamp: time(raw, 'timestamp'),
      };
    case 'event':
      return {
        type: 'event',
        traceId: optionalString(raw, 'trace_id'),
        name: requiredString(raw, 'name'),
        level: oneOf(raw, 'level', ['info', 'warn', 'error'] as const, 'info'),
        data: payload(raw, 'data'),
        timestamp: time(raw, 'timestamp'),
      };
    case 'metric': {
      const value = raw.metric_value;
      if (absent(value)) throw new Invalid('missing metric_value');
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(`invalid metric_value: expected a number, got ${JSON.stringify(value)}`);
      return {
        type: 'metric',
        traceId: optionalString(raw, 'trace_id'),
        name: requiredString(raw, 'metric_name'),
        value,
        unit: optionalString(raw, 'metric_unit'),
        tags: stringMap(raw, 'metric_tags'),
        timestamp: time(raw, 'timestamp'),
      };
    }
    case 'feedback':
      return {
        type: 'feedback',
        traceId: requiredString(raw, 'trace_id'),
        rating: integer(raw, 'rating'),
        comment: optionalString(raw, 'comment'),
        timestamp: time(raw, 'timestamp'),
      };
  }
}

/**
 * Validates one element of a batch's `events`.
 * @returns the event, or the reason it is rejected (`{error}`)
 */
export function parseTelemetryEvent(raw: unknown): { event: TelemetryEvent } | { error: string } {
  if (!isObject(raw)) return { error: `invalid event: expected a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}` };
  try {
    return { event: parseOne(raw) };
  } catch (error) {
    if (error instanceof Invalid) return { error: error.message };
    throw error;
  }
}
