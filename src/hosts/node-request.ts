import type { IncomingMessage } from 'node:http';

/**
 * Converts a node request into a Fetch `Request`: absolute URL from the protocol and `Host`
 * header (`localhost` when absent), every raw header, and the body as a lazy stream that reads
 * the socket only when the core reads the body. `signal` becomes `request.signal` (createApp
 * passes none, for speed).
 * @throws TypeError for a `Host` header or header value the Fetch API refuses
 */
export function toFetchRequest(req: IncomingMessage & { protocol?: string }, signal?: AbortSignal): Request {
  // The Request parses the URL itself; building a URL object first would parse it twice.
  const url = `${req.protocol ?? 'http'}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
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
  // Mounted behind a body parser (express.json() etc.), the stream is already read: use what it
  // parsed, sent again as it would have been (JSON for objects), without the old length headers.
  const parsed = req as IncomingMessage & { _body?: boolean; body?: unknown };
  const consumed = parsed._body === true || (parsed.body !== undefined && req.readableEnded);
  const reparsed = hasBody && consumed ? resend(parsed.body) : undefined;
  return new Request(url, {
    method,
    headers: reparsed === undefined ? headers : headers.filter(([name]) => !/^(content-length|transfer-encoding)$/i.test(name)),
    body: !hasBody ? null : reparsed !== undefined ? reparsed : lazyBody(req),
    signal,
    // Node's fetch needs `duplex` for stream bodies; the DOM typings do not know it.
    ...({ duplex: 'half' } as object),
  });
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
