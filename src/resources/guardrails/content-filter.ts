import { ALLOW_PHRASES, CONTENT_TERMS, type ContentCategory } from './content-lists.ts';
import { PhraseMatcher, type PhrasePattern } from './phrase-matcher.ts';
import { clip, confidence, type Finding, type Severity } from './violation.ts';
import type { Words } from './words.ts';

/**
 * The content filter (nodeloom-api.md 3.8 `filterContent`, `contentCategories`): per-category
 * terms matched on whole words (content-lists.ts). A term inside an allow-phrase is cleared. One
 * violation per term occurrence: rule `content.<category>`, the term, its span. A phrase (several
 * words) is 0.9 confident, a single word 0.75. Linear: one phrase-matcher pass for the terms and
 * one for the allow-phrases, then one sweep.
 */

interface TermPattern extends PhrasePattern {
  category: ContentCategory;
  term: string;
}

const SEVERITY: Record<ContentCategory, Severity> = {
  hate: 'HIGH',
  harassment: 'MEDIUM',
  violence: 'HIGH',
  self_harm: 'HIGH',
  sexual: 'MEDIUM',
};

const TERMS = new PhraseMatcher<TermPattern>(
  (Object.entries(CONTENT_TERMS) as Array<[ContentCategory, readonly string[]]>).flatMap(([category, terms]) =>
    terms.map((term) => ({ id: `content.${category}`, category, term, slots: [[term]] })),
  ),
);
const ALLOWED = new PhraseMatcher(ALLOW_PHRASES.map((phrase, index) => ({ id: `allow.${index}`, slots: [[phrase]] })));

/**
 * Runs the filter for the given categories.
 * @returns findings in text order; when several terms start at one word, only the longest counts
 */
export function detectContent(words: Words, categories: ReadonlySet<ContentCategory>): Finding[] {
  // For each word, the last word of the furthest-reaching allow-phrase that covers it.
  const allowedUntil = new Int32Array(words.count).fill(-1);
  for (const m of ALLOWED.match(words)) {
    for (let w = m.first; w <= m.last; w += 1) allowedUntil[w] = Math.max(allowedUntil[w]!, m.last);
  }
  const findings: Finding[] = [];
  let coveredUntil = -1;
  const matches = TERMS.match(words)
    .filter((m) => categories.has(m.pattern.category))
    .sort((a, b) => a.first - b.first || b.last - a.last);
  for (const m of matches) {
    if (m.last <= coveredUntil) continue; // inside a longer term already reported ("pipe bomb" ⊃ "bomb")
    if (allowedUntil[m.first]! >= m.last) continue; // wholly inside an allow-phrase
    coveredUntil = m.last;
    const start = words.start[m.first]!;
    const end = words.end[m.last]!;
    const { category, term } = m.pattern;
    findings.push({
      type: 'CONTENT_FILTER',
      severity: SEVERITY[category],
      message: `Content filter (${category}): "${term}" at ${start}–${end}.`,
      confidence: confidence(m.last > m.first ? 0.9 : 0.75),
      details: { rule: `content.${category}`, start, end, match: clip(words.text.slice(start, end)), category, term },
    });
  }
  return findings;
}
