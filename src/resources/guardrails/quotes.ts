/**
 * Quotation pairs, for telling a phrase that is quoted (mentioned, as in an article about prompt
 * injection) from one that is addressed to the model. A pair opens and closes on one line: `"…"`,
 * `“…”`, `„…“`, `«…»`, `「…」`, `『…』`; an unclosed quote at the end of a line is no pair.
 */

const QUOTE_PAIRS: Record<number, number[]> = {
  0x22: [0x22], // "…"
  0x201c: [0x201d], // “…”
  0x201e: [0x201c, 0x201d], // „…“
  0xab: [0xbb], // «…»
  0x300c: [0x300d], // 「…」
  0x300e: [0x300f], // 『…』
};

/** Whether `[start, end)` lies inside one closed quote pair of `quotes`. O(log n). */
export function insideQuotes(quotes: ReadonlyArray<readonly [number, number]>, start: number, end: number): boolean {
  let lo = 0;
  let hi = quotes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [open, close] = quotes[mid]!;
    if (close < end) lo = mid + 1;
    else if (open >= start) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Closed quote pairs on one line, as [open, close] offsets, in order. Linear. */
export function closedQuotes(text: string): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let openAt = -1;
  let closers: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      openAt = -1;
    } else if (openAt >= 0 && closers.includes(c)) {
      pairs.push([openAt, i]);
      openAt = -1;
    } else if (openAt < 0 && QUOTE_PAIRS[c]) {
      openAt = i;
      closers = QUOTE_PAIRS[c]!;
    }
  }
  return pairs;
}
