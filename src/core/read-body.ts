import { HttpError } from './http-error.ts';
import { MAX_JSON_DEPTH, nestingDepthMessage, textExceedsDepth } from './json-depth.ts';
import type { ApiRequest } from './api-request.ts';

/**
 * Whether an error comes from a client that went away mid-request (an upload abandoned midway, a
 * connection reset, an aborted signal): the request is journaled as aborted, never reported as an
 * unexpected error (the API pipeline and the control plane alike).
 */
export function isClientAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string; cause?: { code?: string } } | null;
  return e?.name === 'AbortError' || e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.cause?.code === 'ECONNRESET';
}

/** The largest request body accepted, bytes: the self-hosted nginx's `client_max_body_size 50M` (nodeloom-api.md 1.1). */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError(
    413,
    `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB (${MAX_BODY_BYTES} bytes), the limit of NodeLoom's proxy (client_max_body_size 50M). Send a smaller body.`,
  );
}

/** Options of {@link readJsonBody}. */
export interface ReadBodyOptions {
  /** Deepest nesting allowed (default {@link MAX_JSON_DEPTH}, Jackson's limit). */
  maxDepth?: number;
}

/**
 * Reads a JSON request body (nodeloom-api.md 1.3: requests with a body send
 * `Content-Type: application/json`).
 *
 * The body stream is read chunk by chunk and its **bytes** counted as they arrive: past
 * {@link MAX_BODY_BYTES} the stream is cancelled at once (a declared `Content-Length` over the
 * limit is refused before reading), so a client cannot make the sandbox buffer more than 50 MB,
 * with or without `Content-Length`. The bytes are decoded as UTF-8 once, at the end, refusing
 * invalid sequences as Jackson does; the nesting depth is checked before parsing (Jackson's
 * `StreamReadConstraints`, see json-depth.ts).
 * @returns the parsed value, or undefined when the body is empty (or only whitespace)
 * @throws HttpError 413 past {@link MAX_BODY_BYTES}; 415 when a non-empty body is not declared as
 *   JSON; 400 when it is not valid UTF-8, nests deeper than `maxDepth`, or is not valid JSON
 */
export async function readJsonBody(request: ApiRequest, options: ReadBodyOptions = {}): Promise<unknown> {
  const body = request.body;
  if (body === null) return undefined;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) {
    await body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const bytes = await readBytes(body, MAX_BODY_BYTES);
  const text = decodeUtf8(bytes);
  if (text.trim() === '') return undefined;
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new HttpError(
      415,
      `Content-Type '${contentType || '(none)'}' is not supported. Send the body as JSON with Content-Type: application/json.`,
    );
  }
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (textExceedsDepth(text, maxDepth)) throw new HttpError(400, nestingDepthMessage(maxDepth));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Malformed JSON request body: ${(error as Error).message}`);
  }
}

/**
 * Reads a byte stream to the end, keeping at most `limit` bytes.
 * @throws HttpError 413 as soon as more than `limit` bytes have arrived (the stream is cancelled)
 */
async function readBytes(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        chunks.length = 0;
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Decodes UTF-8 (a leading byte-order mark is dropped, as Jackson does).
 * @throws HttpError 400 for bytes that are not UTF-8, as Jackson (`Invalid UTF-8 start byte`)
 */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(
      400,
      `JSON parse error: Invalid UTF-8 in the request body at byte ${firstInvalidUtf8(bytes)}. Encode the body as UTF-8 (Content-Type: application/json; charset=utf-8).`,
    );
  }
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // With `stream: true` a prefix ending inside a sequence still decodes, so "this prefix decodes"
  // holds up to the first bad byte and fails from there on: a binary search finds it.
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (decodes(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
