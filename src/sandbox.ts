import { QueryMemo } from './core/query-memo.ts';
import { createControlPlane, NAMESPACE_HEADER } from './admin/control-plane.ts';
import { createControls, type ClockControls, type SandboxControls } from './controls.ts';
import { withCors, type CorsOrigins } from './core/cors.ts';
import { errorResponse, HttpError } from './core/http-error.ts';
import { clip } from './core/clip.ts';
import type { PipelineConfig, RequestMeta } from './core/exchange.ts';
import { createClock } from './core/clock.ts';
import { handleApiRequest } from './core/pipeline.ts';
import { json, materialize, textResponse, withHeaders } from './core/respond.ts';
import { compileRoutes, methodNotAllowed } from './core/router.ts';
import { DEFAULT_CHAT_TOKEN_DELAY_MS, Namespace } from './namespace.ts';
import { namespaceMemoryBound } from './namespace-memory-bound.ts';
import { apiRoutes } from './routes.ts';
import { createOpenApiServer, type DocsAssetReader } from './openapi/serve.ts';
import { auditSink } from './resources/audit/trail.ts';
import { WIDGET_SCRIPT } from './resources/widgets/widget-script.ts';
import type { ScenarioDefinition } from './scenarios/definition.ts';
import { ScenarioRegistry } from './scenarios/registry.ts';
import { BUILT_IN_SCENARIOS } from '../scenarios/index.ts';
import type { SandboxState } from './state.ts';
import type { ApiRequest } from './core/api-request.ts';

/**
 * Paths outside /api served for GET and HEAD only: OPTIONS answers 200 with `Allow`, another
 * method the router's 405, as Spring MVC answers an API route (src/core/pipeline.ts).
 */
const READ_ONLY_PATHS: ReadonlySet<string> = new Set(['/actuator/health', '/widget.js', '/openapi.json', '/openapi.yaml']);

/**
 * `GET /widget.js`: the embeddable chat widget (src/resources/widgets/widget-script.ts), as
 * JavaScript any page may load with a script tag.
 */
