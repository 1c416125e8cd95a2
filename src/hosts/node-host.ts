import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestMeta } from '../core/exchange.ts';
import { errorResponse, HttpError, type ErrorStatus } from '../core/http-error.ts';
import { wholeBodyOf } from '../core/respond.ts';
import type { ApiRequest } from '../core/api-request.ts';
import { toApiRequest, toFetchRequest } from './node-request.ts';
import { DOCS_ASSETS, HOST_FETCH, type Sandbox } from '../sandbox.ts';
import { swaggerUiAssets } from './docs-assets.ts';

/**
 * The node host (design.md "a fetch-function core"): every `node:http` request becomes the light
 * request the core reads (`ApiRequest`, src/hosts/node-request.ts; a Fetch `Request` for a
 * sandbox-like object without the host entry), goes to the sandbox, and the `Response` is written back. The CLI serves with it
 * directly (no express: faster to start and to answer, and the CLI works without express
 * installed); the express host (`createApp`) wraps it. Nothing else runs in front of the core: no
 * body parser (the core reads the raw body stream), no ETag, no `X-Powered-By`.
 */

/** What the host needs of a sandbox: its fetch function, and its clock for host error bodies. */
export type FetchSandbox = Pick<Sandbox, 'fetch'> & { readonly clock?: Pick<Sandbox['clock'], 'iso'> };

/** A node request handler; `next` (express's) is called for requests the sandbox does not own. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => Promise<void>;

const responses = new WeakMap<ServerResponse, Response>();

/**
 * The Fetch `Response` the sandbox answered a request with, once the host has it (for logging:
 * its headers, e.g. `X-Sandbox-Scenario-Applied`). Undefined before, or for other apps.
 */
export function sandboxResponseOf(res: ServerResponse): Response | undefined {
  return responses.get(res);
}

/** How the host ended a response on purpose, for log lines (see {@link injectedEndingOf}). */
const injectedEndings = new WeakMap<ServerResponse, 'network-error' | 'stream-cut'>();

/**
 * Whether the host cut a response on purpose because a scenario said so: `network-error` (the
 * connection was reset instead of answering) or `stream-cut` (a streamed body was failed midway,
 * e.g. `chat-dropped`, and the connection reset). Undefined otherwise, e.g. when the client left.
 */
export function injectedEndingOf(res: ServerResponse): 'network-error' | 'stream-cut' | undefined {
  return injectedEndings.get(res);
}

/** Paths whose 404 is the sandbox's own answer (the API and the control plane), not a fall-through. */
export function ownedPath(pathname: string): boolean {
  return /^\/(api|__sandbox)(\/|$)/.test(pathname);
}

