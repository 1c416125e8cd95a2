/**
 * The PII detector's single linear tokenising pass. One loop over the text keeps a handful of runs
 * open at once (one per character class below) and, as each run ends, keeps it as a candidate only
 * when its shape could hold PII. No regular expression ever runs over the user's text: the
 * classifiers (pii-classify.ts) only look at these short, bounded candidates.
 *
 * | run | characters | candidate for |
 * | --- | --- | --- |
 * | key | `A-Z a-z 0-9 _ -` | API keys (12–256 chars) |
 * | dotted | key chars and `.` | JWTs (starting `eyJ`, two dots, ≤ 8,192 chars) |
 * | numeric | `0-9 . - ( ) +` | phone, SSN, credit card, IPv4 (≤ 64 chars, not glued to letters) |
 * | hex-colon | `0-9 A-F a-f : .` | IPv6 (≥ 2 colons, ≤ 45 chars, not glued to letters) |
 * | local / host | `A-Z a-z 0-9 . _ % + -` / `A-Z a-z 0-9 . -` | e-mail: a local run ending at `@` and the host run after it |
 *
 * An `@` inside a URL (a whitespace-free chunk with `://` before it and no `?` between them) is part
 * of the URL's path or user info, not an e-mail address: `https://cdn.example/u/alice@example.com/x`
 * is not flagged; `https://x.example/?to=alice@example.com` and `mailto:alice@example.com` are.
 */

const KEY = 1;
const DOTTED = 2;
const NUMERIC = 4;
const HEX_COLON = 8;
const LOCAL = 16;
const HOST = 32;

const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  const digit = /[0-9]/.test(ch);
  let bits = 0;
  if (alnum || ch === '_' || ch === '-') bits |= KEY | DOTTED;
  if (ch === '.') bits |= DOTTED;
  if (digit || '.-()+'.includes(ch)) bits |= NUMERIC;
  if (/[0-9A-Fa-f:.]/.test(ch)) bits |= HEX_COLON;
  if (alnum || '._%+-'.includes(ch)) bits |= LOCAL;
  if (alnum || ch === '.' || ch === '-') bits |= HOST;
  CLASSES[c] = bits;
}

/** A numeric token: digits with `.`, `-`, parentheses or a leading `+`, trimmed of sentence punctuation. */
export interface NumericToken {
  start: number;
  end: number;
  digits: number;
}

/** An e-mail candidate: local part `[start, at)`, `@` at `at`, host `(at, end)`. */
export interface EmailCandidate {
  start: number;
  at: number;
  end: number;
}

/** Every candidate of one text, each list in text order. */
export interface PiiCandidates {
  keys: Array<[number, number]>;
  jwts: Array<[number, number]>;
  numbers: NumericToken[];
  ipv6: Array<[number, number]>;
  emails: EmailCandidate[];
}

const MAX_KEY = 256;
const MAX_JWT = 8192;
const MAX_NUMERIC = 64;
const MAX_IPV6 = 45;

function isLetterOrUnderscore(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

function isWordCode(code: number): boolean {
  return isLetterOrUnderscore(code) || (code >= 0x30 && code <= 0x39);
}

function isDigitAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c >= 0x30 && c <= 0x39;
}

/** `+` or `(`, which may lead a number. */
function isSignOrParen(code: number): boolean {
  return code === 0x2b || code === 0x28;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x2028 || code === 0x2029;
}