function widgetScript(method: string): Response {
  const headers = { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' };
  if (method !== 'HEAD') return textResponse(WIDGET_SCRIPT, 200, headers);
  return new Response(null, { headers: { ...headers, 'content-length': String(new TextEncoder().encode(WIDGET_SCRIPT).byteLength) } });
}

/** The default data seed. */
export const DEFAULT_SEED = 20260217;
/**
 * The hosts' entry point: like `fetch`, but it takes any {@link ApiRequest} (the node host's light
 * request, src/hosts/node-request.ts) and a JSON answer may come back as a body-less `Response`
 * whose whole body (text, or UTF-8 bytes for API answers) `wholeBodyOf()` (src/core/respond.ts)
 * returns, so the node host skips building and reading a body stream. Not part of the public API.
 */
export const HOST_FETCH = Symbol.for('nodeloom-sandbox.host-fetch');

/**
 * Where a node host plugs in the reader of the API reference's files (src/hosts/docs-assets.ts):
 * `sandbox[DOCS_ASSETS] ??= reader`. Not part of the public API (the `docsAssets` option is).
 */
export const DOCS_ASSETS = Symbol.for('nodeloom-sandbox.docs-assets');

/** The namespace of requests without `X-Sandbox-Namespace`. */
export const DEFAULT_NAMESPACE = 'default';
/** 1-64 letters, digits, dots, dashes or underscores, not dots alone (`.` and `..` could not be named in DELETE /__sandbox/namespaces/:name). */
const NAMESPACE_NAME = /^(?!\.+$)[A-Za-z0-9._-]{1,64}$/;

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Data seed (integer). Same seed and requests, same bytes. Default {@link DEFAULT_SEED}. */
  seed?: number;
  /**
   * Sandbox start time: epoch ms, ISO-8601 string or Date. Given a start time, the clock starts
   * frozen there (responses are byte-identical run to run) unless `frozen: false`. Default: real
   * time, running.
   */
  now?: number | string | Date;
  /** Whether the clock starts frozen (default: true when `now` is given, else false). */
  frozen?: boolean;
  /** Scenarios switched on at start: built-in names or definition objects (registered too). */
  scenarios?: Array<string | ScenarioDefinition>;
  /** Extra scenario definitions to know (not switched on), e.g. loaded from a `scenarios/` folder. */
  scenarioDefinitions?: Array<{ definition: unknown; source: string }>;
  /**
   * Browser origins allowed to call with credentials (CORS, src/core/cors.ts): `'local'` (default:
   * any http(s) localhost / 127.0.0.1 / [::1] port), `'any'`, `'none'`, or a list of exact origins.
   */
  corsOrigins?: CorsOrigins;
  /** The `/__sandbox/*` control plane: on (default), off (`false`: 404), or protected by a token. */
  admin?: boolean | { token: string };
  /** Journal entries kept per namespace (default 500). */
  journalSize?: number;
  /**
   * Namespaces kept besides the default one; the least recently used is dropped past it (default
   * 50), never one with an API request in flight (past it for as long as every one has some).
   */
  maxNamespaces?: number;
  /**
   * Memory bound for the namespaces besides the default one, in records they hold (a copied table
   * counts its records, a table still shared with the seeded data set a twentieth of them; see
   * `Namespace.weight`). Past it the least recently used namespaces are dropped, checked after each
   * API call to a named namespace (src/namespace-memory-bound.ts: a change made outside its own API
   * calls, through the control plane, in code or by a streamed reply stored after its answer, counts
   * within 64 such calls). Default 1,500,000: a namespace on the `large` data set that has written
   * nothing weighs ~5,100, each record it writes one more.
   */
  maxNamespaceRecords?: number;
  /**
   * Whether successful writes are recorded in the audit trail (default true). `false` exists for
   * the bench's baseline (the cost of the audit step); the audit API then shows no new entries.
   */
  audit?: boolean;
  /**
   * Called with errors no route expected (they answer 500); default `console.error`. `request` is a
   * Fetch `Request` with the method, URL and headers of the failed call (its body may be gone).
   */
  onUnexpectedError?: (error: unknown, request: Request) => void;
  /**
   * Agent chat: `tokenDelayMs` is the real-time delay before each token of a streamed reply
   * (default 15 ms; 0 sends the whole reply at once, which tests want). A `stream-pace` scenario
   * overrides it per request.
   */
  chat?: { tokenDelayMs?: number };
  /**
   * Called with warnings for the developer, such as a login from a page on another host whose
   * session cookie the browser will drop (src/core/cross-site.ts); default `console.warn`.
   */
  onWarning?: (message: string) => void;
  /**
   * Reads the files of the API reference page (`GET /__sandbox/docs`, Swagger UI). The node hosts
   * (CLI, express) plug in one reading the swagger-ui-dist package; without one (msw), the page's
   * files answer 404 with a message saying so (the document itself, `/openapi.json`, is served by every host).
   */
  docsAssets?: DocsAssetReader;
  /**
   * The secret session JWTs (the `token` cookie) are signed with, HS256: printable ASCII, at least
   * 32 characters (256 bits, RFC 7518 3.2). Default: a key derived from `seed`, so the same seed,
   * clock and requests give byte-identical cookies; anyone who knows the seed can then forge a
   * session, which is fine on loopback and in tests but not on a server others can reach (the CLI
   * uses a random secret when it listens beyond loopback, or `--session-secret`).
   */
  sessionSecret?: string;
}

