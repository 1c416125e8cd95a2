import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from 'nodeloom-sandbox';
import { redact } from '../src/resources/guardrails/redact.ts';
import { call, testSandbox } from './helpers.ts';
import { checkRow, type FindingRow } from './guardrail-fixtures.ts';

/**
 * PII findings, row by row (nodeloom-api.md 3.8 `redactPii`, `piiTypes`): true positives of every
 * type, the documented false-positive traps (an invalid Luhn number, an e-mail-like string inside a
 * URL path, invalid SSN ranges, identifiers that contain digits), overlap and idempotence.
 */

const R = { redactPii: true };
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const OPENAI = 'sk-proj-Abc123def456GHI789jkl012MNO345';
const GITHUB = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';

export const PII_ROWS: FindingRow[] = [
  { name: 'e-mail', text: 'Contact me at alice@example.com today', options: R, expect: [['PII', 'pii.email', 'alice@example.com']], redacted: 'Contact me at [REDACTED_EMAIL] today' },
  { name: 'e-mail with dots, plus tag and subdomains', text: 'cc first.last+tag@mail.example.co.uk', options: R, expect: [['PII', 'pii.email', 'first.last+tag@mail.example.co.uk']], redacted: 'cc [REDACTED_EMAIL]' },
  { name: 'e-mail at the end of a sentence keeps its full stop', text: 'Mail bob@example.org.', options: R, expect: [['PII', 'pii.email', 'bob@example.org']], redacted: 'Mail [REDACTED_EMAIL].' },
  { name: 'trap: an e-mail-like string inside a URL path', text: 'See https://cdn.example.com/users/alice@example.com/avatar.png for the picture', options: R, expect: [], redacted: 'See https://cdn.example.com/users/alice@example.com/avatar.png for the picture' },
  { name: 'e-mail in a URL query is still flagged', text: 'https://x.example/invite?to=bob@example.com', options: R, expect: [['PII', 'pii.email', 'bob@example.com']], redacted: 'https://x.example/invite?to=[REDACTED_EMAIL]' },
  { name: 'mailto: link', text: '<a href="mailto:carol@example.org">mail</a>', options: R, expect: [['PII', 'pii.email', 'carol@example.org']] },
  { name: 'trap: host without a TLD, social handle, npm package version', text: 'root@localhost, follow @nodeloom, install pkg@1.2.3', options: R, expect: [] },
  { name: 'US SSN with dashes', text: 'my SSN is 123-45-6789', options: R, expect: [['PII', 'pii.ssn', '123-45-6789']], redacted: 'my SSN is [REDACTED_SSN]' },
  { name: 'US SSN with spaces', text: 'SSN 123 45 6789 on file', options: R, expect: [['PII', 'pii.ssn', '123 45 6789']], redacted: 'SSN [REDACTED_SSN] on file' },
  { name: 'trap: SSN areas 000, 666 and 9xx are never issued', text: '000-12-3456 666-12-3456 912-34-5678', options: R, expect: [] },
  { name: 'trap: SSN group 00 and serial 0000 are never issued', text: '123-00-4567 and 123-45-0000', options: R, expect: [] },
  { name: 'trap: SSN-shaped digits glued to an identifier', text: 'ticket ID123-45-6789 and 123-45-6789x', options: R, expect: [] },
  { name: 'Visa card with spaces', text: 'card 4111 1111 1111 1111 exp 12/29', options: R, expect: [['PII', 'pii.credit_card', '4111 1111 1111 1111']], redacted: 'card [REDACTED_CREDIT_CARD] exp 12/29' },
  { name: 'Mastercard with dashes', text: 'Pay with 5555-5555-5555-4444.', options: R, expect: [['PII', 'pii.credit_card', '5555-5555-5555-4444']], redacted: 'Pay with [REDACTED_CREDIT_CARD].' },
  { name: 'Amex grouped 4-6-5', text: 'amex 3782 822463 10005', options: R, expect: [['PII', 'pii.credit_card', '3782 822463 10005']] },
  { name: 'card number without separators', text: 'n=4012888888881881;', options: R, expect: [['PII', 'pii.credit_card', '4012888888881881']] },
  { name: 'trap: a card number failing the Luhn check', text: 'card 4111 1111 1111 1112 was declined', options: R, expect: [], redacted: 'card 4111 1111 1111 1112 was declined' },
  { name: 'trap: a 16-digit order number of no issuer', text: 'order 1234 5678 9012 3456 shipped', options: R, expect: [] },
  { name: 'card after an unrelated number: only the card', text: 'room 12 4111 1111 1111 1111 end', options: R, expect: [['PII', 'pii.credit_card', '4111 1111 1111 1111']], redacted: 'room 12 [REDACTED_CREDIT_CARD] end' },
  { name: 'US phone with parentheses', text: 'Call (415) 555-0132 now', options: R, expect: [['PII', 'pii.phone.nanp', '(415) 555-0132']], redacted: 'Call [REDACTED_PHONE] now' },
  { name: 'US phone with country code', text: 'Call +1 415 555 0132.', options: R, expect: [['PII', 'pii.phone.nanp', '+1 415 555 0132']] },
  { name: 'US phone with dots', text: 'tel 415.555.0132', options: R, expect: [['PII', 'pii.phone.nanp', '415.555.0132']] },
  { name: 'international mobile number', text: 'UK mobile +44 7911 123456 please', options: R, expect: [['PII', 'pii.phone.international', '+44 7911 123456']] },
  { name: 'trap: area code 123 does not exist; dates and times are not phones', text: 'ref 123-456-7890 on 2026-11-01 at 12:30:45', options: R, expect: [] },
  { name: 'IPv4 with a port: the port stays', text: 'server 10.0.0.1:8080 is down', options: R, expect: [['PII', 'pii.ip_address.v4', '10.0.0.1']], redacted: 'server [REDACTED_IP_ADDRESS]:8080 is down' },
  { name: 'trap: version strings and out-of-range octets are not IPv4', text: 'version 1.2.3.4.5 and 999.1.1.1', options: R, expect: [] },
  { name: 'IPv6 address', text: 'from 2001:db8::8a2e:370:7334 today', options: R, expect: [['PII', 'pii.ip_address.v6', '2001:db8::8a2e:370:7334']] },
  { name: 'overlap: an IPv4-mapped IPv6 address is one finding', text: 'peer ::ffff:10.0.0.1 connected', options: R, expect: [['PII', 'pii.ip_address.v6', '::ffff:10.0.0.1']], redacted: 'peer [REDACTED_IP_ADDRESS] connected' },
  { name: 'trap: C++ scopes and MAC addresses are not IPv6', text: 'std::vector on 00:1a:2b:3c:4d:5e', options: R, expect: [] },
  { name: 'OpenAI-style key', text: `key=${OPENAI}`, options: R, expect: [['PII', 'pii.api_key.openai', OPENAI]], redacted: 'key=[REDACTED_API_KEY]' },
  { name: 'NodeLoom SDK token', text: 'Authorization: Bearer sdk_sandbox_admin', options: R, expect: [['PII', 'pii.api_key.nodeloom', 'sdk_sandbox_admin']] },
  { name: 'AWS access key id', text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', options: R, expect: [['PII', 'pii.api_key.aws', 'AKIAIOSFODNN7EXAMPLE']] },
  { name: 'GitHub token', text: `token: ${GITHUB}`, options: R, expect: [['PII', 'pii.api_key.github', GITHUB]] },
  { name: 'Slack bot token and Stripe test key', text: 'xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx and sk_test_4eC39HqLyjWDarjtT1zdp7dc', options: R, expect: [['PII', 'pii.api_key.slack', 'xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx'], ['PII', 'pii.api_key.stripe', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc']] },
  { name: 'trap: short sk- words and ordinary identifiers', text: 'sk-short task-manager-2024 risk-assessment-final', options: R, expect: [] },
  { name: 'trap: snake_case names and package names that start like keys', text: '{"sdk_language": "python", "sdk_framework_version": "1.0"} pip install sk-learn-contrib-imbalanced-learn', options: R, expect: [] },
  { name: 'JWT (header decodes to JSON)', text: `Bearer ${JWT}.`, options: R, expect: [['PII', 'pii.jwt', JWT]], redacted: 'Bearer [REDACTED_JWT].' },
  { name: 'trap: three dotted parts whose header is not JSON', text: 'eyJhbGciOi.eyJzdWIiOiIxIn0.c2lnbmF0dXJl and a.b.c', options: R, expect: [] },
  { name: 'piiTypes narrows to e-mail', text: 'alice@example.com 123-45-6789', options: { ...R, piiTypes: 'email' }, expect: [['PII', 'pii.email', 'alice@example.com']], redacted: '[REDACTED_EMAIL] 123-45-6789' },
  { name: 'piiTypes with spaces after commas', text: 'alice@example.com 123-45-6789 4111 1111 1111 1111', options: { ...R, piiTypes: 'ssn, credit_card' }, expect: [['PII', 'pii.ssn', '123-45-6789'], ['PII', 'pii.credit_card', '4111 1111 1111 1111']] },
  { name: 'piiTypes as a JSON array', text: 'alice@example.com (415) 555-0132', options: { ...R, piiTypes: ['phone'] }, expect: [['PII', 'pii.phone.nanp', '(415) 555-0132']] },
  { name: 'several types, in text order', text: 'Email a@example.com, SSN 123-45-6789, IP 192.168.1.20, key sdk_sandbox_viewer', options: R, expect: [['PII', 'pii.email', 'a@example.com'], ['PII', 'pii.ssn', '123-45-6789'], ['PII', 'pii.ip_address.v4', '192.168.1.20'], ['PII', 'pii.api_key.nodeloom', 'sdk_sandbox_viewer']], redacted: 'Email [REDACTED_EMAIL], SSN [REDACTED_SSN], IP [REDACTED_IP_ADDRESS], key [REDACTED_API_KEY]' },
  { name: 'offsets count UTF-16 code units (an emoji is two)', text: '😀 alice@example.com', options: R, expect: [['PII', 'pii.email', 'alice@example.com']], redacted: '😀 [REDACTED_EMAIL]' },
  { name: 'no PII: redactedContent is the text itself', text: 'Nothing to see here.', options: R, expect: [], redacted: 'Nothing to see here.' },
  { name: 'redactPii not asked: no PII check, redactedContent null', text: 'alice@example.com', options: {}, expect: [] },
];

describe('guardrails PII findings', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = testSandbox();
    await sandbox.ready;
  });

  it.each(PII_ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const body = await checkRow(sandbox, row);
    if (!row.options.redactPii) expect(body.redactedContent).toBeNull();
  });

  it('finds no PII in any redacted output checked again (idempotence)', async () => {
    for (const row of PII_ROWS.filter((r) => r.options.redactPii)) {
      const first = await call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_admin', body: { text: row.text, redactPii: true } });
      const again = await call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_admin', body: { text: first.json.redactedContent, redactPii: true } });
      expect(again.json.violations, row.name).toEqual([]);
      expect(again.json.redactedContent).toBe(first.json.redactedContent);
    }
  });

  it('merges overlapping and touching findings into one placeholder, named after the longest', () => {
    const text = 'AAAABBBBCCCC tail';
    const merged = redact(text, [
      { type: 'email', rule: 'pii.email', start: 0, end: 4 },
      { type: 'api_key', rule: 'pii.api_key.openai', start: 2, end: 10 },
      { type: 'phone', rule: 'pii.phone.nanp', start: 10, end: 12 },
    ]);
    expect(merged).toBe('[REDACTED_API_KEY] tail');
  });

  it('masks every PII match in details and says where it was', async () => {
    const text = 'a@example.com 123-45-6789 4111 1111 1111 1111 (415) 555-0132 10.0.0.1 sdk_sandbox_admin';
    const response = await call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_admin', body: { text, redactPii: true } });
    expect(response.json.violations.map((v: any) => v.details.match)).toEqual(['a****@example.com', '***-**-6789', '**** **** **** 1111', '(***) ***-0132', '10.*.*.*', 'sdk_****dmin']);
    expect(response.json.violations[0]).toEqual({
      type: 'PII',
      severity: 'MEDIUM',
      action: 'BLOCKED',
      message: 'E-mail address found at 0–13 (rule pii.email); redacted as [REDACTED_EMAIL].',
      confidence: 0.95,
      details: { rule: 'pii.email', start: 0, end: 13, match: 'a****@example.com', piiType: 'email' },
    });
  });
});
