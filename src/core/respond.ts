/**
 * Response helpers. Creates answer 201, deletes without a documented body 204; a 200 is never
 * empty, because SDKs call `response.json()` on it (nodeloom-api.md 1.4, 5.8).
 */

/**
 * Bodies the core built whole, by response, as UTF-8 bytes. Inside the core such a response is a
 * body-less `Response` plus its bytes here, because a `Response` with a body costs ~10 µs (a stream
 * is set up) against ~0.4 µs without (measured on Node 20). The node host writes the bytes
 * straight to the socket; `sandbox.fetch` hands callers a real `Response` via {@link materialize}.
 *
 * Bytes, not the string: the journal keeps the last 500 bodies, long enough for every one to
 * survive a young-generation GC. A string lives on the V8 heap and is copied by each scavenge; a
 * `Uint8Array`'s bytes live outside it. Measured on the bench's 6 KB page (in-process loop, 50,000
 * requests): scavenge time 20 → 11 µs and CPU 86 → 62 µs per request when the journal did not
 * keep the string at all; encoding costs about what the socket write's own encoding did.
 */
const wholeBodies = new WeakMap<Response, Uint8Array<ArrayBuffer>>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A response whose body is the whole string `text`, kept as UTF-8 bytes (see {@link materialize} before handing it out). */
export function textResponse(text: string, status: number, headers?: HeadersInit): Response {
  const response = new Response(null, { status, headers });
  wholeBodies.set(response, encoder.encode(text));
  return response;
}

/** The UTF-8 body bytes of a response made by {@link textResponse}, else undefined (read `response.body`). Do not modify them. */
export function wholeBodyOf(response: Response): Uint8Array<ArrayBuffer> | undefined {
  return wholeBodies.get(response);
}

/** Decodes whole body bytes (UTF-8) back to text, e.g. for the journal. */
export function bodyText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** A response anyone can read: a {@link textResponse} gets its body; any other is returned as is. */
export function materialize(response: Response): Response {
  const bytes = wholeBodies.get(response);
  if (bytes === undefined) return response;
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** A JSON response (`content-type: application/json`), status 200 unless given. */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  const response = textResponse(JSON.stringify(data), status, headers);
  response.headers.set('content-type', 'application/json');
  return response;
}

/** 204 No Content. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** Sets headers on a response (copying it when its headers are immutable); streams pass through. */
export function withHeaders(response: Response, headers: ReadonlyArray<readonly [string, string]>): Response {
  let target = response;
  try {
    for (const [name, value] of headers) target.headers.set(name, value);
  } catch {
    target = new Response(materialize(response).body, { status: response.status, statusText: response.statusText, headers: response.headers });
    for (const [name, value] of headers) target.headers.set(name, value);
  }
  return target;
}
