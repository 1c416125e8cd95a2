import { tokenizeWords, type Words } from './words.ts';

/**
 * Phrase patterns over words, matched in linear time: no regular expression runs over the text.
 * A pattern is a list of slots; each slot lists alternatives, each alternative a phrase (tokenised
 * and normalised like the text, so "assassin's creed" is the words assassin, s, creed and "忽略" is
 * the words 忽, 略). A pattern matches when its first slot matches at a word and every later slot
 * matches within `gap` words after the previous one, all in one sentence. Each word is tried only
 * against the patterns whose first slot starts with that word, and each try looks at a bounded
 * number of words (slots × (gap + 1) × alternative length), so matching is linear in the text.
 */

/** A phrase pattern as written in the detectors' lists. */
export interface PhrasePattern {
  /** Rule id reported in violation details. */
  id: string;
  /** Slots in order; each holds alternative phrases. */
  slots: string[][];
  /** Words allowed between consecutive slots (default 0: the phrase words are adjacent). */
  gap?: number;
}

/** A match: the pattern and its first and last word (inclusive). */
export interface PhraseMatch<P extends PhrasePattern> {
  pattern: P;
  first: number;
  last: number;
  /** Whether a word matched only through its de-leeted form. */
  leet: boolean;
}

interface Compiled<P> {
  pattern: P;
  slots: string[][][];
  gap: number;
}

/** A compiled set of patterns. */
export class PhraseMatcher<P extends PhrasePattern> {
  readonly #byFirstWord = new Map<string, Array<Compiled<P>>>();

  /** @throws Error when a pattern has an empty slot or an alternative without words (a list typo) */
  constructor(patterns: readonly P[]) {
    for (const pattern of patterns) {
      const slots = pattern.slots.map((alternatives) =>
        alternatives.map((phrase) => {
          const words = phraseWords(phrase);
          if (words.length === 0) throw new Error(`phrase pattern ${pattern.id}: "${phrase}" has no words`);
          return words;
        }),
      );
      if (slots.length === 0 || slots.some((s) => s.length === 0)) throw new Error(`phrase pattern ${pattern.id}: empty slot`);
      const compiled: Compiled<P> = { pattern, slots, gap: pattern.gap ?? 0 };
      for (const first of new Set(slots[0]!.map((words) => words[0]!))) {
        let list = this.#byFirstWord.get(first);
        if (!list) this.#byFirstWord.set(first, (list = []));
        list.push(compiled);
      }
    }
  }

  /** Every match in the text's words, in order of first word. */
  match(words: Words): Array<PhraseMatch<P>> {
    const found: Array<PhraseMatch<P>> = [];
    for (let w = 0; w < words.count; w += 1) {
      this.#tryAt(words, w, this.#byFirstWord.get(words.norm[w]!), found);
      const alt = words.alt[w];
      if (alt !== undefined) this.#tryAt(words, w, this.#byFirstWord.get(alt), found);
    }
    return found;
  }

  #tryAt(words: Words, w: number, candidates: Array<Compiled<P>> | undefined, found: Array<PhraseMatch<P>>): void {
    if (!candidates) return;
    for (const compiled of candidates) {
      const result = matchAt(words, w, compiled);
      if (result) found.push({ pattern: compiled.pattern, first: w, last: result.last, leet: result.leet });
    }
  }
}

/** The normalised words of a phrase, as the text's words would be. */
export function phraseWords(phrase: string): string[] {
  return tokenizeWords(phrase).norm;
}

function wordIs(words: Words, w: number, expected: string): 0 | 1 | 2 {
  if (words.norm[w] === expected) return 1;
  if (words.alt[w] === expected) return 2;
  return 0;
}

/** Whether `alternative` matches the words from `w` on, in one sentence. @returns 0 no, 1 yes, 2 yes via a de-leeted word */
function phraseAt(words: Words, w: number, alternative: string[], sentence: number): 0 | 1 | 2 {
  if (w + alternative.length > words.count) return 0;
  let how: 0 | 1 | 2 = 1;
  for (let k = 0; k < alternative.length; k += 1) {
    if (words.sentence[w + k] !== sentence) return 0;
    const r = wordIs(words, w + k, alternative[k]!);
    if (r === 0) return 0;
    if (r === 2) how = 2;
  }
  return how;
}

function matchAt<P>(words: Words, w: number, compiled: Compiled<P>): { last: number; leet: boolean } | null {
  const sentence = words.sentence[w]!;
  let leet = false;
  let next = w;
  for (let s = 0; s < compiled.slots.length; s += 1) {
    const window = s === 0 ? 0 : compiled.gap;
    let matched = -1;
    for (let at = next; at <= next + window && at < words.count && matched < 0; at += 1) {
      if (words.sentence[at] !== sentence) break;
      for (const alternative of compiled.slots[s]!) {
        const how = phraseAt(words, at, alternative, sentence);
        if (how) {
          if (how === 2) leet = true;
          matched = at + alternative.length;
          break;
        }
      }
    }
    if (matched < 0) return null;
    next = matched;
  }
  return { last: next - 1, leet };
}

/**
 * Fixed markers found in the raw text (chat-template tokens and the like), ASCII case-insensitive,
 * in linear time: each position is compared only with the markers starting with its character.
 */
export class LiteralMatcher<L extends { id: string; literal: string }> {
  readonly #byFirst = new Map<number, L[]>();

  constructor(literals: readonly L[]) {
    // Longest first, so a longer marker wins over a shorter one at the same position.
    for (const entry of [...literals].sort((a, b) => b.literal.length - a.literal.length)) {
      const first = lower(entry.literal.charCodeAt(0));
      let list = this.#byFirst.get(first);
      if (!list) this.#byFirst.set(first, (list = []));
      list.push(entry);
    }
  }

  /** Every occurrence as `{entry, start, end}`, in order; occurrences of one marker do not overlap. */
  match(text: string): Array<{ entry: L; start: number; end: number }> {
    const found: Array<{ entry: L; start: number; end: number }> = [];
    for (let i = 0; i < text.length; i += 1) {
      const list = this.#byFirst.get(lower(text.charCodeAt(i)));
      if (!list) continue;
      for (const entry of list) {
        if (startsWithFolded(text, i, entry.literal)) {
          found.push({ entry, start: i, end: i + entry.literal.length });
          break;
        }
      }
    }
    return found;
  }
}

function lower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 32 : code;
}

function startsWithFolded(text: string, at: number, literal: string): boolean {
  if (at + literal.length > text.length) return false;
  for (let k = 0; k < literal.length; k += 1) {
    if (lower(text.charCodeAt(at + k)) !== lower(literal.charCodeAt(k))) return false;
  }
  return true;
}
