/**
 * Response helpers. Creates answer 201, deletes without a documented body 204; a 200 is never
 * empty, because SDKs call `response.json()` on it (nodeloom-api.md 1.4, 5.8).
 */

/**
 * Bodies the core built as whole strings, by response. Inside the core such a response is a
 * body-less `Response` plus its text here, because a `Response` with a string body costs ~10 µs
 * (a stream is set up) against ~0.4 µs without (measured on Node 20). The express host writes the
 * text straight to the socket; `sandbox.fetch` hands callers a real `Response` via
 * {@link materialize}.
 */
const wholeBodies = new WeakMap<Response, string>();

/** A response whose body is the whole string `text` (see {@link materialize} before handing it out). */
export function textResponse(text: string, status: number, headers?: HeadersInit): Response {
  const response = new Response(null, { status, headers });
  wholeBodies.set(response, text);
  return response;
}

/** The text body of a response made by {@link textResponse}, else undefined (read `response.body`). */
export function wholeBodyOf(response: Response): string | undefined {
  return wholeBodies.get(response);
}

/** A response anyone can read: a {@link textResponse} gets its body; any other is returned as is. */
export function materialize(response: Response): Response {
  const text = wholeBodies.get(response);
  if (text === undefined) return response;
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
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
