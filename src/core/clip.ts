/**
 * Bounds a caller's text echoed back in an error message or a log line (a header or a query
 * parameter name can be up to Node's 16 KB header limit): at most `max` characters, then
 * `…[N chars]` with the full length, so the message still says what was sent and how long it was.
 * @param text what the caller sent
 * @param max characters kept (default 64, the longest valid namespace name)
 * @returns `text` itself when it fits
 */
export function clip(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length} chars]`;
}
