/**
 * What the sandbox reads of a request: the method, the absolute URL, the headers, the body stream
 * and the abort signal, exactly as a Fetch `Request` has them. Any `Request` is one; the node host
 * passes a lighter object of this shape (src/hosts/node-request.ts), because building an undici
 * `Request` per request (URL and method checks, an `AbortController`) cost about 9 µs of the
 * bench's ~190 µs, and its garbage more.
 *
 * Code in the core, the resources and the control plane reads only these members, so the type
 * checker keeps any host's request good enough.
 */
export type ApiRequest = Pick<Request, 'method' | 'url' | 'headers' | 'body' | 'signal'>;
