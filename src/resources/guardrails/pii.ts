import { apiKeyRule, classifyNumeric, isEmailAddress, isIpv6, isJwt, type PiiClass, type PiiType } from './pii-classify.ts';
import { scanPiiCandidates, type NumericToken } from './pii-scan.ts';
import { confidence, type Finding, type Severity } from './violation.ts';

/**
 * The PII detector (nodeloom-api.md 3.8 `redactPii`, `piiTypes`): one linear pass finds the
 * candidates (pii-scan.ts), validator.js confirms each (pii-classify.ts), and every confirmed
 * finding becomes a violation whose `match` is masked. Cost: linear in the text; each candidate is
 * checked once (identical numeric windows are checked once per call).
 */

/** One PII finding: its type, rule and span in the original text. */
export interface PiiSpan extends PiiClass {
  start: number;
  end: number;
}

const SEVERITY: Record<PiiType, Severity> = {
  email: 'MEDIUM',
  phone: 'MEDIUM',
  ip_address: 'LOW',
  ssn: 'HIGH',
  credit_card: 'HIGH',
  jwt: 'HIGH',
  api_key: 'CRITICAL',
};
const CONFIDENCE: Record<PiiType, number> = {
  email: 0.95,
  phone: 0.85,
  ip_address: 0.9,
  ssn: 0.9,
  credit_card: 0.99,
  jwt: 0.99,
  api_key: 0.95,
};
const LABEL: Record<PiiType, string> = {
  email: 'E-mail address',
  phone: 'Phone number',
  ip_address: 'IP address',
  ssn: 'US Social Security number',
  credit_card: 'Credit card number',
  jwt: 'JSON Web Token',
  api_key: 'API key',
};

/** The placeholder that replaces a finding of this type: `[REDACTED_EMAIL]`, `[REDACTED_CREDIT_CARD]`, … */
export function placeholder(type: PiiType): string {
  return `[REDACTED_${type.toUpperCase()}]`;
}

/** Numeric windows span at most this many space-joined tokens ("4111 1111 1111 1111 111" is 5). */
const MAX_WINDOW_TOKENS = 6;

/**
 * Finds the PII of the enabled types, in text order, without findings that lie inside another one
 * (an IPv4 inside an IPv4-mapped IPv6 address).
 */
export function findPii(text: string, enabled: ReadonlySet<PiiType>): PiiSpan[] {
  const candidates = scanPiiCandidates(text);
  const spans: PiiSpan[] = [];
  if (enabled.has('email')) {
    for (const c of candidates.emails) {
      if (isEmailAddress(text.slice(c.start, c.at), text.slice(c.at + 1, c.end))) spans.push({ type: 'email', rule: 'pii.email', start: c.start, end: c.end });
    }
  }
  if (enabled.has('api_key')) {
    for (const [start, end] of candidates.keys) {
      const rule = apiKeyRule(text.slice(start, end));
      if (rule) spans.push({ type: 'api_key', rule, start, end });
    }
  }
  if (enabled.has('jwt')) {
    for (const [start, end] of candidates.jwts) if (isJwt(text.slice(start, end))) spans.push({ type: 'jwt', rule: 'pii.jwt', start, end });
  }
  if (enabled.has('ip_address')) {
    for (const [start, end] of candidates.ipv6) if (isIpv6(text.slice(start, end))) spans.push({ type: 'ip_address', rule: 'pii.ip_address.v6', start, end });
  }
  spans.push(...numericFindings(text, candidates.numbers, enabled));
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiSpan[] = [];
  let reach = -1;
  for (const span of spans) {
    if (span.end <= reach) continue; // inside an earlier, longer finding
    kept.push(span);
    reach = Math.max(reach, span.end);
  }
  return kept;
}

