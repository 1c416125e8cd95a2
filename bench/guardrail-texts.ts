/**
 * Texts for timing guardrail checks (bench/guardrails.ts and test/guardrails-speed.test.ts): the
 * adversarial 100,000-character inputs that make a backtracking regular expression crawl, and an
 * ordinary text of the same length with PII sprinkled through it. Deterministic.
 */

/** Every detector on, as a request body fragment. */
export const ALL_DETECTORS = {
  redactPii: true,
  detectPromptInjection: true,
  filterContent: true,
  validateSchema: true,
  jsonSchema: { type: 'object' },
  applyCustomRules: true,
  detectSemanticManipulation: true,
};

const fill = (unit: string, length = 100_000) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Adversarial inputs, each exactly 100,000 characters. */
export const ADVERSARIAL_TEXTS: Record<string, string> = {
  'a. repeated': fill('a.'),
  '1.1.1. repeated': fill('1.1.1.'),
  'x.a without a closing @': fill('x.a'),
  'a@ repeated': fill('a@'),
  'card-like digit groups': fill('4111 '),
  'one 100,000-letter word': fill('a'),
  'nested JSON brackets': `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  'quote pairs': fill('"a" '),
  'zero-width inside words': fill('ig\u200bnore '),
  'Han characters': fill('忽略'),
};

const SENTENCES = [
  'Hello team, the quarterly report is ready for review. ',
  'Please contact user{n}@example.com or call (415) 555-01{nn} if anything is unclear. ',
  'The deploy to 10.0.{n}.7 finished without errors and the dashboards look healthy. ',
  'Customer feedback mentions faster search, better exports and the new dark theme. ',
  'We will ship the release candidate on Thursday once the last review is done. ',
];

/** Business prose of `length` characters with an e-mail address, a phone number and an IP address every five sentences. */
export function ordinaryText(length: number): string {
  let text = '';
  for (let n = 0; text.length < length; n += 1) {
    const nn = String(n % 100).padStart(2, '0');
    text += SENTENCES[n % SENTENCES.length]!.replaceAll('{n}', String(n % 250)).replaceAll('{nn}', nn);
  }
  return text.slice(0, length);
}
