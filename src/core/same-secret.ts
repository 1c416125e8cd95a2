/**
 * Comparing a secret a client sent with the expected one without leaking, through the time the
 * comparison takes, how much of it matched (a `!==` stops at the first differing character).
 * Uses Web Crypto (`crypto.subtle`), so it runs in Node and in a browser service worker alike.
 */

const encoder = new TextEncoder();

/** SHA-256 of the UTF-8 bytes of `text`: 32 bytes whatever its length. */
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Whether `sent` equals `expected`, in time that depends on neither where they differ nor their
 * lengths: both are hashed to 32-byte SHA-256 digests, which are compared byte by byte without
 * stopping early (the approach of Node's `crypto.timingSafeEqual` over equal-length input, OWASP
 * "compare secrets in constant time").
 * @returns a promise of the answer (Web Crypto digests are asynchronous)
 */
export async function sameSecret(sent: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(sent), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
