import { closedQuotes } from './quotes.ts';

/**
 * The word tokeniser shared by the word-based detectors (prompt injection, content filter, custom
 * keyword rules, semantic similarity): one linear pass over the text, no regular expression over
 * the whole text. Words are maximal runs of letters, digits and combining marks; each Han, kana
 * character is a word of its own (those scripts write no spaces), so phrases in Chinese and
 * Japanese match too. Offsets are UTF-16 code units into the original text.
 *
 * Each word carries a normalised form for matching: lower case, accents stripped (NFKD without
 * combining marks, so "précédentes" matches "precedentes" and full-width "ｉｇｎｏｒｅ" matches
 * "ignore"), Cyrillic/Greek look-alikes inside Latin words folded ("ignоre" with a Cyrillic о),
 * zero-width characters inside a word skipped; and, for words mixing letters with digits, a
 * de-leeted alternative ("1gn0re" → "ignore"). Flags record which of those tricks a word used, so
 * detectors can count the obfuscation as evidence.
 */

/** Word flags. */
export const ZERO_WIDTH = 1;
export const HOMOGLYPH = 2;
export const FULLWIDTH = 4;
/** The word lies inside a closed pair of double quotes on one line ("…", “…”, «…», 「…」). */
export const QUOTED = 8;
/** The word is the first on its line. */
export const LINE_START = 16;
/** A `:` follows the word directly. */
export const BEFORE_COLON = 32;

/** The words of a text, as parallel arrays (index = word number). */
export interface Words {
  readonly text: string;
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Normalised form (see the module comment). */
  readonly norm: string[];
  /** De-leeted form of words mixing letters and digits, else undefined. */
  readonly alt: Array<string | undefined>;
  readonly flags: Uint8Array;
  /** Sentence number: `.`, `!`, `?`, `;`, a newline and their CJK forms end a sentence. */
  readonly sentence: Int32Array;
  /** Closed double-quote pairs on one line, as [open, close] offsets, in order. */
  readonly quotes: ReadonlyArray<readonly [number, number]>;
}

const ZERO_WIDTH_CHARS = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const SINGLE_CHAR_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const MARKS = /\p{M}/gu;
/** Cyrillic and Greek letters that look like Latin ones, folded inside words that also hold Latin letters. */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g',
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', І: 'i', Ј: 'j', Ѕ: 's',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', Α: 'a', Β: 'b', Ε: 'e', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Χ: 'x',
};
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b' };
const LONGEST_NORMALISED = 256;

/** Han, Hiragana and Katakana: each such character is a word of its own. Fast ranges first, then the script test. */
function isSingleCharWord(code: number): boolean {
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3041 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x4dbf)) return code !== 0x30fc && code !== 0x30fb && code !== 0x30a0;
  return code >= 0x2e80 && SINGLE_CHAR_WORD.test(String.fromCodePoint(code));
}

/** Whether a code point is a word character (letter, digit, combining mark). ASCII and CJK without a regex. */
function isWordCode(code: number): boolean {
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  if (code >= 0x4e00 && code <= 0x9fff) return true;
  if (code >= 0x3041 && code <= 0x30ff && code !== 0x30a0 && code !== 0x30fb) return true;
  return WORD_CHAR.test(String.fromCodePoint(code));
}

function isSentenceEnd(code: number): boolean {
  return code === 0x2e || code === 0x21 || code === 0x3f || code === 0x3b || code === 0x0a || code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0xff1b;
}

/** The words found so far and the state of the pass (one object, so the loop has no closures). */
interface Builder {
  text: string;
  start: number[];
  end: number[];
  flags: number[];
  sentence: number[];
  norm: string[];
  alt: Array<string | undefined>;
  open: number;
  wordFlags: number;
  zeroWidth: boolean;
  sentenceNo: number;
  sentenceHasWords: boolean;
  lineStart: boolean;
}

