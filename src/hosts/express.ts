import express, { type ErrorRequestHandler, type Express } from 'express';
import { errorResponse, HttpError, REASON_PHRASES, type ErrorStatus } from '../core/http-error.ts';
import { createRequestListener, ownedPath, writeResponse, type FetchSandbox } from './node-host.ts';

/**
 * The express host: the node host (src/hosts/node-host.ts) as an express 5 app, so the sandbox
 * can be mounted in a user's own express app. Nothing else runs in front of the core: no body
 * parser, no ETag, no `X-Powered-By`, no msw `getResponse` (measured 2x slower with one
 * catch-all handler, 10x with one handler per route).
 */

export { sandboxResponseOf, writeResponse, type FetchSandbox } from './node-host.ts';

/**
 * Creates an express 5 app that serves a sandbox.
 *
 * Standalone (`createApp(sandbox).listen(4010)`) it answers every request through the core.
 * Mounted (`parent.use(createApp(sandbox))` or `parent.use('/mock', createApp(sandbox))`) the core
 * sees the path relative to the mount point (express's `req.url`, not `req.originalUrl`), so
 * `/mock/api/workflows` reaches the core as `/api/workflows` and error bodies name the API path a
 * real client would see; and a request the core does not own (a 404 outside `/api` and
 * `/__sandbox`) falls through to the parent's later handlers, so the parent's own pages keep
 * working. Standalone, those 404s are answered with the Spring body instead.
 * See {@link createRequestListener} for streaming, cookies, client address and host errors.
 * @param sandbox a sandbox from `createSandbox()` (or any object with a compatible `fetch`)
 * @returns the express application (a request handler usable with `http.createServer`)
 */
export function createApp(sandbox: FetchSandbox): Express {
  const handle = createRequestListener(sandbox);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => handle(req, res, mounted(app) ? () => next() : undefined));
  app.use(sandboxErrorHandler(sandbox, { everyPath: true }));
  return app;
}

/** Whether express has mounted this app in a parent app (it sets `parent` on mount). */
function mounted(app: Express): boolean {
  return (app as Express & { parent?: unknown }).parent !== undefined;
}

/** An error as body parsers (body-parser, express.json/text/raw/urlencoded) raise it. */
interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
  limit?: number;
}

/** How a body parser's error reads as a NodeLoom error (status and a message that says what to do). */
function toHttpError(error: BodyParserError): HttpError {
  const raw = error.status ?? error.statusCode ?? 500;
  const status = (raw in REASON_PHRASES ? raw : raw >= 500 ? 500 : 400) as ErrorStatus;
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, `Malformed JSON request body: ${error.message ?? 'cannot be parsed'}`);
    case 'entity.too.large':
      return new HttpError(413, `The request body is larger than the body parser's limit (${error.limit ?? '?'} bytes) in front of the sandbox: raise its \`limit\` option (NodeLoom's own limit is 50 MB).`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, `${error.message ?? 'Unsupported encoding'}. Send the body as JSON with Content-Type: application/json (UTF-8).`);
    default:
      return new HttpError(status, status >= 500 ? 'The sandbox host failed to handle this request; see the server log.' : (error.message ?? 'The request could not be read.'));
  }
}

/** Options of {@link sandboxErrorHandler}. */
export interface SandboxErrorHandlerOptions {
  /**
   * Render errors of every path, not only the sandbox's own (`/api/**`, `/__sandbox/**`,
   * `/actuator/health` relative to where the handler is mounted). Default false: other paths'
   * errors go on to the app's next error handler.
   */
  everyPath?: boolean;
}

/**
 * An express error handler that renders errors raised in front of the sandbox, such as a body
 * parser's (`express.json()` given malformed JSON, a body over its `limit`), as the NodeLoom Spring
 * error body `{status, error, message, timestamp, path, requestId}` through the core's renderer
 * (src/core/http-error.ts), instead of express's HTML page with a stack trace. Mount it after the
 * sandbox, at the same path: `app.use('/mock', createApp(sandbox)); app.use('/mock', sandboxErrorHandler(sandbox))`.
 * Errors of paths the sandbox does not own go on to the next error handler (`next(error)`).
 * @param sandbox the sandbox, for the clock of `timestamp` (optional: else the real time)
 */
export function sandboxErrorHandler(sandbox?: FetchSandbox, options: SandboxErrorHandlerOptions = {}): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!options.everyPath && !ownedPath(req.path) && req.path !== '/actuator/health') {
      next(error);
      return;
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const known = error instanceof HttpError ? error : toHttpError((error ?? {}) as BodyParserError);
    if (known.status >= 500) console.error('[nodeloom-sandbox] host error', error);
    let timestamp: string;
    try {
      timestamp = sandbox?.clock?.iso() ?? new Date().toISOString();
    } catch {
      timestamp = new Date(0).toISOString();
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    writeResponse(errorResponse(known, { path: req.path, timestamp, requestId: 'host' }), res).catch(() => res.destroy());
  };
}

export { createRequestListener } from './node-host.ts';
export { toFetchRequest } from './node-request.ts';
export { handleClientErrors } from './client-error.ts';