/** One sandbox: an in-memory NodeLoom backend answering Fetch API requests. */
export interface Sandbox extends SandboxControls {
  /**
   * Answers one request, as the real API would. Never rejects: every failure is a Response with
   * the Spring error body, or `Response.error()` for an injected network failure.
   * @param request a Fetch `Request` with an absolute URL (any origin; the path decides)
   * @param meta what the host knows besides the request (client address for per-address limits)
   */
  fetch(request: Request, meta?: RequestMeta): Promise<Response>;
  /** The default namespace's data seed. */
  readonly seed: number;
  /** The default namespace's clock. */
  readonly clock: ClockControls;
  /** Resolves once the default namespace's data is built (fetch waits for it by itself). */
  readonly ready: Promise<void>;
  /** The default namespace's live state (data, clock, limiter), once `ready`. For tests. */
  readonly state: SandboxState;
  /** The controls of a namespace (created from the seed on first use), as `X-Sandbox-Namespace` selects it. */
  namespace(name: string): SandboxControls & { readonly ready: Promise<void>; readonly state: SandboxState };
  /**
   * Drops a namespace (its data, clock, scenarios, journal); its next use builds it afresh, as
   * `DELETE /__sandbox/namespaces/:name` does.
   * @returns whether it existed
   * @throws TypeError for the default namespace (reset it instead)
   */
  deleteNamespace(name: string): boolean;
}

