import { addRoute, createRouter, findRoute } from 'rou3';
import type { AnyRoute } from './route.ts';

/** The outcome of looking up a request: a route with its raw params, a 405, or nothing. */
export type RouteMatch =
  | { kind: 'route'; route: AnyRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  /** OPTIONS on a known path: Spring MVC answers 200 with `Allow` (CORS preflights never get here). */
  | { kind: 'options'; allow: string[] }
  | { kind: 'none' };

/**
 * Compiles route definitions into a rou3 router once, plus a method-less router that knows which
 * methods each path has, for 405 answers with an `Allow` header.
 * @throws Error when two routes declare the same method and path
 */
export function compileRoutes(routes: readonly AnyRoute[]): (method: string, pathname: string) => RouteMatch {
  const byMethod = createRouter<AnyRoute>();
  const anyMethod = createRouter<{ allow: string[] }>();
  const seen = new Map<string, { allow: string[] }>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (findRoute(byMethod, route.method, route.path)?.data.path === route.path) throw new Error(`Duplicate route ${key}`);
    addRoute(byMethod, route.method, route.path, route);
    let methods = seen.get(route.path);
    if (!methods) {
      methods = { allow: [] };
      seen.set(route.path, methods);
      addRoute(anyMethod, '', route.path, methods);
    }
    methods.allow.push(route.method);
  }
  return (method, pathname) => {
    // Spring Boot 3 no longer matches a trailing slash, so neither does the sandbox (404).
    if (pathname.length > 1 && pathname.endsWith('/')) return { kind: 'none' };
    // Spring answers HEAD for every GET route (the host drops the body).
    const found = findRoute(byMethod, method, pathname) ?? (method === 'HEAD' ? findRoute(byMethod, 'GET', pathname) : undefined);
    if (found) return { kind: 'route', route: found.data, params: found.params ?? {} };
    const other = findRoute(anyMethod, '', pathname);
    if (other) {
      const allow = other.data.allow.includes('GET') ? [...other.data.allow, 'HEAD', 'OPTIONS'] : [...other.data.allow, 'OPTIONS'];
      return method === 'OPTIONS' ? { kind: 'options', allow } : { kind: 'method-not-allowed', allow: other.data.allow };
    }
    return { kind: 'none' };
  };
}
