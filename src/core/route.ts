import type { SessionKey } from './session.ts';
import type { z } from 'zod';
import type { AuditDeclaration, AuditNote } from './audit.ts';
import type { Clock } from './clock.ts';
import type { Directory } from './identity.ts';
import type { MemberPrincipal, Principal } from './principal.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Permission, Role } from './rbac.ts';
import type { ApiRequest } from './api-request.ts';

/**
 * Declarative routes (design.md "Routes are declarative, and declare their whole policy"): each
 * route states its method and path (a rou3 pattern), how it authenticates, how it is rate-limited,
 * the permission it needs, where its team comes from, its schemas, and the audit action a success
 * records. The pipeline (`pipeline.ts`) enforces all of it before and after the handler; a handler
 * only does the route's own work.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a route authenticates (nodeloom-api.md 1.2):
 * - `session-or-token`: the session cookie (or a Bearer session JWT) or an `sdk_` token;
 * - `sdk-token`: an `sdk_` token only (`/api/sdk/v1/**`, 3.11);
 * - `widget-token`: a widget embed token in the `:token` path parameter (public widget API, 3.6 [INF]);
 * - `public`: anyone; credentials, when sent and valid, are still read.
 */
export type AuthKind = 'session-or-token' | 'sdk-token' | 'widget-token' | 'public';

/**
 * Who a request is counted as for rate limits (nodeloom-api.md 1.5): the caller (`principal`, by its
 * team plan), the client address (`address`, FREE limit), or widget token plus address
 * (`token-and-address`, 30/min per address, SELF security.md). Every route declares its own.
 */
export type RateLimitKey = 'principal' | 'address' | 'token-and-address';

/**
 * What a route requires: a team permission (needs `team`), `authenticated` (any authenticated
 * user or token, no team), `widget` (a valid widget embed token) or `public` (anyone).
 */
export type RoutePermission = Permission | 'authenticated' | 'widget' | 'public';

/** The state a route runs against, as far as the core needs it; the sandbox's state extends it. */
export interface CoreState {
  readonly clock: Clock;
  readonly rateLimiter: RateLimiter;
  readonly directory: Directory;
  /** HMAC key for session JWTs (HS256), as a realm-safe JWK (src/core/session.ts). */
  readonly jwtKey: SessionKey;
}

/**
 * Where the team a request acts on comes from (nodeloom-api.md 1.8):
 * - `query` / `body`: a `teamId` field; a token principal may omit it (its own team is used), a
 *   cookie principal gets 400 without it;
 * - `path`: a path parameter;
 * - `principal`: the caller's own team (an SDK token's or a widget's);
 * - `resource`: a record loaded by id; a record of a team the caller is not in answers 404.
 */
export type TeamSource<S = any, R extends { teamId: string } = { teamId: string }> =
  | { from: 'query' }
  | { from: 'body' }
  | { from: 'path'; param: string }
  | { from: 'principal' }
  | {
      from: 'resource';
      /** What the resource is called in messages ("Workflow"). */
      name: string;
      /** The path parameter holding its id. */
      param: string;
      /** Loads the record; undefined means 404. */
      load: (state: S, id: string) => R | undefined;
    };

/** The record type a team source loads (`undefined` for the other sources). */
export type ResourceOf<T> = T extends { from: 'resource'; load: (...args: any[]) => infer X } ? NonNullable<X> : undefined;

/** The team a request acts on and the caller's effective role in it. */
export interface TeamScope {
  id: string;
  role: Role;
}

/** The principal a handler sees, by auth kind: never null unless the route is public. */
export type PrincipalFor<A extends AuthKind> = A extends 'public'
  ? Principal | null
  : A extends 'widget-token'
    ? Extract<Principal, { kind: 'widget' }>
    : A extends 'sdk-token'
      ? Extract<Principal, { kind: 'token' }>
      : MemberPrincipal;

/** What a handler receives once the pipeline has authenticated, scoped, authorised and validated. */
export interface RouteContext<P, Q, B, A extends AuthKind, T, S> {
  request: ApiRequest;
  url: URL;
  /** Decoded path parameters, validated by `params` when given. */
  params: P;
  /** Query parameters bound as Spring does (see query.ts), validated by `query`. */
  query: Q;
  /** Parsed JSON body, validated by `body`; undefined for routes without a body schema. */
  body: B;
  /** The caller. */
  principal: PrincipalFor<A>;
  /** The team and the caller's effective role, for routes with a team source. */
  team: T extends undefined ? null : TeamScope;
  /** The record a `resource` team source loaded. */
  resource: ResourceOf<T>;
  /** The data set serving the request (inside a write's transaction for non-GET routes). */
  state: S;
  /** The request id (`req_000123`), as in `X-Request-Id` and the journal. */
  requestId: string;
  /** The client address the host reported (`local` when unknown). */
  clientAddress: string;
  /** Headers the handler wants on the response besides its own (e.g. Set-Cookie). */
  responseHeaders: Headers;
  /** What the route's audit entry should say; the pipeline records it only after a success. */
  audit: AuditNote;
  /** Runs `callback` once the response body has been fully sent, or the client left, or it failed. */
  onSettled(callback: (outcome: SettleOutcome) => void): void;
  /** Stream effects the active scenarios chose for this request (only streaming routes read them), or null. */
  stream: StreamEffects | null;
}

/**
 * What scenarios do to a streamed answer (a chat reply, nodeloom-api.md 3.5 [INF]): faults after a
 * number of events, pacing, and echo mode. Each field is set by the first rule that chose it.
 */
