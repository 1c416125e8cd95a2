import { errorResponse, HttpError } from './http-error.ts';
import { withHeaders } from './respond.ts';
import type { ApiRequest } from './api-request.ts';

/**
 * CORS for credentialed browser calls (design.md "express host"): a frontend on another local port
 * calls the sandbox with `credentials: 'include'`, so the answer must echo the caller's origin
 * (never `*`), allow credentials, vary on `Origin`, and expose the headers a client reads
 * (rate limits, request id, download file name). Preflights are answered here, before
 * authentication and rate limits, exactly as a gateway in front of the real API would.
 * Lives in the core so every host (express, msw/node, msw/browser) answers the same bytes.
 */

/**
 * Which browser origins may call the sandbox with credentials:
 * - `'local'` (default): any `http(s)://localhost:*`, `127.0.0.1:*` or `[::1]:*` origin;
 * - `'any'`: every origin (still echoed, never `*`, because credentials forbid the wildcard);
 * - `'none'`: no CORS headers at all (preflights fall through to the API, which answers 405/404);
 * - a list of exact origins (`'https://app.example.com'`), which may include the word `'local'`.
 */
export type CorsOrigins = 'local' | 'any' | 'none' | readonly string[];

/**
 * Response headers a browser script may read (nodeloom-api.md 1.5 rate limits, 3.3 export). `Date`
 * too: it is not CORS-safelisted, and a page compares `X-RateLimit-Reset` with it (the sandbox clock's
 * time, src/core/pipeline.ts), which a cross-origin script could not read otherwise.
 */
export const EXPOSED_HEADERS =
  'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Date, X-Request-Id, Content-Disposition, X-Sandbox-Scenario-Applied';
/** Methods a preflight allows. */
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** How long a browser may cache a preflight answer, seconds. */
export const PREFLIGHT_MAX_AGE = '600';

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * Builds the origin test for a {@link CorsOrigins} setting.
 * @returns a predicate over the `Origin` header value
 * @throws TypeError for a setting that is neither a keyword nor a list of strings
 */
export function originPolicy(setting: CorsOrigins = 'local'): (origin: string) => boolean {
  if (setting === 'local') return (origin) => LOCAL_ORIGIN.test(origin);
  if (setting === 'any') return () => true;
  if (setting === 'none') return () => false;
  if (!Array.isArray(setting) || setting.some((entry) => typeof entry !== 'string')) {
    throw new TypeError(`corsOrigins must be 'local', 'any', 'none' or a list of origins, got ${String(setting)}`);
  }
  const exact = new Set(setting.filter((entry) => entry !== 'local').map((entry) => entry.replace(/\/+$/, '').toLowerCase()));
  const local = setting.includes('local');
  return (origin) => exact.has(origin.toLowerCase()) || (local && LOCAL_ORIGIN.test(origin));
}

/**
 * Wraps a fetch function with CORS.
 * Preflight = `OPTIONS` with `Origin` and `Access-Control-Request-Method`: an allowed origin gets
 * 204 with the allow headers (requested headers echoed, max age 600 s); a refused origin gets 403
 * with the Spring error body saying how to allow it. Any other request goes to `answer`; when its
 * `Origin` is allowed the response gets `Access-Control-Allow-Origin: <origin>`,
 * `Access-Control-Allow-Credentials: true` and `Access-Control-Expose-Headers`. Every response
 * carries `Vary: Origin` (unless the setting is `'none'`), so caches never mix origins.
 * The public widget API (`/api/public/widgets/…`, nodeloom-api.md 3.6 [INF]) is the exception,
 * whatever the setting: its preflights are answered for any origin and its route decides on the
 * origin from the widget's `allowedDomains` (see {@link refuseOrigin}).
 * @param setting who may call, see {@link CorsOrigins}
 * @param timestamp the sandbox clock's ISO-8601 time for a request (its namespace's), for the 403 error body
 */
