import { CONTROL_PAGE_CSS } from './control-page/style.ts';

/**
 * The control page (`GET /__sandbox/`): one HTML document with its script and styles inline, built
 * from src/admin/control-page/app.ts (Preact + htm, bundled at build time by build/bundle-query.ts).
 * It is served by the core, so every host serves it (also msw in a browser: no file is read at run
 * time), and it drives the sandbox through the control plane's own HTTP API. The script (about
 * 30 kB) is imported on the first request for the page, not with the sandbox: a process that never
 * serves the page (tests, the bench, msw handlers) neither loads nor, from sources, bundles it.
 */

/** The page's HTML (built once per process, on first use). */
let pageHtml: Promise<string> | undefined;

/** `</script` inside the bundle would end the inline script early: escape it. */
const inlineSafe = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1');

async function buildPage(): Promise<string> {
  const { default: script } = await import('./control-page/app.ts?bundle');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nodeloom-sandbox control page</title>
<style>${CONTROL_PAGE_CSS}</style>
</head>
<body>
<div id="app"></div>
<noscript>The control page needs JavaScript. The same controls are JSON endpoints: GET /__sandbox lists them.</noscript>
<script>${inlineSafe(script)}</script>
</body>
</html>
`;
}

/**
 * Whether a control-plane request asks for the page: `GET`/`HEAD /__sandbox/` always, and
 * `/__sandbox` when the client asks for HTML (a browser's `Accept: text/html,...`). Other clients
 * of `/__sandbox` (curl's and fetch's `*\/*`, `application/json`) keep its JSON index.
 */
export function wantsControlPage(method: string, pathname: string, accept: string | null): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (pathname === '/__sandbox/') return true;
  return pathname === '/__sandbox' && accept !== null && /\btext\/html\b/i.test(accept);
}

/**
 * The page as a response (once its script is loaded): 200 `text/html`, not cached (it changes with the package version), and
 * a Content-Security-Policy that lets it load nothing but itself and call only its own origin.
 * It holds no secret, so it is served without the admin token; the page asks for the token and
 * sends it on each control call (sessionStorage).
 */
export async function controlPageResponse(method: string): Promise<Response> {
  pageHtml ??= buildPage();
  const html = await pageHtml;
  return new Response(method === 'HEAD' ? null : html, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    },
  });
}
