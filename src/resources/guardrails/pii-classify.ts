import type validatorLibrary from 'validator';

/**
 * Decides what a short PII candidate (pii-scan.ts) is, with validator.js (a well-kept validation
 * library) doing the per-type checks: `isEmail`, `isCreditCard` (issuer prefixes and the Luhn
 * check), `isMobilePhone`, `isIP`, `isJWT`. The anchored shape tests here only ever see bounded
 * candidates (≤ 6 numeric tokens of ≤ 64 characters, keys ≤ 256), never the whole text.
 */

/** validator.js, loaded on the first PII check ({@link loadPiiValidators}), so starting the sandbox does not pay for it. */
let validator: typeof validatorLibrary;

/** Loads validator.js once (about 80 ms the first time); the classifiers below need it. */
export async function loadPiiValidators(): Promise<void> {
  validator ??= (await import('validator')).default;
}

/** The PII types of `piiTypes` (nodeloom-api.md 3.8). */
export const PII_TYPES = ['email', 'ssn', 'credit_card', 'phone', 'ip_address', 'api_key', 'jwt'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** A classified candidate: its type and the rule that recognised it (`pii.phone.nanp`, …). */
export interface PiiClass {
  type: PiiType;
  rule: string;
}

const SSN = /^(\d{3})([- ])(\d{2})\2(\d{4})$/;
const CARD_GROUPED = /^\d{4}([ -])(?:\d{4}\1\d{4}\1\d{1,7}|\d{6}\1\d{4,5})$/;
const CARD_PLAIN = /^\d{13,19}$/;
const NANP = /^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}([ .-]))\d{3}[ .-]\d{4}$/;
const INTERNATIONAL = /^\+\d[\d ().-]*\d$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * A US Social Security number in a valid range: area not 000, 666 or 900–999, group not 00,
 * serial not 0000 (SSA's never-issued ranges).
 */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

/**
 * Classifies a window of numeric tokens joined by single spaces (`window` is its text).
 * @param tokens how many numeric tokens the window spans
 * @param digits how many digits it holds
 */
export function classifyNumeric(window: string, tokens: number, digits: number, enabled: ReadonlySet<PiiType>): PiiClass | null {
  if (digits === 9 && enabled.has('ssn')) {
    const m = SSN.exec(window);
    if (m && (m[2] === '-' ? tokens === 1 : tokens === 3) && isValidSsn(m[1]!, m[3]!, m[4]!)) return { type: 'ssn', rule: 'pii.ssn' };
  }
  if (digits >= 13 && digits <= 19 && enabled.has('credit_card') && (CARD_GROUPED.test(window) || (tokens === 1 && CARD_PLAIN.test(window)))) {
    if (validator.isCreditCard(window.replace(/[ -]/g, ''))) return { type: 'credit_card', rule: 'pii.credit_card' };
  }
  if (enabled.has('phone')) {
    if ((digits === 10 || digits === 11) && NANP.test(window)) {
      const national = onlyDigits(window).slice(-10);
      if (validator.isMobilePhone(national, 'en-US')) return { type: 'phone', rule: 'pii.phone.nanp' };
    }
    if (digits >= 8 && digits <= 15 && INTERNATIONAL.test(window) && !NANP.test(window)) {
      if (validator.isMobilePhone(`+${onlyDigits(window)}`, 'any', { strictMode: true })) return { type: 'phone', rule: 'pii.phone.international' };
    }
  }
  if (tokens === 1 && digits >= 4 && digits <= 12 && enabled.has('ip_address') && IPV4.test(window) && validator.isIP(window, 4)) {
    return { type: 'ip_address', rule: 'pii.ip_address.v4' };
  }
  return null;
}

function onlyDigits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) out += text[i];
  }
  return out;
}

/** An IPv6 candidate (hex-colon run) that `isIP(…, 6)` accepts. */
export function isIpv6(candidate: string): boolean {
  return validator.isIP(candidate, 6);
}

/**
 * The API-key rules, by prefix: each an anchored test of one whole key token (≤ 256 characters of
 * `A-Z a-z 0-9 _ -`). Documented in the README.
 */
export const API_KEY_RULES: ReadonlyArray<{ rule: string; test: RegExp; example: string }> = [
  // Random keys hold digits; a hyphenated name such as "sk-learn-contrib-imbalanced" does not.
  { rule: 'pii.api_key.anthropic', test: /^sk-ant-(?=[\w-]*\d)[\w-]{20,}$/, example: 'sk-ant-api03-…' },
  { rule: 'pii.api_key.openai', test: /^sk-(?=[\w-]*\d)[\w-]{20,}$/, example: 'sk-proj-…, sk-…' },
  { rule: 'pii.api_key.stripe', test: /^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}$/, example: 'sk_live_…' },
  // The sandbox's own tokens, or 12+ characters with a digit, or 24+: not snake_case names such as sdk_framework_version.
  { rule: 'pii.api_key.nodeloom', test: /^sdk_(?:sandbox_\w+|(?=\w*\d)\w{12,}|\w{24,})$/, example: 'sdk_…' },
  { rule: 'pii.api_key.aws', test: /^(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}$/, example: 'AKIA…' },
  { rule: 'pii.api_key.github', test: /^(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})$/, example: 'ghp_…, github_pat_…' },
  { rule: 'pii.api_key.slack', test: /^xox[abposr]-[A-Za-z0-9-]{10,}$/, example: 'xoxb-…' },
  { rule: 'pii.api_key.google', test: /^AIza[A-Za-z0-9_-]{35}$/, example: 'AIza…' },
];

/** The API-key rule a key token matches, or null. */
export function apiKeyRule(token: string): string | null {
  for (const { rule, test } of API_KEY_RULES) if (test.test(token)) return rule;
  return null;
}

/** Three base64url parts (`isJWT`) whose header decodes to a JSON object. */
export function isJwt(candidate: string): boolean {
  if (!validator.isJWT(candidate)) return false;
  const header = candidate.slice(0, candidate.indexOf('.'));
  if (header.length > 1024) return false;
  try {
    const padded = header.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (header.length % 4)) % 4);
    const decoded: unknown = JSON.parse(atob(padded));
    return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded);
  } catch {
    return false;
  }
}

/** An e-mail address `isEmail` accepts (local part ≤ 64, host ≤ 253 with a TLD). */
export function isEmailAddress(local: string, host: string): boolean {
  if (local.length > 64 || host.length > 253 || !host.includes('.')) return false;
  return validator.isEmail(`${local}@${host}`);
}