/** The path of a node request (without the query string). */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Creates the node request handler of a sandbox (`http.createServer(createRequestListener(sandbox))`).
 *
 * The core receives `clientAddress: req.socket.remoteAddress` (per-address rate limits). Response
 * bodies are streamed chunk by chunk (so `text/event-stream` flows), multiple `Set-Cookie` headers
 * stay separate, and a client that disconnects cancels the response body stream. The request's
 * signal aborts when the connection closes before the answer has ended (a stall or latency then
 * ends at once); it is made only when the core asks for it (an undici `Request` following a
 * `signal` cut throughput by ~40% in one run of the bench path: 1,934 vs 3,256 req/s).
 * A failure in the host itself answers 500 with the Spring body `{status, error, message,
 * timestamp, path}` (nodeloom-api.md 1.4). When `next` is passed, a 404 outside `/api` and
 * `/__sandbox` calls it instead of answering (the mounted express app's fall-through).
 * @param sandbox a sandbox from `createSandbox()` (or any object with a compatible `fetch`)
 */
export function createRequestListener(sandbox: FetchSandbox): NodeHandler {
  // The sandbox's host entry (no body stream for JSON answers); any other object: its fetch.
  const hostFetch = (sandbox as { [HOST_FETCH]?: (request: ApiRequest, meta?: RequestMeta) => Promise<Response> })[HOST_FETCH];
  // A node host can read the API reference's files from disk: plug the reader in (src/openapi/serve.ts).
  if (hostFetch) (sandbox as { [DOCS_ASSETS]?: unknown })[DOCS_ASSETS] ??= swaggerUiAssets();
  return async (req, res, next) => {
    let response: Response;
    try {
      const meta = { clientAddress: req.socket.remoteAddress };
      let request: ApiRequest;
      try {
        // The sandbox's own entry reads a light request; any other fetch gets a real `Request`.
        request = hostFetch ? toApiRequest(req, res) : toFetchRequest(req);
      } catch (error) {
        // A request the Fetch API would refuse (TRACE, a target that is no URL, a bad header): the caller's 4xx.
        unreadableRequest(sandbox, req, res, error);
        return;
      }
      response = await (hostFetch ? hostFetch(request, meta) : sandbox.fetch(request as Request, meta));
    } catch (error) {
      hostError(sandbox, req, res, error);
      return;
    }
    responses.set(res, response);
    if (response.type === 'error') {
      // An injected network failure (scenario `network-error`): reset the connection.
      injectedEndings.set(res, 'network-error');
      req.socket.destroy();
      return;
    }
    if (next && response.status === 404 && !ownedPath(pathOf(req))) {
      if (wholeBodyOf(response) === undefined) await response.body?.cancel().catch(() => undefined);
      next();
      return;
    }
    try {
      await writeResponse(response, res);
    } catch (error) {
      hostError(sandbox, req, res, error);
    }
  };
}

const TICK = Symbol('tick');

/**
 * Writes a Fetch `Response` to a node response: status, headers (each `Set-Cookie` on its own
 * line), then the body. A body that ends right after its first chunk (every JSON answer) is sent
 * with `Content-Length`; a longer stream is written chunk by chunk as it arrives (chunked
 * encoding; `text/event-stream` headers are flushed before the first event). Waits for `drain`
 * under back-pressure and cancels the stream when the connection closes first (client gone). A
 * body that fails after the head was sent resets the connection (`hostError` destroys it too, and
 * logs it unless the failure was injected).
 * @returns once the response is ended or the client has gone
 */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const whole = wholeBodyOf(response);
  if (whole !== undefined && res.getHeaderNames().length === 0) {
    // The core built this body whole (every JSON answer; API answers already as UTF-8 bytes): one
    // writeHead with the raw header list (Set-Cookie lines stay separate) and the body, no stream to read.
    const raw: string[] = [];
    for (const [name, value] of response.headers) raw.push(name, value);
    raw.push('content-length', String(typeof whole === 'string' ? Buffer.byteLength(whole) : whole.byteLength));
    res.writeHead(response.status, response.statusText || undefined, raw);
    res.end(whole);
    return;
  }
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (whole !== undefined) {
    res.end(whole);
    return;
  }
  if (response.body === null) {
    res.end();
    return;
  }
  if (/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) res.flushHeaders();
  const reader = response.body.getReader();
  let gone = false;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    reader.cancel().catch(() => undefined);
  };
  res.once('close', onClose);
  try {
    const first = await reader.read();
    if (first.done || gone) {
      res.end();
      return;
    }
    const pending = reader.read();
    const early = await Promise.race([pending, new Promise<typeof TICK>((resolve) => setImmediate(resolve, TICK))]);
    if (early !== TICK && early.done) {
      res.end(first.value);
      return;
    }
    res.write(first.value);
    let chunk = early === TICK ? await pending : early;
    while (!chunk.done && !gone) {
      if (!res.write(chunk.value)) await drained(res);
      chunk = await reader.read();
    }
    res.end();
  } catch (error) {
    // The client left: the request's signal failed the body (src/core/settle.ts). Nothing to send.
    if (gone) return;
    // The body failed after the head went out: reset the connection, as a proxy cut off from its
    // upstream would (a `stream-drop` scenario effect fails the body on purpose, marked `injected`,
    // so it is not logged as a host error).
    if (!res.headersSent || !(error as { injected?: unknown } | null)?.injected) throw error;
    injectedEndings.set(res, 'stream-cut');
    await resetConnection(res);
  } finally {
    res.off('close', onClose);
  }
}

/**
 * Resets the connection once what was written has reached the kernel (a plain `destroy()` would
 * drop events the client should still get): an empty socket write calls back after the earlier
 * ones, then `resetAndDestroy()` sends a TCP RST (Node 16.17+; `destroy()` otherwise).
 */
async function resetConnection(res: ServerResponse): Promise<void> {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  await new Promise<void>((resolve) => {
    socket.once('close', resolve);
    socket.write('', () => resolve());
  });
  const reset = (socket as { resetAndDestroy?: () => void }).resetAndDestroy;
  if (reset && !socket.destroyed) reset.call(socket);
  else res.destroy();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** A failure of the host itself: 500 with the Spring body (or a reset when headers are already out). */
export function hostError(sandbox: FetchSandbox, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  console.error('[nodeloom-sandbox] host error', error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(sandbox, req, res, 500, 'The sandbox host failed to handle this request; see the server log. The request may not have been applied.');
}

/** A request the Fetch API cannot represent: 405 for its method, else 400 (nodeloom-api.md 1.4 body). */
function unreadableRequest(sandbox: FetchSandbox, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const method = req.method ?? '';
  if (/^(TRACE|TRACK|CONNECT)$/i.test(method)) {
    res.setHeader('allow', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    sendError(sandbox, req, res, 405, `Request method '${method}' is not supported. Use GET, POST, PUT, PATCH or DELETE.`);
    return;
  }
  sendError(sandbox, req, res, 400, `The request could not be read (${(error as Error).message}). Check the Host header and the URL.`);
}

/** Answers a host-level error with the Spring body (nodeloom-api.md 1.4), dropping headers set so far (except `Allow`). */
export function sendError(sandbox: FetchSandbox, req: IncomingMessage, res: ServerResponse, status: ErrorStatus, message: string): void {
  let timestamp: string;
  try {
    timestamp = sandbox.clock?.iso() ?? new Date(0).toISOString();
  } catch {
    timestamp = new Date(0).toISOString(); // the clock itself is unusable: still answer JSON
  }
  const allow = res.getHeader('allow');
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  if (allow !== undefined) res.setHeader('allow', allow);
  // The same renderer as the core, so a host error has the exact Spring body of every other error.
  const rendered = errorResponse(new HttpError(status, message), { path: pathOf(req), timestamp, requestId: 'host' });
  res.statusCode = rendered.status;
  rendered.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(wholeBodyOf(rendered));
}

