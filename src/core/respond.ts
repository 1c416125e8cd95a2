/**
 * Response helpers. Creates answer 201, deletes without a documented body 204; a 200 is never
 * empty, because SDKs call `response.json()` on it (nodeloom-api.md 1.4, 5.8).
 */

/**
 * Bodies the core built whole, by response: the text, or its UTF-8 bytes once the pipeline has
 * encoded it (see {@link setWholeBody}). Inside the core such a response is a body-less `Response`
 * plus its body here, because a `Response` with a body costs ~10 µs (a stream is set up) against
 * ~0.4 µs without (measured on Node 20). The node host writes the body straight to the socket;
 * `sandbox.fetch` hands callers a real `Response` via {@link materialize}.
 */
const wholeBodies = new WeakMap<Response, string | Uint8Array<ArrayBuffer>>();
const encoder = new TextEncoder();

/** A response whose body is the whole string `text` (see {@link materialize} before handing it out). */
export function textResponse(text: string, status: number, headers?: HeadersInit): Response {
  const response = new Response(null, { status, headers });
  wholeBodies.set(response, text);
  return response;
}

/**
 * The whole body of a response made by {@link textResponse}: its text, or the same text as UTF-8
 * bytes (never modify them); undefined for any other response (read `response.body`).
 */
export function wholeBodyOf(response: Response): string | Uint8Array<ArrayBuffer> | undefined {
  return wholeBodies.get(response);
}

/**
 * Replaces the whole body of a {@link textResponse} by the same text's UTF-8 bytes. The pipeline
 * encodes each API answer once, into the journal's slab (src/core/text-slab.ts): the journal keeps
 * those bytes off the V8 heap and the node host writes them without encoding the text again.
 * Call it only for a response whose `wholeBodyOf()` is defined.
 */
export function setWholeBody(response: Response, bytes: Uint8Array<ArrayBuffer>): void {
  wholeBodies.set(response, bytes);
}

/** Size of a whole body in bytes (UTF-8 for text). */
export function wholeBodyLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? encoder.encode(body).byteLength : body.byteLength;
}

/** A response anyone can read: a {@link textResponse} gets its body; any other is returned as is. */
export function materialize(response: Response): Response {
  const body = wholeBodies.get(response);
  if (body === undefined) return response;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
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

/** Response header naming the scenario rules that changed a response. */
export const SCENARIO_APPLIED_HEADER = 'x-sandbox-scenario-applied';

/** The scenario rules behind a network error (`Response.error()` carries no headers). */
const networkErrorRules = new WeakMap<Response, string>();

/**
 * A network error (`Response.error()`: the host resets the connection, msw makes fetch reject)
 * injected by the named scenario rules, which {@link scenarioAppliedOf} reads back for log lines.
 * @param applied the `X-Sandbox-Scenario-Applied` entries, e.g. `['flaky/one-in-five (network-error)']`
 */
export function networkError(applied: readonly string[]): Response {
  const response = Response.error();
  if (applied.length) networkErrorRules.set(response, applied.join(', '));
  return response;
}

/**
 * The scenario rules that changed a response: its `X-Sandbox-Scenario-Applied` header, or for a
 * network error made by {@link networkError} the rules recorded with it; null when none.
 */
export function scenarioAppliedOf(response: Response): string | null {
  return response.type === 'error' ? (networkErrorRules.get(response) ?? null) : response.headers.get(SCENARIO_APPLIED_HEADER);
}
