import type { AuditEvent } from './audit.ts';
import { authenticate, authenticateWidget } from './authenticate.ts';
import { monotonicMs } from './clock.ts';
import { NETWORK_ERROR, type Exchange, type NamespacePort, type PipelineConfig, type RequestMeta } from './exchange.ts';
import { crossSiteCookie, crossSiteHint, crossSiteWarning } from './cross-site.ts';
import { errorResponse, HttpError } from './http-error.ts';
import { boundUrlPart, type JournalOutcome } from './journal.ts';
import { actingUser, principalLabel } from './principal.ts';
import { bindQuery } from './query.ts';
import { exhaustedState, PLAN_LIMITS, rateLimitHeaders, tooManyRequests, WIDGET_LIMIT, type RateLimitState } from './rate-limit.ts';
import type { Role } from './rbac.ts';
import { isClientAbort, readJsonBody } from './read-body.ts';
import { networkError, SCENARIO_APPLIED_HEADER, setWholeBody, wholeBodyLength, wholeBodyOf, withHeaders } from './respond.ts';
import type { AnyRoute, CoreState, RouteContext, RouteDefinition } from './route.ts';
import { decodeParams, methodNotAllowed } from './router.ts';
import { settleWhenSent } from './settle.ts';
import { notFoundMessage } from './unserved.ts';
import { sleep } from './sleep.ts';
import { AccessDenied, effectiveRole, resolveTeam } from './team-scope.ts';
import { nullAsAbsent } from './null-as-absent.ts';
import { validate } from './validate.ts';
import type { ApiRequest } from './api-request.ts';

/**
 * The request pipeline for `/api/**`: one ordered list of named steps over an {@link Exchange}
 * (design.md; hono `compose.ts`, stripe-mock `HandleRequest`). Read {@link STEPS} top to bottom
 * for the order. A step stops the request by throwing an `HttpError` or by setting
 * `x.response`. Errors are rendered in one place ({@link handleApiRequest}'s catch) and the
 * journal is written in one place (when the response settles).
 *
 * The order follows Spring Security, whose filter chain runs before dispatch: credentials are read
 * and the caller counted before anything else; an anonymous request to a protected `/api/**` path
 * answers 401 whether or not the route exists, and only an authenticated caller learns of a
 * 404/405. No data set is built before that (issue: no expensive work before authentication).
 */

export { SCENARIO_APPLIED_HEADER };

type Step = (x: Exchange<CoreState>, config: PipelineConfig<CoreState>) => void | Promise<void>;

/** Reads the per-request scenario names (header or `?__scenario=`); an unknown one is refused after counting. */
const selectScenarios: Step = (x) => {
  x.requested = x.ns.scenarios.requested(x.request, x.url);
};

/**
 * Reads the credentials against an already-built data set (the header's, else the namespace's
 * current one): cheap, and never builds one.
 */
const authenticateCaller: Step = async (x) => {
  const auth = await authenticate(x.request, authState(x));
  x.principal = auth.principal;
  x.authError = auth.error;
  x.viaCookie = auth.viaCookie;
};

/** Decides the active scenarios (header > token/user binding > server) and with them the data set. */
const decideScenarios: Step = (x) => {
  x.scenarios = x.ns.scenarios.decide({
    method: x.request.method,
    path: x.url.pathname,
    requested: x.requested.error ? [] : x.requested.names,
    principal: x.principal,
    roles: rolesOf(x),
  });
  x.applied.push(...x.scenarios.applied);
};

