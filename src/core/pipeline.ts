import type { SandboxState } from '../state.ts';
import { authenticate } from './authenticate.ts';
import { errorResponse, HttpError } from './http-error.ts';
import type { Principal } from './principal.ts';
import { PLAN_LIMITS, rateLimitHeaders, type RateLimitState } from './rate-limit.ts';
import { readJsonBody } from './read-body.ts';
import type { RouteContext } from './route.ts';
import type { RouteMatch } from './router.ts';
import { resolveTeam } from './team-scope.ts';
import { validate } from './validate.ts';

/** What a host knows about a request beyond the Fetch `Request` itself. */
export interface RequestMeta {
  /** The client's IP address, for per-address rate limits (default `local`). */
  clientAddress?: string;
}

/** Per-request record a host or the journal can read after the response. */
export interface Handled {
  response: Response;
  requestId: string;
  principal: Principal | null;
  rateLimit: RateLimitState | null;
}

/**
 * The request pipeline for `/api/**` (design.md): request id → route match → authentication →
 * rate limit → 404/405 → auth requirement → params/query/body validation → team scope and RBAC →
 * handler → headers. Every error goes through {@link errorResponse}, with the rate-limit headers
 * that were computed before it.
 */
export async function handleApiRequest(
  request: Request,
  url: URL,
  match: RouteMatch,
  state: SandboxState,
  meta: RequestMeta,
  onUnexpected: (error: unknown, request: Request) => void,
): Promise<Handled> {
  state.counters.requests += 1;
  const requestId = `req_${String(state.counters.requests).padStart(6, '0')}`;
  const timestamp = state.clock.iso();
  let principal: Principal | null = null;
  let rateLimit: RateLimitState | null = null;
  let response: Response;
  try {
    const route = match.kind === 'route' ? match.route : undefined;
    const auth = await authenticate(request, state);
    principal = auth.principal;
    rateLimit = countRequest(principal, meta, state);
    if (rateLimit.exceeded) {
      throw new HttpError(
        429,
        `Rate limit of ${rateLimit.limit} requests per minute exceeded. Retry after ${rateLimit.retryAfter} s (X-RateLimit-Reset ${rateLimit.reset}).`,
        [['retry-after', String(rateLimit.retryAfter)]],
      );
    }
    if (match.kind === 'none') {
      throw new HttpError(404, `No endpoint ${request.method} ${url.pathname}. The README lists the endpoints the sandbox serves.`);
    }
    if (match.kind === 'method-not-allowed') {
      throw new HttpError(
        405,
        `Request method '${request.method}' is not supported for ${url.pathname}. Supported: ${match.allow.join(', ')}.`,
        [['allow', match.allow.join(', ')]],
      );
    }
    const definition = route!;
    if (definition.auth !== 'public') {
      if (auth.error) throw auth.error;
      if (!principal) {
        throw new HttpError(
          401,
          'Authentication required. Log in with POST /api/auth/login (e.g. admin@acme.test / sandbox) or send Authorization: Bearer sdk_sandbox_admin.',
        );
      }
    }
    const params = validate(definition.params ?? passThrough, decodeParams(match.params), 'path parameter') as Record<string, string>;
    const query = validate(definition.query ?? passThrough, Object.fromEntries(url.searchParams), 'query parameter') as Record<string, unknown>;
    const body = definition.body ? validate(definition.body, await readJsonBody(request), 'body') : undefined;
    let team: RouteContext['team'] = null;
    let resource: unknown;
    if (definition.team) {
      const resolved = resolveTeam(definition.team, definition.permission, principal!, { params, query, body }, state);
      team = { id: resolved.id, role: resolved.role };
      resource = resolved.resource;
    }
    const responseHeaders = new Headers();
    const ctx: RouteContext = { request, url, params, query, body, principal, team, resource, state, requestId, responseHeaders };
    response = await definition.handler(ctx);
    response = withHeaders(response, responseHeaders);
  } catch (error) {
    if (!(error instanceof HttpError)) onUnexpected(error, request);
    response = errorResponse(error, { path: url.pathname, timestamp, requestId });
  }
  const extra = new Headers({ 'x-request-id': requestId });
  if (rateLimit) for (const [name, value] of rateLimitHeaders(rateLimit)) extra.set(name, value);
  return { response: withHeaders(response, extra), requestId, principal, rateLimit };
}

const passThrough = { safeParse: (value: unknown) => ({ success: true as const, data: value }) } as never;

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, `Path parameter '${name}' is not valid percent-encoding: ${value}`);
    }
  }
  return decoded;
}

/**
 * The rate-limit key and limit (nodeloom-api.md 1.5): a principal is limited by its team's plan
 * (a user in several teams by the best plan among them [INF]); anonymous callers per address at
 * the FREE limit.
 */
function countRequest(principal: Principal | null, meta: RequestMeta, state: SandboxState): RateLimitState {
  const now = state.clock.now();
  if (!principal) return state.rateLimiter.hit(`address:${meta.clientAddress ?? 'local'}`, PLAN_LIMITS.FREE, now);
  if (principal.kind === 'token') {
    const plan = state.db.teams.get(principal.token.teamId)?.plan ?? 'FREE';
    return state.rateLimiter.hit(`token:${principal.token.id}`, PLAN_LIMITS[plan], now);
  }
  let limit: number = PLAN_LIMITS.FREE;
  for (const membership of state.db.memberships.all()) {
    if (membership.userId !== principal.user.id) continue;
    const plan = state.db.teams.get(membership.teamId)?.plan;
    if (plan) limit = Math.max(limit, PLAN_LIMITS[plan]);
  }
  return state.rateLimiter.hit(`user:${principal.user.id}`, limit, now);
}

/** Adds headers to a response (copying it when its headers are immutable); streams pass through. */
export function withHeaders(response: Response, headers: Headers): Response {
  let target = response;
  try {
    headers.forEach((value, name) => {
      if (name === 'set-cookie') target.headers.append(name, value);
      else target.headers.set(name, value);
    });
  } catch {
    target = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
    headers.forEach((value, name) => target.headers.set(name, value));
  }
  return target;
}