export interface StreamEffects {
  /** Stop sending for `ms` of real time once `afterEvents` events are out, then go on. */
  stall?: { afterEvents: number; ms: number };
  /** Once `afterEvents` events are out, send `event: error` `{message}` and close cleanly. */
  error?: { afterEvents: number; message: string };
  /** Once `afterEvents` events are out, fail the body: a reset connection (express), an erroring body (msw). */
  drop?: { afterEvents: number };
  /** Delay before each token, ms of real time: `min`..`max` inclusive, drawn per token from (seed, `key`, token index). */
  pace?: { min: number; max: number; key: string };
  /** Reply with the user's text exactly (echo mode). */
  echo?: boolean;
}

/** How a response ended: its body fully sent, the client gone first, or the body failed. */
export type SettleOutcome = 'complete' | 'aborted' | 'failed';

/** A route as declared by a resource. */
export interface RouteDefinition<P, Q, B, A extends AuthKind, T, S> {
  method: HttpMethod;
  path: string;
  auth: A;
  /**
   * Mandatory: what the request is counted against (src/core/rate-limit.ts): `principal` (the
   * user or SDK token, by its team's plan), `address` (the client address: public routes, which
   * have no principal), or `token-and-address` (a widget embed token per client address,
   * nodeloom-api.md 3.6 [INF]).
   */
  rateLimit: RateLimitKey;
  permission: RoutePermission;
  team?: T;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** When set, the body must be JSON (415 otherwise) and match this schema (400 otherwise). */
  body?: z.ZodType<B>;
  /** Mandatory on every non-GET route: the action a success records, or `{none: reason}`. */
  audit?: AuditDeclaration;
  /**
   * Mandatory: the nodeloom-api.md section the route implements (`3.2`, `3.11.4`), and whether its
   * shape is inferred there ([INF]). The OpenAPI document carries both (`x-nodeloom-section`,
   * `x-nodeloom-inferred`).
   */
  spec: { section: string; inferred?: boolean };
  /** What a success answers, for the OpenAPI document (src/openapi); the handler stays the truth. */
  response?: ResponseDeclaration;
  /** Answers the request; may return a streaming body. Throw HttpError for error answers. */
  handler: (ctx: RouteContext<P, Q, B, A, T, S>) => Response | Promise<Response>;
}

/**
 * A route's success answer as the OpenAPI document describes it (src/openapi/document.ts): the
 * JSON body's zod schema, and for a route that streams server-sent events, the schema of each
 * event's JSON `data` by event name. A route without `body` is documented with its seeded example only.
 */
export interface ResponseDeclaration {
  /** Zod schema of the JSON success body (checked against the seeded example by test/openapi-examples.test.ts). */
  body?: z.ZodType;
  /** `text/event-stream` answers: the JSON `data` schema of each event, by event name. */
  events?: Record<string, z.ZodType>;
}

/** A route with its types erased, as the router stores it. */
export type AnyRoute = RouteDefinition<any, any, any, AuthKind, any, any>;

/**
 * Checks a declaration's policy is whole and consistent.
 * @throws Error naming the route: a team permission without a team source, `public` permission on
 *   a non-public route (or the reverse), a widget route without `widget` permission, a rate-limit
 *   key its auth kind cannot give (public routes have no principal: `address`; widget routes:
 *   `token-and-address`, and only they), a non-GET route without an audit declaration, or a route
 *   without its spec section
 */
export function checkRoutePolicy(route: AnyRoute): void {
  const name = `${route.method} ${route.path}`;
  const teamPermission = route.permission !== 'authenticated' && route.permission !== 'widget' && route.permission !== 'public';
  if (teamPermission && !route.team) throw new Error(`${name}: permission ${route.permission} needs a team source`);
  if ((route.permission === 'public') !== (route.auth === 'public')) throw new Error(`${name}: permission 'public' goes with auth 'public' only`);
  if ((route.permission === 'widget') !== (route.auth === 'widget-token')) throw new Error(`${name}: permission 'widget' goes with auth 'widget-token' only`);
  const keys: readonly RateLimitKey[] = route.auth === 'public' ? ['address'] : route.auth === 'widget-token' ? ['token-and-address'] : ['principal', 'address'];
  if (!keys.includes(route.rateLimit)) throw new Error(`${name}: auth '${route.auth}' takes rateLimit ${keys.map((k) => `'${k}'`).join(' or ')}, not '${route.rateLimit}'`);
  if (route.method !== 'GET' && !route.audit) throw new Error(`${name}: a non-GET route must declare audit (an action, or {none: reason})`);
  if (!route.spec || !/^\d+(\.\d+)*$/.test(route.spec.section)) {
    throw new Error(`${name}: declare spec: {section: '3.2', inferred?: true}, the nodeloom-api.md section it implements (the OpenAPI document's x-nodeloom-section)`);
  }
}

/**
 * Makes the `defineRoute` of a state type: a typed identity function, so handlers see their
 * params, query, body, principal, team and resource types without casts.
 */
export function routeDefiner<S>() {
  return function defineRoute<
    P = Record<string, string>,
    Q = Record<string, unknown>,
    B = undefined,
    A extends AuthKind = AuthKind,
    T extends TeamSource<S, any> | undefined = undefined,
  >(definition: RouteDefinition<P, Q, B, A, T, S>): AnyRoute {
    checkRoutePolicy(definition as AnyRoute);
    return definition as AnyRoute;
  };
}
