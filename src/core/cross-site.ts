import type { ApiRequest } from './api-request.ts';

/**
 * The cross-site cookie trap of local development: a page on `http://localhost:5173` (Vite's
 * default) calling the sandbox as `http://127.0.0.1:4010` is cross-site (different host names; the
 * port does not matter), so the browser refuses the `SameSite=Lax` session cookie of the login
 * answer, or never sends it back, and `/api/auth/me` answers 401 as if the login had failed. The
 * sandbox notices a cookie set for another host's page, warns once in the log, and explains it in
 * the 401 a cookie-less caller gets next (src/core/pipeline.ts `requireAuthentication`).
 */

/** A cookie answer to a page of another host: the page's origin and the API origin it called. */
export interface CrossSiteCookie {
  origin: string;
  apiOrigin: string;
}

/**
 * Whether a successful answer sets a cookie for a page whose host differs from the API's host.
 * @returns the two origins, or null when the cookie will work (same host, no `Origin`, no cookie)
 */
export function crossSiteCookie(request: ApiRequest, url: URL, response: Response): CrossSiteCookie | null {
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null' || response.status >= 400 || !response.headers.has('set-cookie')) return null;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return null;
  }
  // Only a web page's origin: an opaque one (`null`, `chrome-extension://…`, `file://`) names no host.
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return null;
  if (page.hostname.toLowerCase() === url.hostname.toLowerCase()) return null;
  return { origin: page.origin, apiOrigin: url.origin };
}

/** What to change, in one sentence per fix (shared by the log warning and the 401 hint). */
function fixes(note: CrossSiteCookie): string {
  const sameHost = new URL(note.apiOrigin);
  sameHost.hostname = new URL(note.origin).hostname;
  return (
    `Call the API on the page's host (${sameHost.origin} instead of ${note.apiOrigin}), or proxy /api through your dev server ` +
    `(Vite: server.proxy { '/api': '${note.apiOrigin}' }; see the README, "Cookie login from your dev server").`
  );
}

/** The one log line when a login from another host's page sets the session cookie. */
export function crossSiteWarning(note: CrossSiteCookie): string {
  return (
    `[nodeloom-sandbox] warning: a login from a page on ${note.origin} called the API as ${note.apiOrigin}: different hosts are different sites, ` +
    `so the browser drops the SameSite=Lax session cookie and the next calls answer 401. ${fixes(note)}`
  );
}

/** The sentence added to a 401 without credentials after such a login. */
export function crossSiteHint(note: CrossSiteCookie): string {
  return ` A login from ${note.origin} to ${note.apiOrigin} set its session cookie cross-site, which the browser does not send back. ${fixes(note)}`;
}
