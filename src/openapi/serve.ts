import { HttpError } from '../core/http-error.ts';
import { methodNotAllowed } from '../core/router.ts';
import { textResponse } from '../core/respond.ts';

/**
 * Serving the OpenAPI document (`GET /openapi.json`, `/openapi.yaml`) and the local API reference
 * (`GET /__sandbox/docs`, Swagger UI from the `swagger-ui-dist` package). The core answers all of
 * them; only the viewer's files come from disk, through a {@link DocsAssetReader} the node hosts
 * provide (src/hosts/docs-assets.ts). The document is built once per sandbox, on first request.
 */

/** One file of the reference viewer. */
export interface DocsAsset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/**
 * Reads a file of the viewer (`swagger-ui-bundle.js`, `swagger-ui.css`, ...) by name; undefined for
 * a file it does not serve. Given by hosts that can read the package's files (node).
 */
export type DocsAssetReader = (file: string) => Promise<DocsAsset | undefined>;

/** The reference page: Swagger UI over `/openapi.json`, every file local (relative URLs, so a mount prefix is kept). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NodeLoom API reference (nodeloom-sandbox)</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI: the document next to the page, "Try it" on by default against the sandbox
 * (the document's server is `/`), cookies sent, and no call to the public validator badge service
 * (`validatorUrl: null`), so the page works offline.
 */
const INIT = `window.ui = SwaggerUIBundle({
  url: new URL('../openapi.json', location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,
  withCredentials: true,
  persistAuthorization: true,
  validatorUrl: null,
});
`;

const NO_CACHE = { 'cache-control': 'no-cache' };

/** Answers the OpenAPI and reference paths; the document is generated once, on first use. */
export function createOpenApiServer(assets: () => DocsAssetReader | undefined) {
  let document: Promise<string> | undefined;
  let yaml: Promise<string> | undefined;
  const head = (response: Response, method: string) => (method === 'HEAD' ? new Response(null, { status: response.status, headers: [...response.headers] }) : response);
  return {
    /** `/openapi.json` or `/openapi.yaml` (GET/HEAD), else undefined. */
    async document(path: string, method: string): Promise<Response | undefined> {
      if (method !== 'GET' && method !== 'HEAD') return undefined;
      // The generator and its recorded examples load on the first request for the document, not at start.
      if (path === '/openapi.json') return head(textResponse(await (document ??= import('./index.ts').then((m) => JSON.stringify(m.openApiDocument()))), 200, { 'content-type': 'application/json', ...NO_CACHE }), method);
      if (path === '/openapi.yaml') return head(textResponse(await (yaml ??= import('./index.ts').then((m) => m.openApiYaml())), 200, { 'content-type': 'application/yaml; charset=utf-8', ...NO_CACHE }), method);
      return undefined;
    },
    /**
     * `/__sandbox/docs` and its files (GET/HEAD; OPTIONS answers 200 with Allow where GET would answer).
     * @throws HttpError 404 for an unknown file, or every file when the host reads no assets (msw)
     */
    async docs(path: string, method: string): Promise<Response> {
      if (method === 'OPTIONS') {
        // As Spring MVC: 200 with Allow for what is there; a file that is not there is still a 404.
        const there = await this.docs(path, 'HEAD');
        return there.status === 200 ? new Response(null, { status: 200, headers: { allow: 'GET, HEAD' } }) : there;
      }
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, path, ['GET', 'HEAD']);
      if (path === '/__sandbox/docs') return head(textResponse(PAGE, 200, { 'content-type': 'text/html; charset=utf-8', ...NO_CACHE }), method);
      // The page's files are relative to `/__sandbox/docs`: from `/__sandbox/docs/` they would miss.
      if (path === '/__sandbox/docs/') return new Response(null, { status: 302, headers: { location: '../docs', ...NO_CACHE } });
      const file = path.slice('/__sandbox/docs/'.length);
      if (file === 'init.js') return head(textResponse(INIT, 200, { 'content-type': 'application/javascript; charset=utf-8', ...NO_CACHE }), method);
      const reader = assets();
      if (!reader) {
        throw new HttpError(
          404,
          `The API reference's files (Swagger UI) are read from the swagger-ui-dist package on disk, which this host cannot do (msw in a browser or test). Open /__sandbox/docs on the CLI or express host, or read GET /openapi.json.`,
        );
      }
      const asset = await reader(file);
      if (!asset) throw new HttpError(404, `No file ${file} in the API reference. GET /__sandbox/docs opens it.`);
      return head(new Response(asset.body, { headers: { 'content-type': asset.contentType, 'cache-control': 'max-age=3600' } }), method);
    },
  };
}
