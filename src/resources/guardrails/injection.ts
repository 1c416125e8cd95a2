import {
  DELIMITER_MARKERS,
  ENCODED_PAYLOAD_WEIGHT,
  INJECTION_PATTERNS,
  OBFUSCATION_WEIGHT,
  QUOTED_FACTOR,
  ROLE_LABEL_WEIGHT,
  ROLE_LABELS,
} from './injection-patterns.ts';
import { LiteralMatcher, PhraseMatcher } from './phrase-matcher.ts';
import { clip, combine, confidence, type Finding, type Severity } from './violation.ts';
import { insideQuotes } from './quotes.ts';
import { BEFORE_COLON, FULLWIDTH, HOMOGLYPH, LINE_START, tokenizeWords, ZERO_WIDTH, type Words } from './words.ts';

/**
 * The prompt-injection detector (nodeloom-api.md 3.8 `detectPromptInjection`,
 * `injectionSensitivity`). It gathers evidence, each piece with a rule id and a weight:
 * curated phrases in several languages (injection-patterns.ts), chat-template and delimiter markers,
 * fake role labels at the start of a line, base64 runs that decode to injection phrases, and words
 * obfuscated with zero-width, full-width or look-alike characters or leetspeak. A phrase inside a
 * closed pair of double quotes counts at half its weight (quoted in an article, not addressed to
 * the model). The confidence is the noisy-OR of the strongest weight of each rule; the text is a
 * violation when it reaches the threshold `0.95 − 0.6 × injectionSensitivity` (0.53 at the default
 * 0.7; 0.95 at 0, 0.35 at 1). Linear in the text: one word pass, one marker pass, one base64 pass.
 */

/** One piece of evidence. */
export interface InjectionEvidence {
  rule: string;
  weight: number;
  start: number;
  end: number;
  match: string;
  language?: string;
  quoted?: boolean;
  obfuscated?: boolean;
  decoded?: string;
}

const PHRASES = new PhraseMatcher(INJECTION_PATTERNS);
const MARKERS = new LiteralMatcher(DELIMITER_MARKERS);
const OBFUSCATED = ZERO_WIDTH | HOMOGLYPH | FULLWIDTH;
const MAX_EVIDENCE_LISTED = 20;
const BASE64_MIN = 24;
const BASE64_MAX = 8192;

/** The confidence a text needs to be a violation at this sensitivity (0–1). */
export function injectionThreshold(sensitivity: number): number {
  return Math.round((0.95 - 0.6 * sensitivity) * 1000) / 1000;
}

/** Evidence from the curated phrases, weighted down when quoted. */
function phraseEvidence(words: Words): InjectionEvidence[] {
  const out: InjectionEvidence[] = [];
  for (const m of PHRASES.match(words)) {
    const start = words.start[m.first]!;
    const end = words.end[m.last]!;
    let obfuscated = m.leet;
    for (let w = m.first; w <= m.last && !obfuscated; w += 1) if (words.flags[w]! & OBFUSCATED) obfuscated = true;
    const quoted = insideQuotes(words.quotes, start, end);
    out.push({
      rule: m.pattern.id,
      weight: m.pattern.weight * (quoted ? QUOTED_FACTOR : 1),
      start,
      end,
      match: clip(words.text.slice(start, end)),
      language: m.pattern.language,
      ...(quoted ? { quoted } : {}),
      ...(obfuscated ? { obfuscated } : {}),
    });
  }
  return out;
}

