import { addRoute, createRouter, findRoute } from 'rou3';
import { HttpError } from './http-error.ts';

/** The outcome of looking up a request: a route with its raw params, a 405, an OPTIONS answer, or nothing. */
export type RouteMatch<R> =
  | { kind: 'route'; route: R; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  /** OPTIONS on a known path: Spring MVC answers 200 with `Allow` (CORS preflights never get here). */
  | { kind: 'options'; allow: string[] }
  | { kind: 'none' };

/** A compiled router: `match` per request, plus what it was built from. */
export interface Router<R> {
  match(method: string, pathname: string): RouteMatch<R>;
  /** Every route, in declaration order (for generated tests and documents). */
  readonly routes: readonly R[];
  /** Whether any route on this exact path (any method) satisfies `predicate`. */
  pathHas(pathname: string, predicate: (route: R) => boolean): boolean;
}

/**
 * Routers already compiled, by the route list they were compiled from (and its length, so a list
 * grown since compiles again). A compiled router is never changed after it is built and holds no
 * per-sandbox state, so sandboxes share it: compiling the ~110 API routes for every
 * `createSandbox` was ~2 s of the test suite's CPU (rou3's inserts), and a cost every user's test
 * paid per sandbox.
 */
const compiled = new WeakMap<readonly object[], { length: number; router: Router<never> }>();

/**
 * Compiles route definitions into a rou3 router, plus a method-less router that knows which methods
 * each path has, for 405 answers with an `Allow` header; once per route list (see {@link compiled}).
 * Used by the API and the control plane.
 * @throws Error when two routes declare the same method and path
 */
export function compileRoutes<R extends { method: string; path: string }>(routes: readonly R[]): Router<R> {
  const known = compiled.get(routes);
  if (known && known.length === routes.length) return known.router as unknown as Router<R>;
  const router = buildRouter(routes);
  compiled.set(routes, { length: routes.length, router: router as unknown as Router<never> });
  return router;
}

function buildRouter<R extends { method: string; path: string }>(routes: readonly R[]): Router<R> {
  const byMethod = createRouter<R>();
  const anyMethod = createRouter<{ allow: string[]; routes: R[] }>();
  const seen = new Map<string, { allow: string[]; routes: R[] }>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (findRoute(byMethod, route.method, route.path)?.data.path === route.path) throw new Error(`Duplicate route ${key}`);
    addRoute(byMethod, route.method, route.path, route);
    let methods = seen.get(route.path);
    if (!methods) {
      methods = { allow: [], routes: [] };
      seen.set(route.path, methods);
      addRoute(anyMethod, '', route.path, methods);
    }
    methods.allow.push(route.method);
    methods.routes.push(route);
  }
  return {
    routes,
    pathHas(pathname, predicate) {
      if (pathname.length > 1 && pathname.endsWith('/')) return false; // as `match`: no trailing-slash matching
      return findRoute(anyMethod, '', pathname)?.data.routes.some(predicate) ?? false;
    },
    match(method, pathname) {
      // Spring Boot 3 no longer matches a trailing slash, so neither does the sandbox (404).
      if (pathname.length > 1 && pathname.endsWith('/')) return { kind: 'none' };
      // Spring answers HEAD for every GET route (the pipeline drops the body).
      const found = findRoute(byMethod, method, pathname) ?? (method === 'HEAD' ? findRoute(byMethod, 'GET', pathname) : undefined);
      if (found) return { kind: 'route', route: found.data, params: found.params ?? {} };
      const other = findRoute(anyMethod, '', pathname);
      if (other) {
        const allow = other.data.allow.includes('GET') ? [...other.data.allow, 'HEAD', 'OPTIONS'] : [...other.data.allow, 'OPTIONS'];
        return method === 'OPTIONS' ? { kind: 'options', allow } : { kind: 'method-not-allowed', allow: other.data.allow };
      }
      return { kind: 'none' };
    },
  };
}

/** The 405 for a method a path does not serve, with `Allow` (Spring MVC's answer). */
export function methodNotAllowed(method: string, pathname: string, allow: readonly string[]): HttpError {
  return new HttpError(405, `Request method '${method}' is not supported for ${pathname}. Supported: ${allow.join(', ')}.`, [['allow', allow.join(', ')]]);
}

/**
 * Percent-decodes the path parameters of a match, as Spring hands `@PathVariable`s to handlers.
 * Used by the API pipeline and the control plane alike.
 * @throws HttpError 400 naming the parameter when a value is not valid percent-encoding (`%zz`)
 */
export function decodeParams(raw: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, `Path parameter '${name}' is not valid percent-encoding: ${value}`);
    }
  }
  return decoded;
}