/** Counts the request in its rate-limit window: the route's key (principal, address, or widget token + address). */
const countRateLimit: Step = (x) => {
  const state = authState(x);
  const now = x.ns.clock.now();
  const route = x.match.kind === 'route' ? x.match.route : null;
  // An unmatched path (answered 404 or 405 after this) counts against its caller.
  const key = route ? route.rateLimit : 'principal';
  const p = x.principal;
  if (key === 'token-and-address') {
    x.rateLimit = state.rateLimiter.hit(`widget:${x.match.kind === 'route' ? x.match.params.token : ''}:${x.clientAddress}`, WIDGET_LIMIT, now);
  } else if (key === 'address' || !p || p.kind === 'widget') {
    x.rateLimit = state.rateLimiter.hit(`address:${x.clientAddress}`, PLAN_LIMITS.FREE, now);
  } else if (p.kind === 'token') {
    x.rateLimit = state.rateLimiter.hit(`token:${p.token.id}`, PLAN_LIMITS[state.directory.planOf(p.token.teamId) ?? 'FREE'], now);
  } else {
    // A user in several teams is limited by the best plan among them [INF].
    let limit: number = PLAN_LIMITS.FREE;
    for (const [teamId] of state.directory.membershipsOf(p.user.id)) limit = Math.max(limit, PLAN_LIMITS[state.directory.planOf(teamId) ?? 'FREE']);
    x.rateLimit = state.rateLimiter.hit(`user:${p.user.id}`, limit, now);
  }
};

/** An unknown scenario name in the header or query: 400 listing the known ones. */
const refuseUnknownScenario: Step = (x) => {
  if (x.requested.error) throw x.requested.error;
};

/** Scenario latency, then the terminal effect (injected error, expired session, 429, reset, stall). */
const applyScenarioEffects: Step = async (x) => {
  const decision = x.scenarios!;
  // The signal is read only when there is a wait: the node host's request makes it on first use.
  if (decision.latencyMs > 0) {
    await sleep(decision.latencyMs, x.request.signal);
    x.request.signal.throwIfAborted(); // the client left during the wait: journaled as aborted
  }
  if (!decision.terminal) return;
  const outcome = await decision.terminal.resolve({ principal: x.principal, viaCookie: x.viaCookie, rateLimit: x.rateLimit, signal: x.request.signal });
  x.request.signal.throwIfAborted(); // a stall its client left
  if (outcome === NETWORK_ERROR) {
    x.response = networkError(x.applied);
    return;
  }
  if (decision.terminal.exhaustsRateLimit) x.rateLimit = exhaustedState(x.rateLimit?.limit ?? PLAN_LIMITS.FREE, x.ns.clock.now());
  throw outcome;
};

/** Over the window's limit: the one 429. */
const enforceRateLimit: Step = (x) => {
  if (x.rateLimit?.exceeded) throw tooManyRequests(x.rateLimit);
};

/**
 * Spring Security: a protected path needs valid credentials, whether or not a route or method
 * exists there; public paths (a public route on that path, or the public widget API) do not.
 * `/api/sdk/v1` routes take SDK tokens only.
 */
const requireAuthentication: Step = (x, config) => {
  const route = x.match.kind === 'route' ? x.match.route : null;
  const open = (r: AnyRoute) => r.auth === 'public' || r.auth === 'widget-token';
  const isPublic = route ? open(route) : config.router.pathHas(x.url.pathname, open) || x.url.pathname.startsWith('/api/public/');
  if (isPublic) return;
  if (x.authError) throw x.authError;
  if (!x.principal) {
    const crossSite = x.ns.crossSiteLogin && !x.request.headers.has('cookie') ? crossSiteHint(x.ns.crossSiteLogin) : '';
    throw new HttpError(401, `Authentication required. Log in with POST /api/auth/login (e.g. admin@acme.test / sandbox) or send Authorization: Bearer sdk_sandbox_admin.${crossSite}`);
  }
  if (route?.auth === 'sdk-token' && x.principal.kind !== 'token') {
    throw new HttpError(401, `${x.url.pathname} accepts SDK tokens only: send Authorization: Bearer sdk_... (e.g. sdk_sandbox_admin); a session cookie is not enough.`);
  }
};

/** 404 for no route, 405 (with `Allow`) for a wrong method, 200 with `Allow` for a plain OPTIONS. */
const dispatch: Step = (x) => {
  const { match } = x;
  if (match.kind === 'none') throw new HttpError(404, notFoundMessage(x.request.method, x.url.pathname));
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(x.request.method, x.url.pathname, match.allow);
  if (match.kind === 'options') x.response = new Response(null, { status: 200, headers: { allow: match.allow.join(', ') } });
};

/**
 * Loads the data set the scenarios chose (built on first use: only now, after authentication),
 * and reads the credentials again against it when it is not the one they were checked against.
 */
