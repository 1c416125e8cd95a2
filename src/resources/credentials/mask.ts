/**
 * Masked previews of credential secrets. The real API never returns secret values, "only metadata
 * and masked previews" (nodeloom-api.md 3.4, D-CR); the preview format `{"apiKey":"sk-...abcd"}`
 * is [INF] 3.4.
 */

/** Values shorter than this many characters are masked completely (`****`). */
export const MIN_PARTIAL_MASK_LENGTH = 16;

/** What a fully masked value looks like. */
export const FULL_MASK = '****';

// A vendor prefix such as `sk-`, `xoxb-`, `ghp_`, `hf_`: letters, then a dash or underscore.
const VENDOR_PREFIX = /^[A-Za-z]{1,4}[-_]/;

/**
 * Masks one secret value.
 * Long values (at least {@link MIN_PARTIAL_MASK_LENGTH} characters) keep a short vendor prefix, if
 * they have one, and their last 4 characters: `sk-proj-…wxyz` → `sk-...wxyz`, a random password →
 * `...wxyz`. Shorter values reveal nothing: `****`. At most 9 characters are ever shown, so a
 * preview never contains the whole value.
 */
export function maskSecret(value: string): string {
  if (value.length < MIN_PARTIAL_MASK_LENGTH) return FULL_MASK;
  const prefix = VENDOR_PREFIX.exec(value)?.[0] ?? '';
  return `${prefix}...${value.slice(-4)}`;
}

/**
 * The masked preview of a credential's secret data: same keys, every value masked with
 * {@link maskSecret}.
 * @param data the stored key/values (`{"apiKey": "sk-..."}`)
 */
export function maskedPreview(data: Readonly<Record<string, string>>): Record<string, string> {
  const preview: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) preview[key] = maskSecret(value);
  return preview;
}