/** Greedy, longest window first, over runs of numeric tokens joined by one space. */
function numericFindings(text: string, tokens: NumericToken[], enabled: ReadonlySet<PiiType>): PiiSpan[] {
  const found: PiiSpan[] = [];
  const memo = new Map<string, PiiClass | null>();
  let i = 0;
  while (i < tokens.length) {
    let run = 1; // how many tokens from i on are joined by single spaces (capped)
    while (run < MAX_WINDOW_TOKENS && i + run < tokens.length && joined(text, tokens[i + run - 1]!, tokens[i + run]!)) run += 1;
    let matched = 0;
    for (let size = run; size >= 1 && matched === 0; size -= 1) {
      let digits = 0;
      for (let k = i; k < i + size; k += 1) digits += tokens[k]!.digits;
      if (!plausible(digits, size, text.charCodeAt(tokens[i]!.start) === 0x2b)) continue;
      const start = tokens[i]!.start;
      const end = tokens[i + size - 1]!.end;
      const window = text.slice(start, end);
      let cls = memo.get(window);
      if (cls === undefined) {
        cls = classifyNumeric(window, size, digits, enabled);
        memo.set(window, cls);
      }
      if (cls) {
        found.push({ ...cls, start, end });
        matched = size;
      }
    }
    i += matched || 1;
  }
  return found;
}

/**
 * Whether a window of `size` tokens holding `digits` digits could be any numeric PII type at all
 * (SSN 9, NANP phone 10–11, international phone 8–15 after a `+`, card 13–19, IPv4 4–12 in one
 * token), so most windows are skipped without looking at their text.
 */
function plausible(digits: number, size: number, plus: boolean): boolean {
  return digits === 9 || digits === 10 || digits === 11 || (digits >= 13 && digits <= 19) || (plus && digits >= 8 && digits <= 15) || (size === 1 && digits >= 4 && digits <= 12);
}

function joined(text: string, a: NumericToken, b: NumericToken): boolean {
  return b.start === a.end + 1 && text.charCodeAt(a.end) === 0x20;
}

/** The violation of a finding; its `match` is masked ({@link maskPii}). */
export function piiFinding(text: string, span: PiiSpan): Finding {
  return {
    type: 'PII',
    severity: SEVERITY[span.type],
    message: `${LABEL[span.type]} found at ${span.start}–${span.end} (rule ${span.rule}); redacted as ${placeholder(span.type)}.`,
    confidence: confidence(CONFIDENCE[span.type]),
    details: { rule: span.rule, start: span.start, end: span.end, match: maskPii(text.slice(span.start, span.end), span.type), piiType: span.type },
  };
}

/**
 * A finding as shown in violation details, never the secret itself: e-mail keeps its first
 * character and domain (`a****@example.com`); SSN, card and phone keep their last four digits and
 * separators (`***-**-6789`, `**** **** **** 1111`); IPv4 its first octet (`10.*.*.*`), IPv6 its
 * first group; API keys their prefix and last four (`sk-proj-…wxyz` → `sk-****wxyz`); JWTs their
 * header (`eyJhbGciOiJIUzI1NiJ9.****.****`).
 */
export function maskPii(match: string, type: PiiType): string {
  switch (type) {
    case 'email': {
      return `${match[0]}****${match.slice(match.indexOf('@'))}`;
    }
    case 'ssn':
    case 'credit_card':
    case 'phone':
      return maskDigits(match, 4);
    case 'ip_address': {
      const sep = match.includes(':') ? ':' : '.';
      const [first, ...rest] = match.split(sep);
      return [first, ...rest.map((part) => (part === '' ? '' : '*'))].join(sep);
    }
    case 'api_key': {
      const prefix = /^(?:sk-ant-|sk-|sdk_|gh[pousr]_|github_pat_|xox[abposr]-|(?:sk|rk)_(?:live|test)_|AIza|A[A-Z]{3})/.exec(match)?.[0] ?? '';
      return `${prefix}****${match.slice(-4)}`;
    }
    case 'jwt':
      return `${match.slice(0, match.indexOf('.'))}.****.****`;
  }
}

function maskDigits(match: string, keep: number): string {
  let seen = 0;
  let out = '';
  for (let i = match.length - 1; i >= 0; i -= 1) {
    const ch = match[i]!;
    const digit = ch >= '0' && ch <= '9';
    if (digit) seen += 1;
    out = (digit && seen > keep ? '*' : ch) + out;
  }
  return out;
}
