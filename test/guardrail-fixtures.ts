import { expect } from 'vitest';
import type { Sandbox } from 'nodeloom-sandbox';
import { call } from './helpers.ts';

/**
 * The row format of the guardrail finding tables (test/guardrails-pii.test.ts,
 * test/guardrails-detectors.test.ts) and the runner that checks one row through
 * `POST /api/guardrails/check`.
 */

/**
 * An expected violation: type, rule, the exact substring it spans (its `nth` occurrence, default 0).
 * A custom rule is written `custom:<rule name>` (its id is seeded).
 */
export type Expected = [type: string, rule: string, span: string, nth?: number];

export interface FindingRow {
  name: string;
  text: string;
  /** Body options besides `text`. */
  options: Record<string, unknown>;
  /** Violations in the order the response lists them (detector order, then text order). */
  expect: Expected[];
  /** `redactedContent` expected (rows with `redactPii`). */
  redacted?: string;
  /** `passed` expected; default: no violations. */
  passed?: boolean;
}

/** Where the `nth` occurrence of `span` starts in `text`. @throws when it is not there (a typo in the row) */
export function offsetOf(text: string, span: string, nth = 0): number {
  let at = -1;
  for (let k = 0; k <= nth; k += 1) {
    at = text.indexOf(span, at + 1);
    if (at < 0) throw new Error(`row typo: "${span}" (#${nth}) is not in the text`);
  }
  return at;
}

/** Sends a row as an SDK token would and checks status, violations (type, rule, span), redaction and `passed`. */
export async function checkRow(sandbox: Sandbox, row: FindingRow) {
  const response = await call(sandbox, 'POST', '/api/guardrails/check', { token: 'sdk_sandbox_viewer', body: { text: row.text, ...row.options } });
  expect(response.status, response.text).toBe(200);
  const body = response.json;
  const ruleOf = (v: any) => (String(v.details.rule).startsWith('custom.') ? `custom:${v.details.ruleName}` : v.details.rule);
  const got = body.violations.map((v: any) => [v.type, ruleOf(v), v.details.start, v.details.end]);
  const want = row.expect.map(([type, rule, span, nth]) => {
    const start = offsetOf(row.text, span, nth);
    return [type, rule, start, start + span.length];
  });
  expect(got).toEqual(want);
  for (const v of body.violations) {
    expect(v.details.end).toBeGreaterThanOrEqual(v.details.start);
    if (v.type !== 'PII' && v.type !== 'SCHEMA_VALIDATION' && v.details.end - v.details.start <= 200) {
      expect(v.details.match).toBe(row.text.slice(v.details.start, v.details.end));
    }
    if (v.type === 'PII') expect(v.details.match).not.toBe(row.text.slice(v.details.start, v.details.end));
  }
  if (row.redacted !== undefined) expect(body.redactedContent).toBe(row.redacted);
  expect(body.passed).toBe(row.passed ?? row.expect.length === 0);
  return body;
}
