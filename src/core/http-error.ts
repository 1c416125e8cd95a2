import { textResponse } from './respond.ts';

/**
 * The one error type of the sandbox and the Spring Boot error body every client sees.
 *
 * Source: nodeloom-api.md 1.4 (documented body `{status, error, message, timestamp, path}`;
 * SDKs read `error` as the message, so it is always a JSON object, never an array).
 */

/** Every status the sandbox can answer with an error, and its HTTP reason phrase (`error` field). */
export const REASON_PHRASES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
} as const;

/** The closed set of error statuses. */
export type ErrorStatus = keyof typeof REASON_PHRASES;

/**
 * An error a route or pipeline step throws to answer with the Spring error body.
 * `message` must tell the caller how to fix the call. `headers` are added to the response
 * (e.g. `Retry-After` on 429, `Allow` on 405, a cookie-clearing `Set-Cookie` on 401).
 */
export class HttpError extends Error {
  readonly status: ErrorStatus;
  readonly headers: Array<[string, string]>;

  constructor(status: ErrorStatus, message: string, headers: Array<[string, string]> = []) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** The Spring Boot error body: `timestamp` ISO-8601 UTC with milliseconds, `path` the request path. */
export interface ErrorBody {
  status: number;
  error: string;
  message: string;
  timestamp: string;
  path: string;
  requestId: string;
}

/**
 * Renders an {@link HttpError} (or any thrown value, as a 500 without its stack) as a JSON response.
 * @param error what was thrown
 * @param at `{ path, timestamp (ISO-8601), requestId }` of the request being answered
 * @returns a `Response` with `content-type: application/json`, a `Date` of `at.timestamp` (so host
 *   errors rendered outside the sandbox's answer agree with their body, as every answer's Date
 *   follows the sandbox clock), and the error's extra headers
 */
export function errorResponse(
  error: unknown,
  at: { path: string; timestamp: string; requestId: string },
): Response {
  const httpError =
    error instanceof HttpError
      ? error
      : new HttpError(500, 'An unexpected error occurred in the sandbox. The request was not applied; see the server log.');
  const body: ErrorBody = {
    status: httpError.status,
    error: REASON_PHRASES[httpError.status],
    message: httpError.message,
    timestamp: at.timestamp,
    path: at.path,
    requestId: at.requestId,
  };
  const headers = new Headers({ 'content-type': 'application/json' });
  const date = new Date(at.timestamp);
  if (!Number.isNaN(date.getTime())) headers.set('date', date.toUTCString());
  for (const [name, value] of httpError.headers) {
    if (name.toLowerCase() === 'set-cookie') headers.append(name, value);
    else headers.set(name, value);
  }
  return textResponse(JSON.stringify(body), httpError.status, headers);
}
