import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest } from '../core/api-request.ts';
import { LightHeaders } from '../core/light-headers.ts';

/** A `Host` header value that is a host and optional port: a name or IPv4 address, or a bracketed IPv6 address. */
const HOST_AND_PORT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(?:6553[0-5]|655[0-2]\d|65[0-4]\d\d|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4}))?$/;

/**
 * The absolute URL of a node request. The path and query come from the request target alone
 * (`req.url`; an absolute-form target `http://host/path` gives its path). The origin is fixed:
 * `http` or `https` (express's `req.protocol`) and the `Host` header only when it is a plain
 * host[:port], else `localhost`, so a `Host` header such as `127.0.0.1/__sandbox/reset?` cannot
 * change the path the core routes on (RFC 9112 3.2: Host names the authority, never the path).
 */
export function requestUrl(req: IncomingMessage & { protocol?: string }): string {
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  const host = req.headers.host;
  const origin = `${protocol}://${host !== undefined && HOST_AND_PORT.test(host) ? host : 'localhost'}`;
  const target = req.url ?? '/';
  if (target.startsWith('/')) return origin + target;
  if (/^https?:\/\//i.test(target)) {
    try {
      const absolute = new URL(target);
      return origin + absolute.pathname + absolute.search;
    } catch {
      // not a URL after all: treated as a path below
    }
  }
  return `${origin}/${target === '*' ? '' : target}`; // `OPTIONS *` asks about the server: its root
}

/** What both conversions read of a node request: URL, method, headers, and the body (if any). */
interface RequestParts {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  /** The body to hand on: a string or bytes already read by a body parser, a lazy stream, or null. */
  body: string | ArrayBuffer | (() => ReadableStream<Uint8Array>) | null;
}

/**
 * Reads a node request once for both conversions: the absolute URL ({@link requestUrl}), the
 * method, the raw headers (without HTTP/2 pseudo-headers), and the body as a lazy stream, or as
 * what a body parser mounted in front already read (sent again without the old length headers).
 */
function requestParts(req: IncomingMessage & { protocol?: string }): RequestParts {
  const url = requestUrl(req);
  const headers: Array<[string, string]> = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    // HTTP/2 pseudo-headers (":path") are not headers in the Fetch API.
    if (raw[i]!.charCodeAt(0) !== 58) headers.push([raw[i]!, raw[i + 1]!]);
  }
  const method = req.method ?? 'GET';
  const length = req.headers['content-length'];
  const hasBody =
    method !== 'GET' && method !== 'HEAD' && (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'));
  if (!hasBody) return { url, method, headers, body: null };
  // Mounted behind a body parser (express.json() etc.), the stream is already read: use what it
  // parsed, sent again as it would have been (JSON for objects), without the old length headers.
  const parsed = req as IncomingMessage & { _body?: boolean; body?: unknown };
  const consumed = parsed._body === true || (parsed.body !== undefined && req.readableEnded);
  const reparsed = consumed ? resend(parsed.body) : undefined;
  if (reparsed === undefined) return { url, method, headers, body: () => lazyBody(req) };
  return { url, method, headers: headers.filter(([name]) => !/^(content-length|transfer-encoding)$/i.test(name)), body: reparsed };
}

/**
 * Converts a node request into a Fetch `Request`: absolute URL from {@link requestUrl}, every raw
 * header, and the body as a lazy stream that reads the socket only when the body is read.
 * `signal` becomes `request.signal`. (The node host itself uses the lighter {@link toApiRequest}.)
 * @throws TypeError for a request target or header value the Fetch API refuses
 */
export function toFetchRequest(req: IncomingMessage & { protocol?: string }, signal?: AbortSignal): Request {
  // The Request parses the URL itself; building a URL object first would parse it twice.
  const { url, method, headers, body } = requestParts(req);
  return new Request(url, {
    method,
    headers,
    body: typeof body === 'function' ? body() : body,
    signal,
    // Node's fetch needs `duplex` for stream bodies; the DOM typings do not know it.
    ...({ duplex: 'half' } as object),
  });
}

/** Methods the Fetch API refuses to carry (its "forbidden methods"). */
const FORBIDDEN_METHOD = /^(CONNECT|TRACE|TRACK)$/i;

/**
 * A node request as the sandbox reads it ({@link ApiRequest}: method, URL, headers, body, signal),
 * without an undici `Request`: building one cost ~9 µs a request (URL and method checks, an
 * `AbortController`) plus its garbage. Its `url` is serialised as a `Request`'s is, and it refuses
 * what `new Request` refuses and the core could meet: a forbidden method, a URL that does not
 * parse, a header name or value `Headers` rejects. One difference: a body re-sent from a body
 * parser's result gets no `Content-Type: text/plain` when the client sent none.
 * The body stream is made when first read; the signal, which aborts when the client leaves before
 * the answer has ended, when first asked for.
 */
class NodeApiRequest implements ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  #body: RequestParts['body'];
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;
  #signal: AbortSignal | undefined;
  readonly #res: ServerResponse | undefined;

  constructor(parts: RequestParts, res?: ServerResponse) {
    this.#res = res;
    if (FORBIDDEN_METHOD.test(parts.method)) throw new TypeError(`'${parts.method}' HTTP method is unsupported.`);
    this.method = parts.method;
    // Serialised as a Request's url is: dot segments resolved, characters percent-encoded (the
    // widget CORS check looks at this string before any URL is parsed). Throws TypeError when invalid.
    this.url = new URL(parts.url).href;
    this.headers = new LightHeaders(parts.headers);
    this.#body = parts.body;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      const body = this.#body;
      this.#body = null;
      this.#stream = body === null ? null : typeof body === 'function' ? (body() as ReadableStream<Uint8Array<ArrayBuffer>>) : new Response(body).body;
    }
    return this.#stream;
  }

  /**
   * Aborts when the connection closes before the response has ended (the client left), so a stall
   * or latency ends then and is journaled as aborted. Made on first use, with its one `close`
   * listener: requests that never wait pay nothing.
   */
  get signal(): AbortSignal {
    if (this.#signal) return this.#signal;
    const controller = new AbortController();
    const res = this.#res;
    if (res && !res.writableFinished) {
      res.once('close', () => {
        if (!res.writableFinished) controller.abort(new DOMException('The client closed the connection before the answer ended.', 'AbortError'));
      });
    }
    return (this.#signal = controller.signal);
  }
}

/**
 * Converts a node request into what the sandbox reads ({@link ApiRequest}), as
 * {@link toFetchRequest} does but lighter: the node host's (and so the CLI's and express's) path.
 * @throws TypeError for a method, request target or header the Fetch API refuses
 */
export function toApiRequest(req: IncomingMessage & { protocol?: string }, res?: ServerResponse): ApiRequest {
  return new NodeApiRequest(requestParts(req), res);
}

function resend(body: unknown): string | ArrayBuffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  return JSON.stringify(body);
}

function lazyBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= req[Symbol.asyncIterator]();
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks?.return?.();
      },
    },
    // highWaterMark 0: nothing is read from the socket before the core asks for it.
    { highWaterMark: 0 },
  );
}
