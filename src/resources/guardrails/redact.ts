import { placeholder, type PiiSpan } from './pii.ts';

/**
 * Redaction (nodeloom-api.md 3.8 `redactPii` → `redactedContent`, e.g.
 * "Contact me at [REDACTED_EMAIL]."). Findings that overlap or touch are merged first, so no tail of
 * a secret survives between two placeholders and no placeholder is doubled; the merged span takes
 * the placeholder of its longest member. Placeholders hold no PII, so redacting is idempotent: the
 * redacted text, checked again, has no findings. Linear in the text.
 */
export function redact(text: string, spans: readonly PiiSpan[]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let cursor = 0;
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i]!;
    let end = first.end;
    let longest = first;
    i += 1;
    while (i < sorted.length && sorted[i]!.start <= end) {
      const next = sorted[i]!;
      if (next.end - next.start > longest.end - longest.start) longest = next;
      end = Math.max(end, next.end);
      i += 1;
    }
    parts.push(text.slice(cursor, first.start), placeholder(longest.type));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
