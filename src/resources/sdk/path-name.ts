import { HttpError } from '../../core/http-error.ts';

/**
 * Names in paths (agent names, prompt names) decoded the way all four SDKs encode them
 * (nodeloom-api.md 5.3): TypeScript and Python insert the name raw (a space reaches us as `%20`,
 * a `/` would split the path), Go's `url.QueryEscape` and Java's `URLEncoder.encode` send a space
 * as `+`, a `/` as `%2F` and a literal `+` as `%2B`. So the raw segment is form-decoded: `+` →
 * space, then percent-decoding. A name with a literal `+` sent raw by TS/Python therefore reads
 * as a space (the documented ambiguity of 5.3); Go and Java names always round-trip.
 *
 * The pipeline hands routes percent-decoded parameters, where `%2B` and `+` can no longer be told
 * apart, so this reads the still-encoded segment from the request path. rou3 matches `%2F` inside
 * one segment (it splits the raw path on `/`), so the segment sits where the pattern has `:param`.
 */

/**
 * The form-decoded value of path parameter `param` of `pattern` in `pathname`.
 * @param pathname the request's raw (encoded) path, `url.pathname`
 * @param pattern the route's path pattern, e.g. `/api/sdk/v1/agents/:agentName/control`
 * @throws HttpError 400 for malformed percent-encoding; Error when the pattern has no such parameter
 */
export function formDecodedParam(pathname: string, pattern: string, param: string): string {
  const index = pattern.split('/').indexOf(`:${param}`);
  if (index < 0) throw new Error(`${pattern} has no parameter :${param}`);
  const raw = pathname.split('/')[index] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, `Path parameter '${param}' is not valid percent-encoding: ${raw}`);
  }
}
