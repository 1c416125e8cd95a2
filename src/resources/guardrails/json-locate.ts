/**
 * Finds where a value of a JSON text lies, by JSON Pointer (RFC 6901, as ajv's `instancePath`
 * gives it: `/user/0/age`), so a schema violation can name the span of the offending value. The
 * text must be valid JSON (it was parsed first). One forward scan that skips every value off the
 * path: linear in the text.
 */

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i += 1;
  }
  return i;
}

/** The index just past the string starting at `i` (a `"`). */
function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 1;
    else if (c === 0x22) return j + 1;
  }
  return text.length;
}

/** The index just past the value starting at `i`. */
function endOfValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return endOfString(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const d = text.charCodeAt(j);
      if (d === 0x22) j = endOfString(text, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth += 1;
      else if (d === 0x7d || d === 0x5d) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j += 1;
  return j;
}

/**
 * The `[start, end)` span of the value at `pointer` in the JSON `text`, or null when the path is
 * not there. With a repeated object key the last one is used, as `JSON.parse` does.
 */
export function locateJson(text: string, pointer: string): [number, number] | null {
  const path = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let i = skipSpace(text, 0);
  for (const segment of path) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      let found = -1;
      i = skipSpace(text, i + 1);
      while (i < text.length && text.charCodeAt(i) === 0x22) {
        const keyEnd = endOfString(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = skipSpace(text, keyEnd);
        i = skipSpace(text, i + 1); // past ':'
        if (key === segment) found = i;
        i = skipSpace(text, endOfValue(text, i));
        if (text.charCodeAt(i) === 0x2c) i = skipSpace(text, i + 1);
      }
      if (found < 0) return null;
      i = found;
    } else if (c === 0x5b) {
      const index = /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0) return null;
      i = skipSpace(text, i + 1);
      for (let k = 0; k < index; k += 1) {
        if (text.charCodeAt(i) === 0x5d) return null;
        i = skipSpace(text, endOfValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) return null;
        i = skipSpace(text, i + 1);
      }
      if (text.charCodeAt(i) === 0x5d) return null;
    } else {
      return null;
    }
  }
  return [i, endOfValue(text, i)];
}