export function withCors<M>(
  answer: (request: ApiRequest, meta?: M) => Promise<Response>,
  setting: CorsOrigins | undefined,
  timestamp: (request: ApiRequest) => string,
): (request: ApiRequest, meta?: M) => Promise<Response> {
  const allowed = setting === 'none' ? null : originPolicy(setting);
  return async (request, meta) => {
    if (isPublicWidgetRequest(request)) return widgetCors(request, meta, answer);
    if (allowed === null) return answer(request, meta);
    const origin = request.headers.get('origin');
    if (origin === null) return addHeaders(await answer(request, meta));
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return preflight(request, origin, allowed(origin), timestamp);
    }
    const response = await answer(request, meta);
    if (!allowed(origin)) return addHeaders(response);
    return addHeaders(response, [
      ['access-control-allow-origin', origin],
      ['access-control-allow-credentials', 'true'],
      ['access-control-expose-headers', EXPOSED_HEADERS],
    ]);
  };
}

/**
 * The public widget API (nodeloom-api.md 3.6 [INF] `/api/public/widgets/:token/...`) is called from
 * customers' own sites, so its CORS follows each widget's `allowedDomains`, decided by the route,
 * not `corsOrigins` (which keeps governing every other path, even when it is `'none'`).
 */
const PUBLIC_WIDGET_PATH = '/api/public/widgets/';

/** Answers the route marked as an origin refusal (see {@link refuseOrigin}). */
const refusedOrigins = new WeakSet<Response>();

/**
 * Marks a public widget answer as the route's refusal of the request's origin: it goes out with
 * `Vary: Origin` and without `Access-Control-Allow-Origin`, so the browser withholds it from the page.
 * @returns the same response
 */
export function refuseOrigin(response: Response): Response {
  refusedOrigins.add(response);
  return response;
}

function isPublicWidgetRequest(request: ApiRequest): boolean {
  const at = request.url.indexOf(PUBLIC_WIDGET_PATH);
  return at !== -1 && new URL(request.url).pathname.startsWith(PUBLIC_WIDGET_PATH);
}

/**
 * CORS of the public widget API: a preflight from any origin gets 204 (the route decides on the
 * actual request, which carries the token); an answer the route did not refuse echoes the origin
 * (no credentials: the token is in the path); every answer varies on `Origin`.
 */
async function widgetCors<M>(request: ApiRequest, meta: M | undefined, answer: (request: ApiRequest, meta?: M) => Promise<Response>): Promise<Response> {
  const origin = request.headers.get('origin');
  if (origin !== null && request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
    const headers = new Headers({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-max-age': PREFLIGHT_MAX_AGE,
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    });
    const requested = request.headers.get('access-control-request-headers');
    if (requested) headers.set('access-control-allow-headers', requested);
    if (request.headers.get('access-control-request-private-network') === 'true') headers.set('access-control-allow-private-network', 'true');
    return new Response(null, { status: 204, headers });
  }
  const response = await answer(request, meta);
  if (origin === null || refusedOrigins.has(response)) return addHeaders(response);
  return addHeaders(response, [
    ['access-control-allow-origin', origin],
    ['access-control-expose-headers', EXPOSED_HEADERS],
  ]);
}

function preflight(request: ApiRequest, origin: string, allowed: boolean, timestamp: (request: ApiRequest) => string): Response {
  const path = new URL(request.url).pathname;
  if (!allowed) {
    const refused = errorResponse(
      new HttpError(
        403,
        `Origin ${origin} may not call the sandbox from a browser. Allowed by default: http(s)://localhost:*, 127.0.0.1:*, [::1]:*; pass corsOrigins (CLI --cors-origin) to allow it.`,
      ),
      { path, timestamp: timestamp(request), requestId: 'req_preflight' },
    );
    return addHeaders(refused);
  }
  const headers = new Headers({
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-max-age': PREFLIGHT_MAX_AGE,
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  });
  const requested = request.headers.get('access-control-request-headers');
  if (requested) headers.set('access-control-allow-headers', requested);
  // Chrome's Private Network Access preflight (a public page calling a local server).
  if (request.headers.get('access-control-request-private-network') === 'true') {
    headers.set('access-control-allow-private-network', 'true');
  }
  return new Response(null, { status: 204, headers });
}

/** Adds `Vary: Origin` (once) and the given headers, copying the response when its headers are immutable. */
function addHeaders(response: Response, pairs: Array<[string, string]> = []): Response {
  if (response.type === 'error') return response; // a network error has no headers to add
  const vary = response.headers.get('vary');
  if (!vary || !/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) pairs.push(['vary', vary ? `${vary}, Origin` : 'Origin']);
  return pairs.length === 0 ? response : withHeaders(response, pairs);
}
