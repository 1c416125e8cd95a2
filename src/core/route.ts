import type { z } from 'zod';
import type { SandboxState } from '../state.ts';
import type { Principal } from './principal.ts';
import type { Permission, Role } from './rbac.ts';

/**
 * Declarative routes: each route states its method, path (a rou3 pattern), how it authenticates,
 * the permission it needs, where its team comes from, and zod schemas for params, query and body.
 * The pipeline enforces all of that before the handler runs (design.md "Routes are declarative").
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a route authenticates. `public`: anyone (rate-limited per client address);
 * `principal`: a session cookie/JWT or an SDK token is required (401 otherwise).
 * Later areas add their own kinds (widget tokens, SDK-only) here.
 */
export type AuthKind = 'public' | 'principal';

/**
 * Where the team a request acts on comes from (nodeloom-api.md 1.8):
 * - `query` / `body`: a `teamId` field; a token principal may omit it (its own team is used),
 *   a cookie principal gets 400 without it;
 * - `path`: a path parameter;
 * - `resource`: a record loaded by id; another team's record answers 404.
 */
export type TeamSource =
  | { from: 'query' }
  | { from: 'body' }
  | { from: 'path'; param: string }
  | {
      from: 'resource';
      /** What the resource is called in messages ("Workflow"). */
      name: string;
      /** The path parameter holding its id. */
      param: string;
      /** Loads the record; undefined means 404. */
      load: (state: SandboxState, id: string) => { teamId: string } | undefined;
    };

/** What a handler receives once the pipeline has authenticated, scoped, authorised and validated. */
export interface RouteContext<P = Record<string, string>, Q = Record<string, unknown>, B = unknown, R = unknown> {
  request: Request;
  url: URL;
  /** Decoded path parameters, validated by `params` when given. */
  params: P;
  /** Query parameters, validated by `query` (unknown ones dropped, as Spring ignores them). */
  query: Q;
  /** Parsed JSON body, validated by `body`; undefined for routes without a body schema. */
  body: B;
  /** The caller; null only on `public` routes without credentials. */
  principal: Principal | null;
  /** The team the request acts on and the caller's effective role in it, when the route has `team`. */
  team: { id: string; role: Role } | null;
  /** The record loaded by a `resource` team source. */
  resource: R;
  state: SandboxState;
  requestId: string;
  /** Headers the handler wants on the response besides its own (e.g. Set-Cookie). */
  responseHeaders: Headers;
}

/** A route as declared by a resource. */
export interface RouteDefinition<P = Record<string, string>, Q = Record<string, unknown>, B = unknown, R = unknown> {
  method: HttpMethod;
  path: string;
  /** Default `principal`. */
  auth?: AuthKind;
  /** Required permission in the route's team (needs `team`), or none. */
  permission?: Permission;
  team?: TeamSource;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** When set, the body must be JSON (415 otherwise) and match this schema (400 otherwise). */
  body?: z.ZodType<B>;
  /** Answers the request; may return a streaming body. Throw HttpError for error answers. */
  handler: (ctx: RouteContext<P, Q, B, R>) => Response | Promise<Response>;
}

/** A route with its types erased, as the router stores it. */
export type AnyRoute = RouteDefinition<any, any, any, any>;

/**
 * Declares a route; a typed identity function so handlers see their params, query and body types.
 * @returns the same definition
 */
export function defineRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown, R = unknown>(
  definition: RouteDefinition<P, Q, B, R>,
): AnyRoute {
  return definition as AnyRoute;
}
