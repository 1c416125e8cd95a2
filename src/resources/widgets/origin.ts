/**
 * Widget origin rules (nodeloom-api.md 3.6): when a widget has `allowedDomains`, a public request's
 * `Origin` must match one of them. The Origin is parsed, and its host compared case-insensitively
 * as a whole host (never by substring, prefix or suffix): `example.com` allows exactly
 * `example.com` on any port; `localhost:5173` that host on that port only; a leading `*.`
 * (`*.example.com`) allows every subdomain of it, but not the bare domain [INF 3.6].
 */

/** An `allowedDomains` entry the API accepts, normalized (lower case, punycode, no scheme or slash). */
export interface DomainRule {
  /** Host name without the `*.` (`example.com`, `xn--bcher-kva.example`, `[::1]`). */
  host: string;
  /** Port the origin must use, or null for any. */
  port: string | null;
  /** Whether subdomains of `host` match (a `*.` entry) instead of `host` itself. */
  subdomains: boolean;
}

/**
 * Parses an `allowedDomains` entry: `example.com`, `*.example.com`, `localhost:5173`, or an origin
 * such as `https://shop.example.com` (its scheme is dropped).
 * @returns the rule and its normalized text (`*.example.com`, `localhost:5173`), or an error message
 */
export function parseDomain(entry: string): { rule: DomainRule; text: string } | { error: string } {
  let text = entry.trim().toLowerCase().replace(/\/+$/, '');
  const scheme = /^https?:\/\//.exec(text);
  if (scheme) text = text.slice(scheme[0].length);
  const subdomains = text.startsWith('*.');
  if (subdomains) text = text.slice(2);
  if (!text || /[\s/?#@*\\]/.test(text)) {
    return { error: `"${entry}" is not a domain: use a host such as "example.com", "*.example.com" or "localhost:5173"` };
  }
  let url: URL;
  try {
    url = new URL(`http://${text}`);
  } catch {
    return { error: `"${entry}" is not a valid host name` };
  }
  const host = url.hostname.replace(/\.$/, '');
  if (subdomains && !host.includes('.')) return { error: `"${entry}": a *. entry needs a domain with a dot, such as "*.example.com"` };
  const port = /:(\d+)$/.exec(text)?.[1] ?? null;
  const normalizedPort = port === null ? null : String(Number(port));
  return {
    rule: { host, port: normalizedPort, subdomains },
    text: `${subdomains ? '*.' : ''}${host}${normalizedPort === null ? '' : `:${normalizedPort}`}`,
  };
}

/** The origin's host and port (the scheme's default when none is given), or undefined when it is not an http(s) origin. */
function parseOrigin(origin: string): { host: string; port: string } | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '') && url.origin !== origin) return undefined;
  return { host: url.hostname.replace(/\.$/, ''), port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}

/**
 * Whether a request `Origin` may use a widget.
 * @param origin the `Origin` header value, or null when the request has none
 * @param allowedDomains the widget's entries (empty: every origin, and requests without one)
 */
export function originAllowed(origin: string | null, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  if (origin === null) return false;
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  return allowedDomains.some((entry) => {
    const result = parseDomain(entry);
    if ('error' in result) return false;
    const { rule } = result;
    if (rule.port !== null && rule.port !== parsed.port) return false;
    return rule.subdomains ? parsed.host.endsWith(`.${rule.host}`) : parsed.host === rule.host;
  });
}
