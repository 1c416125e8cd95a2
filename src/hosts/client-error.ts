import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorResponse, HttpError, REASON_PHRASES, type ErrorStatus } from '../core/http-error.ts';
import { wholeBodyOf } from '../core/respond.ts';

/**
 * Requests Node's HTTP parser refuses before any handler runs (an unknown method, both
 * `Content-Length` and `Transfer-Encoding`, headers over 16 KB, a request not finished in time):
 * by default Node answers them with an empty 400/431. This answers them with the same Spring
 * error body as every other error (nodeloom-api.md 1.4), so a client's error handling reads a
 * `message` saying what to fix.
 */

/** A parser error as Node passes it to `clientError` (`code` is an llhttp `HPE_*` code or a Node one). */
type ClientError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

const BOTH_LENGTHS = { status: 400, message: 'The request sends both Content-Length and Transfer-Encoding. Send only one of them.' } as const;

/** Status and message per error code; anything else is a 400 naming the code. */
function describe(error: ClientError, headerLimit: number): { status: ErrorStatus; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: `The request line and headers are larger than ${headerLimit} bytes, the server's limit. Send fewer or smaller headers (large cookies?).` };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'The chunk extensions of the request body are too large. Send the body without chunk extensions.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'The request was not completed within the server\'s request timeout. Send the whole request without pausing.' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: 'The request method is not an HTTP method the server knows. Use GET, POST, PUT, PATCH or DELETE.' };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return BOTH_LENGTHS;
    case 'HPE_INVALID_TRANSFER_ENCODING':
      // llhttp reports Content-Length beside Transfer-Encoding under this code too.
      if (/content-length/i.test(error.reason ?? '')) return BOTH_LENGTHS;
      return { status: 400, message: `The request's Transfer-Encoding is not valid (${error.reason ?? error.message}). Send a chunked body or a Content-Length.` };
    default:
      return { status: 400, message: `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}: ${error.reason ?? error.message}). Check the request line and headers.` };
  }
}

/** The path of the request line in the bytes the parser choked on, when they hold it ('' otherwise). */
function pathOf(raw: Buffer | undefined): string {
  const line = raw?.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0] ?? '';
  const target = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ (\/[^ ?#]*)/.exec(line)?.[1];
  return target ?? '';
}

/**
 * Answers the requests Node's HTTP parser refuses with the Spring error body: 431 for headers
 * over the limit (`HPE_HEADER_OVERFLOW`), 413 for oversized chunk extensions, 408 for a request
 * timeout, 400 for anything else; `Connection: close`, then the socket is closed. A socket that can
 * no longer be written to (the client left: `ECONNRESET`), or one already carrying a response,
 * is destroyed without a word, as Node does.
 * @param server the `node:http` server (the CLI's, or one around `createApp(sandbox)`)
 * @param now the current time as ISO-8601 for the `timestamp` field, e.g. `() => sandbox.clock.iso()`
 */
export function handleClientErrors(server: Server, now: () => string): void {
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = describe(error, (server as Server & { maxHeaderSize?: number }).maxHeaderSize ?? maxHeaderSize);
    let timestamp: string;
    try {
      timestamp = now();
    } catch {
      timestamp = new Date(0).toISOString(); // the clock itself failed: still answer JSON
    }
    // The core's renderer, as for every other error; written by hand because Node has no response
    // object for a request its parser refused.
    const rendered = errorResponse(new HttpError(status, message), { path: pathOf(error.rawPacket), timestamp, requestId: 'host' });
    const body = wholeBodyOf(rendered);
    const text = typeof body === 'string' ? body : Buffer.from(body ?? new Uint8Array()).toString('utf8');
    const fields = [...rendered.headers, ['content-length', String(Buffer.byteLength(text))], ['connection', 'close']];
    const head = `HTTP/1.1 ${status} ${REASON_PHRASES[status]}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
    socket.end(head + text, () => socket.destroy());
  });
}
