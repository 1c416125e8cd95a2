import type { Sandbox } from 'nodeloom-sandbox';
import { apiRoutes } from '../src/routes.ts';
import { call, TEST_NOW } from './helpers.ts';

/**
 * Telemetry events as the SDKs build them (nodeloom-api.md 3.11.1, snake_case) and helpers for the
 * SDK tests. Times are offsets from TEST_NOW in ms, written like the TypeScript SDK does
 * (`toISOString()`, milliseconds and Z).
 */

export const ADMIN = 'sdk_sandbox_admin';
const NOW = Date.parse(TEST_NOW);
/** ISO time `offsetMs` from TEST_NOW. */
export const t = (offsetMs = 0) => new Date(NOW + offsetMs).toISOString();

export const traceStart = (traceId: string, agentName: string, extra: Record<string, unknown> = {}) => ({
  type: 'trace_start',
  trace_id: traceId,
  agent_name: agentName,
  environment: 'production',
  input: { question: 'Where is my order?' },
  timestamp: t(-60_000),
  ...extra,
});

export const span = (traceId: string, spanId: string, extra: Record<string, unknown> = {}) => ({
  type: 'span',
  trace_id: traceId,
  span_id: spanId,
  parent_span_id: null,
  name: 'openai.chat',
  span_type: 'llm',
  status: 'success',
  input: { messages: [{ role: 'user', content: 'Where is my order?' }] },
  output: { content: 'It ships tomorrow.' },
  token_usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, model: 'gpt-4o' },
  timestamp: t(-59_000),
  end_timestamp: t(-58_000),
  ...extra,
});

export const traceEnd = (traceId: string, extra: Record<string, unknown> = {}) => ({
  type: 'trace_end',
  trace_id: traceId,
  status: 'success',
  output: { answer: 'It ships tomorrow.' },
  timestamp: t(-57_000),
  ...extra,
});

/** Sends one batch as the TypeScript SDK does. */
export function sendBatch(sandbox: Sandbox, events: unknown[], token = ADMIN, headers: Record<string, string> = {}) {
  return call(sandbox, 'POST', '/api/sdk/v1/telemetry', {
    token,
    headers: { 'user-agent': 'nodeloom-sdk-typescript/0.10.0', ...headers },
    body: { events, sdk_version: '0.10.0', sdk_language: 'typescript' },
  });
}

/** A trace of one span, ended, for `agentName`. */
export const simpleTrace = (traceId: string, agentName: string, tokens = { prompt_tokens: 120, completion_tokens: 30 }, model = 'gpt-4o') => [
  traceStart(traceId, agentName),
  span(traceId, `${traceId}-s1`, { token_usage: { ...tokens, total_tokens: tokens.prompt_tokens + tokens.completion_tokens, model } }),
  traceEnd(traceId),
];

/** Whether this build serves the guardrails check (the guardrails area; stored sessions otherwise). */
export const GUARDRAILS_SERVED = apiRoutes.some((r) => r.method === 'POST' && r.path === '/api/guardrails/check');

/**
 * A live guardrail session of `agentName` in the token's team: through `POST /api/guardrails/check`
 * with `agentName` when that route is served, else stored directly (the guardrails area owns it).
 */
export async function liveGuardrailSession(sandbox: Sandbox, agentName: string, token = ADMIN): Promise<string> {
  if (GUARDRAILS_SERVED) {
    const checked = await call(sandbox, 'POST', '/api/guardrails/check', { token, body: { text: 'Where is my order?', detectPromptInjection: true, onViolation: 'BLOCKED', agentName } });
    if (typeof checked.json?.guardrailSessionId !== 'string') throw new Error(`guardrails check gave no session: ${checked.status} ${checked.text}`);
    return checked.json.guardrailSessionId;
  }
  const { teamId } = sandbox.state.db.sdkTokens.all().find((x) => x.token === token)!;
  // Loosely typed: the guardrails area's record shape replaces this stand-in when the branches meet.
  const sessions = (sandbox.state.db as unknown as Record<string, { count(): number; insert(r: object): Promise<unknown> }>).guardrailSessions!;
  const id = `sess-${agentName}-${sessions.count() + 1}`;
  await sessions.insert({ id, teamId, agentName, createdAt: t(), expiresAt: t(300_000) });
  return id;
}
