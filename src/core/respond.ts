/**
 * Response helpers. Creates answer 201, deletes without a documented body 204; a 200 is never
 * empty, because SDKs call `response.json()` on it (nodeloom-api.md 1.4, 5.8).
 */

import { LightHeaders } from './light-headers.ts';

/**
 * An answer the core built whole: its body as one text (or, once the pipeline has encoded it, that
 * text's UTF-8 bytes: {@link setWholeBody}), its status and its headers, without an undici
 * `Response`. Inside the core it is a `Response` to every reader (`implements Response`); the node
 * host writes {@link wholeBodyOf} straight to the socket, and `sandbox.fetch` hands callers a real
 * `Response` ({@link materialize}). Why: on Node 20 an undici `Response` costs ~10 µs with a body
 * (a stream is set up) and, even without one, its construction, `Headers` brand checks and a
 * sorted copy per iteration were ~11 % of the CLI's instructions per request on the bench path
 * (issue 13; measured with callgrind, see src/core/light-headers.ts). Reading the body through the
 * `Response` methods (`text()`, `json()`, `body`, `clone()`...) makes a real `Response` once, from
 * the headers as they are then, and reads that. Headers are handed on as pairs (`[...headers]`):
 * the global `Response` may be another implementation's (happy-dom's under vitest), which would
 * read a {@link LightHeaders} init as an empty record.
 */
export class WholeResponse implements Response {
  readonly headers: Headers;
  /** The whole body: text, or its UTF-8 bytes. */
  whole: string | Uint8Array<ArrayBuffer>;
  #real: Response | undefined;

  /**
   * @param whole the body
   * @param status the HTTP status
   * @param headers initial headers (anything `new Headers(init)` takes)
   * @throws TypeError for a header name or value `Headers` refuses
   */
  constructor(whole: string | Uint8Array<ArrayBuffer>, readonly status: number, headers?: HeadersInit) {
    this.whole = whole;
    this.headers = new LightHeaders(headers);
  }

  get type(): 'default' {
    return 'default';
  }

  get redirected(): boolean {
    return false;
  }

  get url(): string {
    return '';
  }

  get statusText(): string {
    return '';
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** A real `Response` with this body, made on the first read. */
  #read(): Response {
    return (this.#real ??= new Response(this.whole, { status: this.status, headers: [...this.headers] }));
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#read().body as ReadableStream<Uint8Array<ArrayBuffer>> | null;
  }

  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read().arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.#read().blob();
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read().arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  formData(): Promise<FormData> {
    return this.#read().formData();
  }

  json(): Promise<unknown> {
    return this.#read().json();
  }

  text(): Promise<string> {
    return this.#read().text();
  }

  clone(): Response {
    if (this.#real?.bodyUsed) return this.#real.clone(); // throws as a used Response does
    return new WholeResponse(this.whole, this.status, this.headers);
  }
}

const encoder = new TextEncoder();

/** A response whose body is the whole string `text` (see {@link materialize} before handing it out). */
export function textResponse(text: string, status: number, headers?: HeadersInit): Response {
  return new WholeResponse(text, status, headers);
}

/**
 * The whole body of a response made by {@link textResponse}: its text, or the same text as UTF-8
 * bytes (never modify them); undefined for any other response (read `response.body`).
 */
export function wholeBodyOf(response: Response): string | Uint8Array<ArrayBuffer> | undefined {
  return response instanceof WholeResponse ? response.whole : undefined;
}

/**
 * Replaces the whole body of a {@link textResponse} by the same text's UTF-8 bytes. The pipeline
 * encodes each API answer once, into the journal's slab (src/core/text-slab.ts): the journal keeps
 * those bytes off the V8 heap and the node host writes them without encoding the text again.
 * Call it only for a response whose `wholeBodyOf()` is defined.
 */
export function setWholeBody(response: Response, bytes: Uint8Array<ArrayBuffer>): void {
  if (response instanceof WholeResponse) response.whole = bytes;
}

/** Size of a whole body in bytes (UTF-8 for text). */
export function wholeBodyLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? encoder.encode(body).byteLength : body.byteLength;
}

/**
 * A real undici `Response` anyone can read: a {@link textResponse}'s body, status and current
 * headers in a new one; any other response is returned as is.
 */
export function materialize(response: Response): Response {
  if (!(response instanceof WholeResponse)) return response;
  return new Response(response.whole, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
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
    target = new Response(materialize(response).body, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
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