/** Ends the open word at `at`, normalising it. */
function closeWord(b: Builder, at: number): void {
  const text = b.text;
  let word = text.slice(b.open, at);
  if (b.zeroWidth) word = [...word].filter((ch) => !ZERO_WIDTH_CHARS.has(ch.codePointAt(0)!)).join('');
  let flags = b.wordFlags | (b.lineStart ? LINE_START : 0) | (text.charCodeAt(at) === 0x3a ? BEFORE_COLON : 0);
  const normalised = normalise(word);
  const norm = normalised[0];
  if (normalised[1]) flags |= HOMOGLYPH;
  b.start.push(b.open);
  b.end.push(at);
  b.flags.push(flags);
  b.sentence.push(b.sentenceNo);
  b.norm.push(norm);
  b.alt.push(deleet(norm));
  b.sentenceHasWords = true;
  b.lineStart = false;
  b.open = -1;
}

/**
 * Splits a text into words in one pass (plus one pass over the quote pairs it found).
 * Cost: linear in `text.length`; normalisation work is per word and bounded.
 */
export function tokenizeWords(text: string): Words {
  const b: Builder = {
    text, start: [], end: [], flags: [], sentence: [], norm: [], alt: [],
    open: -1, wordFlags: 0, zeroWidth: false, sentenceNo: 0, sentenceHasWords: false, lineStart: true,
  };
  const quotes = closedQuotes(text);
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (code >= 0x80 && ZERO_WIDTH_CHARS.has(code)) {
      if (b.open >= 0) {
        b.zeroWidth = true;
        b.wordFlags |= ZERO_WIDTH;
      }
      continue;
    }
    if (isWordCode(code)) {
      if (code >= 0x2e80 && isSingleCharWord(code)) {
        if (b.open >= 0) closeWord(b, i);
        b.open = i;
        b.wordFlags = 0;
        b.zeroWidth = false;
        closeWord(b, i + width);
      } else {
        if (b.open < 0) {
          b.open = i;
          b.wordFlags = 0;
          b.zeroWidth = false;
        }
        if (code >= 0xff01 && code <= 0xff5e) b.wordFlags |= FULLWIDTH;
      }
    } else {
      if (b.open >= 0) closeWord(b, i);
      if (b.sentenceHasWords && isSentenceEnd(code)) {
        b.sentenceNo += 1;
        b.sentenceHasWords = false;
      }
      if (code === 0x0a) b.lineStart = true;
    }
    i += width - 1;
  }
  if (b.open >= 0) closeWord(b, text.length);

  const count = b.start.length;
  const flags = Uint8Array.from(b.flags);
  let q = 0;
  for (let w = 0; w < count && q < quotes.length; w += 1) {
    while (q < quotes.length && quotes[q]![1] <= b.start[w]!) q += 1;
    const pair = quotes[q];
    if (pair && pair[0] < b.start[w]! && b.end[w]! <= pair[1]) flags[w]! |= QUOTED;
  }
  return {
    text,
    count,
    start: Int32Array.from(b.start),
    end: Int32Array.from(b.end),
    norm: b.norm,
    alt: b.alt,
    flags,
    sentence: Int32Array.from(b.sentence),
    quotes,
  };
}

/**
 * The matching form of a word or phrase word: lower case, accents and marks stripped, look-alikes
 * folded when the word also holds Latin letters. Also used to compile phrase lists, so both sides
 * normalise the same way.
 * @returns the form and whether look-alikes were folded
 */
export function normalise(word: string): [string, boolean] {
  let ascii = true;
  for (let i = 0; i < word.length; i += 1) {
    if (word.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return [word.toLowerCase(), false];
  if (word.length === 1 && isSingleCharWord(word.charCodeAt(0))) return [word, false];
  if (word.length > LONGEST_NORMALISED) return [word.toLowerCase(), false];
  let folded = false;
  let source = word;
  if (/[A-Za-z]/.test(word)) {
    let out = '';
    for (const ch of word) {
      const latin = CONFUSABLES[ch];
      if (latin) folded = true;
      out += latin ?? ch;
    }
    source = out;
  }
  return [source.normalize('NFKD').replace(MARKS, '').toLowerCase(), folded];
}

/** The de-leeted form of a word mixing ASCII letters and digits ("1gn0re" → "ignore"), else undefined. */
function deleet(word: string): string | undefined {
  if (word.length > 64) return undefined;
  let letters = false;
  let digits = false;
  for (let i = 0; i < word.length; i += 1) {
    const c = word.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits = true;
    else if (c >= 0x61 && c <= 0x7a) letters = true;
  }
  if (!letters || !digits) return undefined;
  let out = '';
  for (const ch of word) out += LEET[ch] ?? ch;
  return out;
}