const loadState: Step = async (x) => {
  const dataset = x.scenarios!.dataset;
  const checked = authState(x);
  x.state = x.ns.builtState(dataset) ?? (await x.ns.state(dataset));
  if (x.state === checked) return;
  const auth = await authenticate(x.request, x.state);
  x.principal = auth.principal;
  x.authError = auth.error;
  const route = routeOf(x);
  if (route.auth !== 'public' && route.auth !== 'widget-token' && auth.error) throw auth.error;
};

/** Path parameters, query (bound as Spring does), body; then the widget token of a widget route. */
const bindInput: Step = async (x, config) => {
  const route = routeOf(x);
  x.params = validate(route.params ?? passThrough, decodeParams(x.match.kind === 'route' ? x.match.params : {}), 'path parameter') as Record<string, string>;
  const bind = () => validate(route.query ?? passThrough, bindQuery(x.url.searchParams, route.query), 'query parameter') as Record<string, unknown>;
  x.query = config.queryMemo ? (config.queryMemo.get(route, x.url.search, bind) as Record<string, unknown>) : bind();
  if (route.body) {
    x.rawBody = await readJsonBody(x.request);
    // A JSON null leaves a field unset, as Jackson binds it (src/core/null-as-absent.ts).
    x.body = validate(route.body, nullAsAbsent(route.body, x.rawBody), 'body');
  }
  if (route.auth === 'widget-token') x.principal = authenticateWidget(x.params.token ?? '', x.state!);
};

/** Team scope and RBAC (nodeloom-api.md 1.8, 2.4): the team, the caller's role, the loaded resource. */
const authorize: Step = (x) => {
  const route = routeOf(x);
  if (!route.team) return;
  if (route.permission === 'widget' && x.principal?.kind === 'widget') {
    x.team = { id: x.principal.widget.teamId, role: 'VIEWER' };
    return;
  }
  if (route.permission === 'authenticated' || route.permission === 'public' || route.permission === 'widget' || !x.principal) return;
  const permission = route.permission;
  try {
    const resolved = resolveTeam(route.team, permission, x.principal, { params: x.params, query: x.query, body: x.body }, x.state!);
    x.team = { id: resolved.id, role: resolved.role };
    x.resource = resolved.resource;
    x.rbac = { teamId: resolved.id, role: resolved.role, permission, allowed: true };
  } catch (error) {
    if (error instanceof AccessDenied) x.rbac = { teamId: error.teamId, role: error.role, permission, allowed: false };
    throw error;
  }
};

/**
 * Runs the handler. A write (any non-GET route) runs in a transaction: if the handler throws or
 * answers an error status, its changes are rolled back and nothing is audited; after a success the
 * route's declared audit action is recorded with the handler's note.
 */
const runHandler: Step = async (x, config) => {
  const route = routeOf(x);
  const write = route.method !== 'GET';
  const tx = write ? x.ns.transaction(x.state!) : null;
  const responseHeaders = new Headers();
  const ctx: RouteContext<unknown, unknown, unknown, 'public', unknown, CoreState> = {
    request: x.request,
    url: x.url,
    params: x.params,
    query: x.query,
    body: x.body,
    principal: x.principal,
    team: x.team as never,
    resource: x.resource as never,
    state: tx ? tx.state : x.state!,
    requestId: x.requestId,
    clientAddress: x.clientAddress,
    responseHeaders,
    audit: x.audit,
    onSettled: (callback) => x.settled.push(callback),
    stream: x.scenarios?.stream ?? null,
  };
  let response: Response;
  try {
    response = await (route as RouteDefinition<unknown, unknown, unknown, 'public', unknown, CoreState>).handler(ctx);
    if (response.status >= 400) {
      await tx?.rollback(); // an error answered without throwing still applies nothing
    } else if (write && config.audit) {
      const events = auditEvents(x, route);
      if (events.length) await config.audit.record(ctx.state, events);
    }
  } catch (error) {
    await tx?.rollback();
    throw error;
  }
  responseHeaders.forEach((value, name) => {
    if (name === 'set-cookie') response.headers.append(name, value);
    else response.headers.set(name, value);
  });
  if (x.request.method === 'HEAD') {
    // Same headers as the GET, Content-Length included, without the body.
    const whole = wholeBodyOf(response);
    if (whole !== undefined) response.headers.set('content-length', String(wholeBodyLength(whole)));
    else await response.body?.cancel().catch(() => undefined);
    response = new Response(null, { status: response.status, headers: [...response.headers] });
  }
  x.response = response;
};

