import type { Namespace } from '../namespace.ts';
import { NETWORK_ERROR, effectOutcome, sleep } from '../scenarios/apply.ts';
import { evaluateScenarios, windowEnd, type ScenarioOutcome } from '../scenarios/engine.ts';
import { monotonicMs } from './clock.ts';
import { errorResponse, HttpError } from './http-error.ts';
import { withHeaders } from './respond.ts';
import type { JournalEntry } from './journal.ts';
import { principalLabel, type Principal } from './principal.ts';
import { rateLimitHeaders, type RateLimitState } from './rate-limit.ts';
import { RouteError, runRoute, type RbacDecision } from './run-route.ts';
import type { RouteMatch } from './router.ts';
import { countRequest, scenarioPrincipal } from './request-principal.ts';
import { dataScenarioOf, selectScenarios } from './select-scenarios.ts';

export { SCENARIO_HEADER, SCENARIO_QUERY } from './select-scenarios.ts';

/** What a host knows about a request beyond the Fetch `Request` itself. */
export interface RequestMeta {
  /** The client's IP address, for per-address rate limits (default `local`). */
  clientAddress?: string;
}

/** Response header naming the scenario rules that changed a response. */
export const SCENARIO_APPLIED_HEADER = 'x-sandbox-scenario-applied';

/**
 * The request pipeline for `/api/**` (design.md): request id → scenario selection (header >
 * principal binding > server) → authentication → rate limit → scenario rules (latency, injected
 * errors, network faults) → 404/405 → auth requirement → validation → team scope and RBAC →
 * handler → headers → journal. Every error goes through {@link errorResponse}, with the
 * rate-limit headers computed before it. Resolves to `Response.error()` for an injected network
 * failure.
 */
export async function handleApiRequest(
  request: Request,
  url: URL,
  match: RouteMatch,
  ns: Namespace,
  meta: RequestMeta,
  onUnexpected: (error: unknown, request: Request) => void,
): Promise<Response> {
  const started = monotonicMs();
  const requestId = ns.nextRequestId();
  const timestamp = ns.clock.iso();
  let principal: Principal | null = null;
  let rateLimit: RateLimitState | null = null;
  let scenarios: ScenarioOutcome | null = null;
  let rbac: RbacDecision | null = null;
  const applied: string[] = [];
  let response: Response;
  try {
    const selection = await selectScenarios(request, url, ns);
    const { activation, state, auth } = selection;
    principal = auth.principal;
    const dataScenario = dataScenarioOf(activation);
    if (dataScenario) applied.push(`${dataScenario.name} (dataset ${dataScenario.dataset})`);
    rateLimit = countRequest(principal, meta, state);
    if (selection.error) throw selection.error;
    if (activation.scenarios.length) {
      const now = ns.clock.now();
      scenarios = evaluateScenarios(
        activation.scenarios,
        { method: request.method, path: url.pathname, principal: scenarioPrincipal(principal, state) },
        ns.switchboard.counters,
        selection.source,
        ns.seed,
        { now, activatedAt: activation.at },
      );
      applied.push(...scenarios.applied);
      await sleep(scenarios.latencyMs, request.signal);
      if (scenarios.terminal) {
        const viaCookie = principal?.kind === 'user' && !request.headers.has('authorization');
        const outcome = await effectOutcome(scenarios.terminal.effect, { now, principal, viaCookie, signal: request.signal }, rateLimit);
        if (outcome === NETWORK_ERROR) {
          response = Response.error();
          ns.journal.add(entry(request, url, 0, { requestId, timestamp, started, principal, applied, rbac, rateLimit }));
          return response;
        }
        if (scenarios.terminal.effect.type === 'rate-limited') {
          rateLimit = { ...(rateLimit ?? { limit: 60 }), remaining: 0, reset: Math.ceil(windowEnd(now) / 1000), retryAfter: 0, exceeded: true };
        }
        throw outcome;
      }
    }
    if (rateLimit.exceeded) {
      throw new HttpError(
        429,
        `Rate limit of ${rateLimit.limit} requests per minute exceeded. Retry after ${rateLimit.retryAfter} s (X-RateLimit-Reset ${rateLimit.reset}).`,
        [['retry-after', String(rateLimit.retryAfter)]],
      );
    }
    const ran = await runRoute(request, url, match, state, principal, auth.error);
    rbac = ran.rbac;
    response = ran.response;
  } catch (error) {
    if (error instanceof RouteError) rbac = error.rbac;
    const cause = error instanceof RouteError ? error.cause : error;
    if (!(cause instanceof HttpError)) onUnexpected(cause, request);
    response = errorResponse(cause, { path: url.pathname, timestamp, requestId });
  }
  const extra: Array<[string, string]> = [['x-request-id', requestId]];
  if (rateLimit) extra.push(...rateLimitHeaders(rateLimit));
  if (applied.length) extra.push([SCENARIO_APPLIED_HEADER, applied.join(', ')]);
  response = withHeaders(response, extra);
  ns.journal.add(entry(request, url, response.status, { requestId, timestamp, started, principal, applied, rbac, rateLimit }));
  return response;
}

function entry(
  request: Request,
  url: URL,
  status: number,
  info: { requestId: string; timestamp: string; started: number; principal: Principal | null; applied: string[]; rbac: RbacDecision | null; rateLimit: RateLimitState | null },
): JournalEntry {
  const r = info.rateLimit;
  return {
    requestId: info.requestId,
    time: info.timestamp,
    method: request.method,
    path: url.pathname,
    query: url.search,
    status,
    durationMs: Math.round((monotonicMs() - info.started) * 100) / 100,
    principal: principalLabel(info.principal),
    scenarioApplied: info.applied,
    rbac: info.rbac,
    rateLimit: r ? { limit: r.limit, remaining: r.remaining, reset: r.reset, exceeded: r.exceeded } : null,
  };
}


