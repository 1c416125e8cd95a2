import { SEMANTIC_EXEMPLARS, SEMANTIC_THRESHOLD, STOP_WORDS } from './semantic-exemplars.ts';
import { clip, confidence, type Finding } from './violation.ts';
import type { Words } from './words.ts';

/**
 * The semantic-manipulation detector (nodeloom-api.md 3.8 `detectSemanticManipulation`,
 * "embedding similarity"). A stand-in for the real embedding model: each sentence (or, in a
 * sentence of more than 40 content words, each window of 24 with a stride of 12) becomes the set
 * of its content words (stop words dropped, light suffix stemming), compared with every exemplar
 * (semantic-exemplars.ts) by set cosine `|S ∩ E| / √(|S|·|E|)`. A segment sharing at least 3
 * terms with an exemplar at similarity ≥ 0.6 is a violation (rule `semantic.<exemplar id>`).
 * Deterministic, and linear: each word is looked up once per segment it is in (at most two) in an
 * inverted index of the exemplars.
 */

const MIN_SHARED = 3;
const LONG_SEGMENT = 40;
const WINDOW = 24;
const STRIDE = 12;

/** The light stem of a word: `-ing`, `-ed`, `-es`/`-s`, then a final `-e` dropped on longer words. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function contentTerms(words: readonly string[]): Set<string> {
  const terms = new Set<string>();
  for (const word of words) if (!STOP_WORDS.has(word) && word.length > 1) terms.add(stem(word));
  return terms;
}

const EXEMPLAR_TERMS = SEMANTIC_EXEMPLARS.map((e) => contentTerms(e.text.toLowerCase().split(/[^a-z]+/)));
const INDEX = new Map<string, number[]>();
EXEMPLAR_TERMS.forEach((terms, id) => {
  for (const term of terms) {
    let list = INDEX.get(term);
    if (!list) INDEX.set(term, (list = []));
    list.push(id);
  }
});

/** A segment of the text: the word indexes of its content words. */
function segments(words: Words): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let sentence = -1;
  const flush = () => {
    if (current.length <= LONG_SEGMENT) out.push(current);
    else for (let s = 0; s < current.length; s += STRIDE) {
      out.push(current.slice(s, s + WINDOW));
      if (s + WINDOW >= current.length) break;
    }
    current = [];
  };
  for (let w = 0; w < words.count; w += 1) {
    if (words.sentence[w] !== sentence) {
      if (current.length) flush();
      sentence = words.sentence[w]!;
    }
    if (!STOP_WORDS.has(words.norm[w]!) && words.norm[w]!.length > 1) current.push(w);
  }
  if (current.length) flush();
  return out;
}

/** Runs the detector: one finding per segment that resembles an exemplar (the closest one). */
export function detectSemantic(words: Words): Finding[] {
  const findings: Finding[] = [];
  const shared = new Int32Array(SEMANTIC_EXEMPLARS.length);
  for (const segment of segments(words)) {
    const terms = new Set(segment.map((w) => stem(words.norm[w]!)));
    shared.fill(0);
    for (const term of terms) for (const id of INDEX.get(term) ?? []) shared[id]! += 1;
    let best = -1;
    let bestScore = 0;
    for (let id = 0; id < shared.length; id += 1) {
      if (shared[id]! < MIN_SHARED) continue;
      const score = shared[id]! / Math.sqrt(terms.size * EXEMPLAR_TERMS[id]!.size);
      if (score > bestScore) [best, bestScore] = [id, score];
    }
    if (best < 0 || bestScore < SEMANTIC_THRESHOLD) continue;
    const exemplar = SEMANTIC_EXEMPLARS[best]!;
    const start = words.start[segment[0]!]!;
    const end = words.end[segment[segment.length - 1]!]!;
    const similarity = confidence(bestScore);
    findings.push({
      type: 'SEMANTIC_MANIPULATION',
      severity: similarity >= 0.75 ? 'HIGH' : 'MEDIUM',
      message: `Semantic manipulation: text at ${start}–${end} resembles the "${exemplar.id}" exemplar (similarity ${similarity} ≥ ${SEMANTIC_THRESHOLD}; word-overlap stand-in for an embedding model).`,
      confidence: similarity,
      details: {
        rule: `semantic.${exemplar.id}`,
        start,
        end,
        match: clip(words.text.slice(start, end)),
        exemplar: exemplar.text,
        similarity,
        sharedTerms: [...terms].filter((t) => EXEMPLAR_TERMS[best]!.has(t)),
      },
    });
  }
  return findings;
}