/** The steps, in order. */
export const STEPS: ReadonlyArray<readonly [name: string, step: Step]> = [
  ['select scenarios', selectScenarios],
  ['authenticate', authenticateCaller],
  ['decide scenarios', decideScenarios],
  ['count rate limit', countRateLimit],
  ['refuse unknown scenario', refuseUnknownScenario],
  ['apply scenario effects', applyScenarioEffects],
  ['enforce rate limit', enforceRateLimit],
  ['require authentication', requireAuthentication],
  ['dispatch', dispatch],
  ['load data set', loadState],
  ['bind input', bindInput],
  ['authorize', authorize],
  ['run handler', runHandler],
];

/**
 * Answers one `/api/**` request: runs {@link STEPS} until one answers or throws, renders any error
 * as the Spring body, adds `X-Request-Id`, the rate-limit headers and `X-Sandbox-Scenario-Applied`,
 * and journals the request once its body has settled. Resolves to `Response.error()` for an
 * injected network failure. Never rejects.
 */
export async function handleApiRequest<S extends CoreState>(
  request: ApiRequest,
  url: URL,
  ns: NamespacePort<S>,
  meta: RequestMeta,
  config: PipelineConfig<S>,
): Promise<Response> {
  const x: Exchange<S> = {
    request,
    url,
    ns,
    clientAddress: meta.clientAddress ?? 'local',
    requestId: ns.nextRequestId(),
    journalGeneration: ns.journal.generation,
    timestamp: ns.clock.iso(),
    started: monotonicMs(),
    match: config.router.match(request.method, url.pathname),
    requested: { names: [], error: null, dataset: undefined },
    principal: null,
    authError: null,
    viaCookie: false,
    scenarios: null,
    rateLimit: null,
    state: null,
    params: {},
    query: {},
    body: undefined,
    rawBody: undefined,
    team: null,
    resource: undefined,
    rbac: null,
    applied: [],
    audit: {},
    response: null,
    settled: [],
  };
  let aborted = false;
  ns.inFlight += 1;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    ns.inFlight -= 1;
  };
  try {
    try {
      for (const [, step] of STEPS) {
        // Only an async step is awaited: each await of a plain value still costs a microtask turn.
        const pending = step(x as unknown as Exchange<CoreState>, config as unknown as PipelineConfig<CoreState>);
        if (pending) await pending;
        if (x.response) break;
      }
    } catch (error) {
      aborted = !(error instanceof HttpError) && request.signal.aborted;
      if (!(error instanceof HttpError) && !aborted && !isClientAbort(error)) config.onUnexpected(error, request);
      else if (!(error instanceof HttpError)) aborted = true;
      x.response = errorResponse(error, { path: url.pathname, timestamp: x.ns.clock.iso(), requestId: x.requestId });
    }
    let response = x.response!;
    noteCrossSiteCookie(x, response, config);
    if (response.type === 'error') {
      release();
      journal(x, 0, 'network-error', null);
      return response;
    }
    const extra: Array<[string, string]> = [['x-request-id', x.requestId]];
    if (x.rateLimit) extra.push(...rateLimitHeaders(x.rateLimit));
    if (x.applied.length) extra.push([SCENARIO_APPLIED_HEADER, x.applied.join(', ')]);
    response = withHeaders(response, extra);
    // Encoded once, into the journal's slab: the journal keeps these bytes and the host writes them.
    const whole = wholeBodyOf(response);
    if (typeof whole === 'string') setWholeBody(response, x.ns.journal.encode(whole));
    const final = response;
    return settleWhenSent(response, (outcome) => {
      release();
      for (const callback of x.settled) {
        try {
          callback(outcome);
        } catch (error) {
          config.onUnexpected(error, request);
        }
      }
      // A client that left before any answer (mid-upload) saw no status: 0, as for a network error.
      journal(x, aborted ? 0 : final.status, aborted ? 'aborted' : outcome, aborted ? null : final);
    }, () => request.signal);
  } catch (error) {
    // A fault of ours or of a callback (onUnexpectedError, onWarning) before the body could
    // settle: the namespace is not held for good.
    release();
    throw error;
  }
}