/** Gathers every piece of evidence in text order. */
export function injectionEvidence(text: string, words: Words): InjectionEvidence[] {
  const evidence = phraseEvidence(words);
  for (const { entry, start, end } of MARKERS.match(text)) {
    const quoted = insideQuotes(words.quotes, start, end);
    evidence.push({ rule: entry.id, weight: entry.weight * (quoted ? QUOTED_FACTOR : 1), start, end, match: text.slice(start, end), ...(quoted ? { quoted } : {}) });
  }
  let obfuscation = false;
  for (let w = 0; w < words.count; w += 1) {
    const flags = words.flags[w]!;
    if ((flags & LINE_START) && (flags & BEFORE_COLON) && ROLE_LABELS.has(words.norm[w]!)) {
      evidence.push({ rule: 'injection.role_label', weight: ROLE_LABEL_WEIGHT, start: words.start[w]!, end: words.end[w]! + 1, match: text.slice(words.start[w]!, words.end[w]! + 1) });
    }
    if (!obfuscation && flags & OBFUSCATED) {
      obfuscation = true;
      evidence.push({ rule: 'injection.obfuscation', weight: OBFUSCATION_WEIGHT, start: words.start[w]!, end: words.end[w]!, match: clip(text.slice(words.start[w]!, words.end[w]!)) });
    }
  }
  if (!obfuscation) {
    const leet = evidence.find((e) => e.obfuscated);
    if (leet) evidence.push({ rule: 'injection.obfuscation', weight: OBFUSCATION_WEIGHT, start: leet.start, end: leet.end, match: leet.match });
  }
  evidence.push(...encodedEvidence(text));
  return evidence.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Base64 runs (24–8,192 characters of `A-Z a-z 0-9 + /`, optional `=` padding) whose decoded text holds an injection phrase. */
function encodedEvidence(text: string): InjectionEvidence[] {
  const out: InjectionEvidence[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i < text.length ? text.charCodeAt(i) : 0x20;
    const b64 = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (b64) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    let end = i;
    while (end < text.length && end - i < 2 && text.charCodeAt(end) === 0x3d) end += 1;
    const length = end - start;
    if (length >= BASE64_MIN && length <= BASE64_MAX && length % 4 === 0) {
      const decoded = decodeBase64Text(text.slice(start, end));
      if (decoded) {
        const inner = phraseEvidence(tokenizeWords(decoded)).filter((e) => e.weight >= 0.5);
        if (inner.length > 0) {
          out.push({ rule: 'injection.encoded_payload', weight: ENCODED_PAYLOAD_WEIGHT, start, end, match: clip(text.slice(start, end)), decoded: clip(decoded) });
        }
      }
    }
    start = -1;
    i = end - 1; // past any padding; the loop steps on to the character after the run
  }
  return out;
}

/** The decoded text when it is mostly printable (≥ 90 %), else null. */
function decodeBase64Text(run: string): string | null {
  let binary: string;
  try {
    binary = atob(run);
  } catch {
    return null;
  }
  let printable = 0;
  for (let i = 0; i < binary.length; i += 1) {
    const c = binary.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09 || c >= 0x80) printable += 1;
  }
  if (printable < binary.length * 0.9) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

function severityOf(value: number): Severity {
  if (value >= 0.95) return 'CRITICAL';
  if (value >= 0.75) return 'HIGH';
  if (value >= 0.5) return 'MEDIUM';
  return 'LOW';
}

/**
 * Runs the detector.
 * @param sensitivity `injectionSensitivity`, 0–1 (default 0.7)
 * @returns at most one finding: its `details` name the strongest evidence (rule, span, match) and
 *   list up to 20 pieces of `evidence`, with the `threshold` it was held against
 */
export function detectInjection(text: string, words: Words, sensitivity: number): Finding[] {
  const evidence = injectionEvidence(text, words);
  if (evidence.length === 0) return [];
  const strongest = new Map<string, number>();
  for (const e of evidence) strongest.set(e.rule, Math.max(strongest.get(e.rule) ?? 0, e.weight));
  const score = confidence(combine(strongest.values()));
  const threshold = injectionThreshold(sensitivity);
  if (score < threshold) return [];
  const primary = evidence.reduce((best, e) => (e.weight > best.weight ? e : best));
  const more = evidence.length - 1;
  return [
    {
      type: 'PROMPT_INJECTION',
      severity: severityOf(score),
      message:
        `Prompt injection: "${clip(primary.match)}" (${primary.rule}) at ${primary.start}–${primary.end}` +
        `${more > 0 ? ` and ${more} more piece${more === 1 ? '' : 's'} of evidence` : ''}; confidence ${score} ≥ threshold ${threshold}.`,
      confidence: score,
      details: {
        rule: primary.rule,
        start: primary.start,
        end: primary.end,
        match: primary.match,
        threshold,
        sensitivity,
        evidence: evidence.slice(0, MAX_EVIDENCE_LISTED).map((e) => ({ ...e, weight: confidence(e.weight) })),
      },
    },
  ];
}
