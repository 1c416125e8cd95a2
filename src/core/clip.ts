/**
 * Bounds a caller's text echoed back in an error message or a log line (a header or a query
 * parameter name can be up to Node's 16 KB header limit): at most `max` characters, then
 * `…[truncated from N chars]` (the journal's marker, src/core/journal.ts boundUrlPart), so the
 * message still says what was sent and how long it was.
 * @param text what the caller sent (anything else is made a string first: JavaScript callers skip the types)
 * @param max characters kept (default 64, the longest valid namespace name)
 * @returns `text` itself when it fits; never cut inside a surrogate pair
 */
export function clip(text: unknown, max = 64): string {
  // String(): plain-JS callers pass anything (sandbox.namespace({})), and the message must still render.
  const value = String(text);
  if (value.length <= max) return value;
  // Not between the halves of a surrogate pair (an emoji): a lone half renders as U+FFFD.
  const end = /[\uD800-\uDBFF]/.test(value.charAt(max - 1)) ? max - 1 : max;
  return `${value.slice(0, end)}…[truncated from ${value.length} chars]`;
}
