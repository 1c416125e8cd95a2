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

/** Options of {@link createHandlers}. */
export interface HandlerOptions {
  /**
   * Origins to intercept, e.g. `['https://api.nodeloom.io', 'http://localhost:4010']`. Default:
   * any origin, so absolute SDK URLs, a local base URL and relative `/api/...` calls from a page
   * (which the browser makes absolute against the page origin) all reach the sandbox.
   */
  origins?: readonly string[];
  /** Client address the core uses for per-address rate limits (default `local`). */
  clientAddress?: string;
}

/**
 * Whether the sandbox answers this path: `/api` and everything under it (nodeloom-api.md 1.1),
 * `/actuator/health`, the embeddable `/widget.js` (3.6), and the control plane under `/__sandbox`.
 */
export function isSandboxPath(pathname: string): boolean {
  return (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname === '/actuator/health' ||
    pathname === '/widget.js' ||
    pathname === '/__sandbox' ||
    pathname.startsWith('/__sandbox/')
  );
}

/**
 * Creates the msw request handlers for a sandbox: a single `http.all` with a custom predicate
 * matching {@link isSandboxPath} on the allowed origins; its resolver returns
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
 * @throws TypeError when an entry of `origins` is not a valid URL
 */
export function createHandlers(sandbox: Pick<Sandbox, 'fetch'>, options: HandlerOptions = {}): HttpHandler[] {
  const origins = options.origins ? new Set(options.origins.map((origin) => new URL(origin).origin)) : undefined;
  const meta = options.clientAddress === undefined ? {} : { clientAddress: options.clientAddress };
  return [
    http.all(
      ({ request }) => {
        const url = new URL(request.url);
        return isSandboxPath(url.pathname) && (origins === undefined || origins.has(url.origin));
      },
      ({ request }) => sandbox.fetch(request, meta),
    ),
  ];
}
