import { http, type HttpHandler } from 'msw';
import type { Sandbox } from '../sandbox.ts';

/**
 * The msw host (design.md "msw hosts"): one catch-all handler that hands matching requests to
 * `sandbox.fetch`, for `setupServer` (msw/node: vitest, jest) and `setupWorker` (browser,
 * Storybook, Playwright). Imports only `msw`, so it bundles for the browser.
 *
 * Why one handler: msw's matcher walks every handler per request, so one catch-all keeps the
 * routing in the sandbox's own compiled router (design.md measured table).
 */

/** The NodeLoom cloud API origin the SDKs call by default (nodeloom-api.md 1.1); always intercepted. */
export const NODELOOM_ORIGIN = 'https://api.nodeloom.io';

/** Options of {@link createHandlers}. */
export interface HandlerOptions {
  /**
   * More origins to answer besides the defaults, e.g. `['http://localhost:4010']` (the base URL your
   * app is configured with in tests). The defaults are always on: `https://api.nodeloom.io` and, in
   * a browser or DOM test environment, the page's own origin (`location.origin`), where relative
   * `/api/...` calls go. `'*'` answers NodeLoom paths on every origin. Requests to other origins
   * (your own API on `http://localhost:3000/api/cart`) are not matched: they go on to your handlers
   * and msw's `onUnhandledRequest`.
   */
  origins?: readonly string[];
  /** Client address the core uses for per-address rate limits (default `local`). */
  clientAddress?: string;
}

const OPENAPI_PATH = /^\/openapi\.(json|yaml)$/;

/**
 * Whether the sandbox answers this path: `/api` and everything under it (nodeloom-api.md 1.1),
 * `/actuator/health`, the embeddable `/widget.js` (3.6), the OpenAPI document (`/openapi.json`,
 * `/openapi.yaml`, served by every host), and the control plane under `/__sandbox`.
 */
export function isSandboxPath(pathname: string): boolean {
  return (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname === '/actuator/health' ||
    pathname === '/widget.js' ||
    pathname === '/openapi.json' ||
    pathname === '/openapi.yaml' ||
    pathname === '/__sandbox' ||
    pathname.startsWith('/__sandbox/')
  );
}

/**
 * Creates the msw request handlers for a sandbox: a single `http.all` with a custom predicate
 * matching {@link isSandboxPath} on the allowed origins (see {@link HandlerOptions.origins}: by
 * default `https://api.nodeloom.io` and the page's own origin, where the OpenAPI document's paths
 * are left to the app, which may serve its own); its resolver returns
 * `sandbox.fetch(request)` unchanged (status, headers, streamed body).
 *
 * Usage: `setupServer(...createHandlers(sandbox))` or `setupWorker(...createHandlers(sandbox))`.
 * Handlers added later with `server.use(...)` are prepended by msw, so users' overrides run first;
 * requests outside the sandbox paths are not matched and follow `onUnhandledRequest`.
 *
 * Notes: the resolver receives the request msw was given (msw keeps its own clone for logging), so
 * the core can read the body. The sandbox answers with plain `Response`s, not `HttpResponse`, so
 * msw's cookie jar does not store the session cookie: clients replay `Set-Cookie` themselves, as
 * against the express host. In a browser, `Set-Cookie` from a service worker response is ignored
 * by the browser, so cookie sessions need the express host; SDK tokens work in both.
 * @param sandbox a sandbox from `createSandbox()`
 * @returns the handlers to spread into `setupServer`/`setupWorker`
 * @throws TypeError when an entry of `origins` is not a valid URL (or `'*'`)
 */
export function createHandlers(sandbox: Pick<Sandbox, 'fetch'>, options: HandlerOptions = {}): HttpHandler[] {
  const any = options.origins?.includes('*') ?? false;
  const origins = new Set([NODELOOM_ORIGIN, ...(options.origins ?? []).filter((origin) => origin !== '*').map((origin) => new URL(origin).origin)]);
  // The page origin is read per request: a DOM test environment may set it after the handlers are made.
  const pageOrigin = () => (globalThis as { location?: { origin?: unknown } }).location?.origin;
  const meta = options.clientAddress === undefined ? {} : { clientAddress: options.clientAddress };
  return [
    http.all(
      ({ request }) => {
        const url = new URL(request.url);
        if (!isSandboxPath(url.pathname)) return false;
        if (any || origins.has(url.origin)) return true;
        // On the page's own origin, the app may serve its own /openapi.json: only NodeLoom's paths.
        return url.origin === pageOrigin() && !OPENAPI_PATH.test(url.pathname);
      },
      ({ request }) => sandbox.fetch(request, meta),
    ),
  ];
}