/**
 * Creates a sandbox with its own data, clock, scenarios, journal and rate windows; two sandboxes
 * never share state. Seeding starts at once in the background; `fetch` and `ready` wait for it.
 * @throws TypeError when `seed` is not an integer or `now` is not a valid time; Error naming the
 *   source and field of a malformed scenario definition; HttpError for an unknown scenario name
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new TypeError(`seed must be an integer, got ${String(options.seed)}`);
  const start = options.now === undefined ? undefined : new Date(options.now).getTime();
  if (start !== undefined && Number.isNaN(start)) throw new TypeError(`now must be a valid time, got ${String(options.now)}`);
  const registry = new ScenarioRegistry();
  for (const definition of BUILT_IN_SCENARIOS) registry.addBuiltIn(definition, `scenarios/${definition.name}.ts`);
  for (const { definition, source } of options.scenarioDefinitions ?? []) registry.add(definition as ScenarioDefinition, source);
  const startup = (options.scenarios ?? []).map((s) => (typeof s === 'string' ? s : registry.add(s, `definition "${String(s.name)}"`).name));
  const maxNamespaces = options.maxNamespaces ?? 50;
  if (!Number.isSafeInteger(maxNamespaces) || maxNamespaces < 1) throw new TypeError(`maxNamespaces must be a positive integer, got ${String(options.maxNamespaces)}`);
  const tokenDelayMs = options.chat?.tokenDelayMs ?? DEFAULT_CHAT_TOKEN_DELAY_MS;
  if (!Number.isSafeInteger(tokenDelayMs) || tokenDelayMs < 0 || tokenDelayMs > 60_000) {
    throw new TypeError(`chat.tokenDelayMs must be an integer from 0 to 60000 (ms), got ${String(options.chat?.tokenDelayMs)}`);
  }
  const sessionSecret = options.sessionSecret;
  if (sessionSecret !== undefined && (typeof sessionSecret !== 'string' || sessionSecret.length < 32 || !/^[\x20-\x7e]+$/.test(sessionSecret))) {
    throw new TypeError('sessionSecret must be printable ASCII text of at least 32 characters (an HS256 key of 256 bits, RFC 7518 3.2)');
  }
  const journalSize = options.journalSize ?? 500;
  if (!Number.isSafeInteger(journalSize) || journalSize < 1) throw new TypeError(`journalSize must be a positive integer, got ${String(options.journalSize)}`);
  // Every namespace's data is seeded at the sandbox's start time, so namespaces share the data sets
  // generated once per process (a `large` one is built once, not once per namespace).
  const epoch = createClock({ start, frozen: true }).now();
  const config = { seed, start, epoch, frozen: options.frozen, journalSize, scenarios: startup, chat: { tokenDelayMs }, sessionSecret };
  const main = new Namespace(DEFAULT_NAMESPACE, config, registry);
  const others = new Map<string, Namespace>();
  const router = compileRoutes(apiRoutes);
  // Start seeding now; a failure surfaces on the first fetch or `ready`.
  main.state().catch(() => undefined);
  const report = options.onUnexpectedError;
  // The node host's requests are light (src/hosts/node-request.ts): the callback gets a real
  // `Request`, made only for this rare call, so its public type stays `Request`.
  const onUnexpected = report
    ? (error: unknown, request: ApiRequest) => report(error, request instanceof Request ? request : new Request(request.url, { method: request.method, headers: [...request.headers] }))
    : (error: unknown) => console.error('[nodeloom-sandbox] unexpected error', error);
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  const pipeline: PipelineConfig<SandboxState> = {
    router,
    onUnexpected,
    onWarning,
    audit: options.audit === false ? undefined : auditSink,
    queryMemo: new QueryMemo(),
  };

  const maxRecords = options.maxNamespaceRecords ?? 1_500_000;
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) throw new TypeError(`maxNamespaceRecords must be a positive integer, got ${String(options.maxNamespaceRecords)}`);
  const enforceMemoryBound = namespaceMemoryBound(others, maxRecords);
  const namespaceNamed = (name: string): Namespace => {
    if (name === DEFAULT_NAMESPACE) return main;
    let ns = others.get(name);
    if (ns) {
      others.delete(name); // keep least-recently-used order
    } else {
      ns = new Namespace(name, config, registry);
      // The least recently used ones without a request in flight (a write in flight would be
      // answered, then lost with its namespace): past the bound while every one has some.
      for (const [oldest, candidate] of others) {
        if (others.size < maxNamespaces) break;
        if (candidate.inFlight === 0) others.delete(oldest);
      }
    }
    others.set(name, ns);
    return ns;
  };
  /**
   * The namespace `X-Sandbox-Namespace` names: created on first use by API and control-plane
   * requests (`create`); for the others (health, /widget.js, the documents, a 404) only looked up,
   * the default one when it does not exist, so a health check that carries a harness's headers
   * neither creates a namespace nor evicts one past `maxNamespaces`.
   * @throws HttpError 400 for a malformed name, on every path
   */
  const namespaceFor = (request: ApiRequest, create = true): Namespace => {
    const name = request.headers.get(NAMESPACE_HEADER);
    if (name === null || name === '') return main;
    if (!NAMESPACE_NAME.test(name)) {
      throw new HttpError(400, `X-Sandbox-Namespace must be 1-64 letters, digits, dots, dashes or underscores (not dots alone), got "${clip(name)}".`);
    }
    return create ? namespaceNamed(name) : (others.get(name) ?? main);
  };
  const admin = options.admin ?? true;
  const controlPlane = createControlPlane(
    { adminToken: typeof admin === 'object' ? admin.token : undefined, onUnexpected },
    namespaceFor,
    main,
    () => [DEFAULT_NAMESPACE, ...others.keys()],
    () => main.clock.iso(),
    (name) => others.delete(name),
  );

  let docsAssets = options.docsAssets;
  const openApi = createOpenApiServer(() => docsAssets);

  async function answer(request: ApiRequest, meta: RequestMeta = {}): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    // The reference page shows only what /openapi.json does: public even with an admin token (a
    // page cannot send the header), absent with the control plane off.
    if ((path === '/__sandbox/docs' || path.startsWith('/__sandbox/docs/')) && admin !== false) {
      try {
        return await openApi.docs(path, request.method);
      } catch (error) {
        return errorResponse(error, { path, timestamp: clockOf(request).iso(), requestId: 'req_none' });
      }
    }
    if ((path === '/__sandbox' || path.startsWith('/__sandbox/')) && admin !== false) return controlPlane(request, url);
    let ns: Namespace = main;
    try {
      const api = path === '/api' || path.startsWith('/api/');
      ns = namespaceFor(request, api);
      if (api) {
        // In flight from here (the pipeline holds it from its start until the body settles), so the
        // namespace is not dropped while its data set loads.
        ns.inFlight += 1;
        let response: Response;
        try {
          await ns.state();
          response = await handleApiRequest(request, url, ns, meta, pipeline);
        } finally {
          ns.inFlight -= 1;
        }
        if (ns !== main) enforceMemoryBound(ns);
        return response;
      }
      if (READ_ONLY_PATHS.has(path) && request.method !== 'GET' && request.method !== 'HEAD') {
        if (request.method === 'OPTIONS') return new Response(null, { status: 200, headers: { allow: 'GET, HEAD' } });
        throw methodNotAllowed(request.method, path, ['GET', 'HEAD']);
      }
      if (path === '/actuator/health') return json({ status: 'UP' }); // §1.1
      if (path === '/widget.js') return widgetScript(request.method); // §1.1, §3.6
      const document = await openApi.document(path, request.method); // GET /openapi.json, /openapi.yaml
      if (document) return document;
      throw new HttpError(
        404,
        path === '/__sandbox' || path.startsWith('/__sandbox/')
          ? `The control plane is turned off for this sandbox (--no-admin / admin: false), so ${path} is not served.`
          : `No endpoint ${request.method} ${path}. NodeLoom's API lives under /api; the control plane under /__sandbox.`,
      );
    } catch (error) {
      if (!(error instanceof HttpError)) onUnexpected(error, request);
      return errorResponse(error, { path, timestamp: ns.clock.iso(), requestId: 'req_none' });
    }
  }

  // Getters (not Object.assign, which would read them once): `ready` and `state` follow resets.
  const controlsOf = (ns: Namespace) =>
    Object.defineProperties(createControls(ns), {
      ready: { get: () => ns.state().then(() => undefined), enumerable: true },
      state: { get: () => ns.currentState(), enumerable: true },
    }) as SandboxControls & { readonly ready: Promise<void>; readonly state: SandboxState };
  // Date from the sandbox clock (RFC 9110 5.6.7's IMF-fixdate) on every answer, the one place it is
  // set: the API's, the control plane, /actuator/health, /widget.js, the documents, 404s and CORS
  // preflights, so a harness that moved the clock sees one time (X-RateLimit-Reset, a Spring error
  // body's timestamp and Date agree); on node hosts it replaces the machine's time Node would add.
  // The namespace's clock when the request names one that exists (looked up, never created here).
  const clockOf = (request: ApiRequest) => {
    const name = request.headers.get(NAMESPACE_HEADER);
    return ((name && others.get(name)) || main).clock;
  };
  const corsFetch = withCors(answer, options.corsOrigins, (request) => clockOf(request).iso());
  const hostFetch = async (request: ApiRequest, meta?: RequestMeta): Promise<Response> => {
    const response = await corsFetch(request, meta);
    if (response.type === 'error' || response.headers.has('date')) return response;
    return withHeaders(response, [['date', new Date(clockOf(request).now()).toUTCString()]]);
  };
  return Object.defineProperties(controlsOf(main), {
    fetch: { value: async (request: Request, meta?: RequestMeta) => materialize(await hostFetch(request, meta)), enumerable: true },
    [HOST_FETCH]: { value: hostFetch },
    [DOCS_ASSETS]: { get: () => docsAssets, set: (reader: DocsAssetReader | undefined) => (docsAssets = reader) },
    seed: { get: () => main.seed, enumerable: true },
    namespace: {
      value: (name: string) => {
        if (!NAMESPACE_NAME.test(name)) throw new TypeError(`namespace names are 1-64 letters, digits, dots, dashes or underscores (not dots alone), got "${clip(name)}"`);
        return controlsOf(namespaceNamed(name));
      },
      enumerable: true,
    },
    deleteNamespace: {
      value: (name: string) => {
        if (name === DEFAULT_NAMESPACE) throw new TypeError('the default namespace cannot be deleted: reset() returns it to the seeded state');
        return others.delete(name);
      },
      enumerable: true,
    },
  }) as Sandbox;
}