/** Remembers (and warns once about) a session cookie set for a page of another host (src/core/cross-site.ts). */
function noteCrossSiteCookie<S extends CoreState>(x: Exchange<S>, response: Response, config: PipelineConfig<S>): void {
  if (response.type === 'error' || !response.headers.has('set-cookie')) return;
  const note = crossSiteCookie(x.request, x.url, response);
  if (!note) return;
  const known = x.ns.crossSiteLogin;
  x.ns.crossSiteLogin = note;
  if (known?.origin !== note.origin || known.apiOrigin !== note.apiOrigin) config.onWarning?.(crossSiteWarning(note));
}

/** Writes the request's journal entry (the one place the journal is written). */
function journal<S extends CoreState>(x: Exchange<S>, status: number, outcome: JournalOutcome, response: Response | null): void {
  const r = x.rateLimit;
  x.ns.journal.add({
    requestId: x.requestId,
    time: x.timestamp,
    method: x.request.method,
    path: boundUrlPart(x.url.pathname),
    query: boundUrlPart(x.url.search),
    status,
    outcome,
    durationMs: Math.round((monotonicMs() - x.started) * 100) / 100,
    principal: principalLabel(x.principal),
    scenarioApplied: x.applied,
    rbac: x.rbac,
    rateLimit: r ? { limit: r.limit, remaining: r.remaining, reset: r.reset, exceeded: r.exceeded } : null,
    requestHeaders: x.request.headers,
    requestBody: x.rawBody,
    responseHeaders: response?.headers ?? null,
    responseBody: response ? wholeBodyOf(response) : undefined,
  }, x.journalGeneration);
}

/** The audit events of a successful write: one per team, from the route's declaration and the handler's note. */
function auditEvents<S extends CoreState>(x: Exchange<S>, route: AnyRoute): AuditEvent[] {
  const declared = route.audit;
  if (!declared || !('action' in declared) || x.audit.skip) return [];
  const teamIds = x.audit.teamIds ?? (x.team ? [x.team.id] : []);
  const user = actingUser(x.principal);
  const actor = x.audit.actor ?? (user ? { id: user.id, name: `${user.firstName} ${user.lastName}` } : null);
  const resourceId =
    x.audit.resourceId ?? (x.resource as { id?: string } | undefined)?.id ?? x.params.id ?? x.params.userId ?? x.team?.id ?? null;
  const createdAt = x.ns.clock.iso();
  return teamIds.map((teamId) => ({
    teamId,
    action: declared.action,
    resourceType: declared.resourceType,
    resourceId,
    userId: actor?.id ?? null,
    userName: actor?.name ?? null,
    ipAddress: x.clientAddress,
    details: x.audit.details ?? {},
    createdAt,
  }));
}

function routeOf<S extends CoreState>(x: Exchange<S>): AnyRoute {
  if (x.match.kind !== 'route') throw new Error('pipeline: a route step ran without a route');
  return x.match.route;
}

/** The state credentials are read against: the chosen (else requested) data set if built, else the namespace's current one. */
function authState<S extends CoreState>(x: Exchange<S>): S {
  const dataset = x.scenarios?.dataset ?? x.requested.dataset;
  return x.state ?? (dataset === undefined ? undefined : x.ns.builtState(dataset)) ?? x.ns.currentState();
}

/** The caller's effective roles, as scenario rules match them. */
function rolesOf<S extends CoreState>(x: Exchange<S>): Role[] {
  const p = x.principal;
  if (!p || p.kind === 'widget') return [];
  const state = authState(x);
  if (p.kind === 'token') {
    const role = effectiveRole(p, p.token.teamId, state);
    return role ? [role] : [];
  }
  return state.directory.membershipsOf(p.user.id).map(([, role]) => role);
}

const passThrough = { safeParse: (value: unknown) => ({ success: true as const, data: value }) } as never;