/** Finds every PII candidate in one pass. Cost: linear in `text.length`. */
export function scanPiiCandidates(text: string): PiiCandidates {
  const out: PiiCandidates = { keys: [], jwts: [], numbers: [], ipv6: [], emails: [] };
  const n = text.length;
  let key = -1;
  let dotted = -1;
  let numeric = -1;
  let hex = -1;
  let local = -1;
  let host = -1;
  // E-mail state: the `@` waiting for its host run, and its local part's start.
  let pendingAt = -1;
  let pendingLocal = -1;
  let pendingInUrl = false;
  // URL context of the current whitespace-free chunk.
  let schemeAt = -1;
  let queryAt = -1;

  for (let i = 0; i <= n; i += 1) {
    const code = i < n ? text.charCodeAt(i) : 0x20;
    const bits = code < 128 ? CLASSES[code]! : 0;

    if (isSpace(code)) {
      schemeAt = -1;
      queryAt = -1;
    } else if (code === 0x3a && schemeAt < 0 && text.charCodeAt(i + 1) === 0x2f && text.charCodeAt(i + 2) === 0x2f) {
      schemeAt = i;
    } else if (code === 0x3f && schemeAt >= 0 && queryAt < 0) {
      queryAt = i;
    }

    if (bits & KEY) {
      if (key < 0) key = i;
    } else if (key >= 0) {
      if (i - key >= 12 && i - key <= MAX_KEY) out.keys.push([key, i]);
      key = -1;
    }
    if (bits & DOTTED) {
      if (dotted < 0) dotted = i;
    } else if (dotted >= 0) {
      keepJwt(text, dotted, i, out);
      dotted = -1;
    }
    if (bits & NUMERIC) {
      if (numeric < 0) numeric = i;
    } else if (numeric >= 0) {
      keepNumeric(text, numeric, i, out);
      numeric = -1;
    }
    if (bits & HEX_COLON) {
      if (hex < 0) hex = i;
    } else if (hex >= 0) {
      keepIpv6(text, hex, i, out);
      hex = -1;
    }
    // The host run closes before the local run, so an `@` ending this host starts the next e-mail.
    if (bits & HOST) {
      if (host < 0) host = i;
    } else if (host >= 0) {
      if (host === pendingAt + 1 && !pendingInUrl) keepEmail(text, pendingLocal, pendingAt, i, out);
      host = -1;
    }
    if (bits & LOCAL) {
      if (local < 0) local = i;
    } else if (local >= 0) {
      if (code === 0x40) {
        pendingAt = i;
        pendingLocal = local;
        pendingInUrl = schemeAt >= 0 && queryAt < 0;
      }
      local = -1;
    }
  }
  return out;
}

function keepJwt(text: string, start: number, end: number, out: PiiCandidates): void {
  while (end > start && text.charCodeAt(end - 1) === 0x2e) end -= 1;
  if (end - start < 10 || end - start > MAX_JWT || !text.startsWith('eyJ', start)) return;
  let dots = 0;
  for (let i = start; i < end && dots <= 2; i += 1) if (text.charCodeAt(i) === 0x2e) dots += 1;
  if (dots === 2) out.jwts.push([start, end]);
}

function keepNumeric(text: string, runStart: number, runEnd: number, out: PiiCandidates): void {
  // Part of a word or identifier ("AKIA…", "v1.2", "x123-45-6789"): not a number.
  if (runStart > 0 && isLetterOrUnderscore(text.charCodeAt(runStart - 1))) return;
  if (runEnd < text.length && isLetterOrUnderscore(text.charCodeAt(runEnd))) return;
  let start = runStart;
  let end = runEnd;
  while (start < end && !isDigitAt(text, start) && !(isSignOrParen(text.charCodeAt(start)) && start + 1 < end && isDigitAt(text, start + 1))) start += 1;
  while (end > start && !isDigitAt(text, end - 1) && text.charCodeAt(end - 1) !== 0x29) end -= 1;
  if (end > start && text.charCodeAt(end - 1) === 0x29 && !text.slice(start, end).includes('(')) end -= 1;
  if (end <= start || end - start > MAX_NUMERIC) return;
  let digits = 0;
  for (let i = start; i < end; i += 1) if (isDigitAt(text, i)) digits += 1;
  if (digits > 0) out.numbers.push({ start, end, digits });
}

function keepIpv6(text: string, start: number, end: number, out: PiiCandidates): void {
  if (start > 0 && isWordCode(text.charCodeAt(start - 1))) return;
  if (end < text.length && isWordCode(text.charCodeAt(end))) return;
  while (end > start && text.charCodeAt(end - 1) === 0x2e) end -= 1;
  if (end - start < 3 || end - start > MAX_IPV6) return;
  let colons = 0;
  let hexDigit = false;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) colons += 1;
    else if (c !== 0x2e) hexDigit = true;
  }
  if (colons >= 2 && hexDigit) out.ipv6.push([start, end]);
}

function keepEmail(text: string, localStart: number, at: number, hostEnd: number, out: PiiCandidates): void {
  let start = localStart;
  while (start < at && !isWordCode(text.charCodeAt(start))) start += 1;
  let end = hostEnd;
  while (end > at + 1 && !isWordCode(text.charCodeAt(end - 1))) end -= 1;
  if (start === at || end <= at + 1) return;
  out.emails.push({ start, at, end });
}
