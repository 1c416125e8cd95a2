/**
 * A Fetch `Headers` (WHATWG Fetch 5.1) for the core's own requests and answers: the node host's
 * requests (src/hosts/node-request.ts) and every answer built whole (src/core/respond.ts).
 *
 * Why not undici's: on the CLI's bench path (issue 13), undici's `Response` and `Headers` (brand
 * checks, WebIDL conversions, a sorted copy per iteration) were ~11 % of the instructions the CLI
 * spends per request (callgrind, 1,000 requests after a warm-up: 988 → 879 thousand per request
 * with this class and `WholeResponse`, src/core/respond.ts). Behaviour is undici's, as test/light-headers.test.ts
 * checks by running random operation sequences through both: names are case-insensitive and must
 * be HTTP tokens, values are ByteStrings without NUL, CR or LF once leading and trailing HTTP
 * whitespace is stripped, `get` joins repeated values with ", ", `Set-Cookie` values stay separate
 * (`getSetCookie`, iteration), iteration is sorted by name, and a refused name or value throws the
 * same TypeError message.
 */

/** An HTTP token (RFC 9110 5.6.2): what a header name must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Leading and trailing HTTP whitespace (Fetch: tab, LF, CR, space), stripped from values. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** What a value may not contain once stripped. */
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;
/** A character outside a ByteString (above U+00FF). */
const NOT_BYTE = /[^\0-\xFF]/;
/** Anything that needs the full checks of a value: NUL, CR, LF, or a character above U+00FF. */
const UNUSUAL_IN_VALUE = /[\0\n\r\u0100-\uffff]/;

type Operation = 'append' | 'set' | 'get' | 'has' | 'delete' | 'constructor';

/**
 * WebIDL's ByteString conversion, with undici's messages.
 * @param context how undici names the argument in its message: `Headers.append: name`, `Headers contructor: init[0][1]`
 */
function byteString(input: unknown, context: string): string {
  if (typeof input === 'symbol') throw new TypeError(`${context} is a symbol, which cannot be converted to a DOMString.`);
  const text = String(input);
  const bad = NOT_BYTE.exec(text);
  if (bad) {
    const code = text.charCodeAt(bad.index);
    throw new TypeError(`Cannot convert argument to a ByteString because the character at index ${bad.index} has a value of ${code} which is greater than 255.`);
  }
  return text;
}

/** undici's check of the argument count. */
function requireArguments(operation: Operation, given: number, needed: 1 | 2): void {
  if (given < needed) throw new TypeError(`Headers.${operation}: ${needed} argument${needed === 1 ? '' : 's'} required, but ${given === 0 ? '' : 'only '}${given} found.`);
}

const invalid = (operation: Operation, what: 'name' | 'value', text: string) =>
  new TypeError(`Headers.${operation === 'constructor' ? 'append' : operation}: "${text}" is an invalid header ${what}.`);

/** HTTP whitespace (tab, LF, CR, space), by char code. */
const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A header name (converted to a ByteString, checked) in lower case. */
function headerName(operation: Operation, input: unknown): string {
  // A token is ASCII, so a string that is one needs no ByteString check.
  if (typeof input === 'string' && TOKEN.test(input)) return input.toLowerCase();
  const name = byteString(input, `Headers.${operation}: name`);
  if (!TOKEN.test(name)) throw invalid(operation, 'name', name);
  return name.toLowerCase();
}

/**
 * A name/value pair as undici takes it: both converted to ByteStrings first (WebIDL), then the
 * name checked, then the value (stripped of leading and trailing HTTP whitespace).
 */
function field(operation: Operation, nameInput: unknown, valueInput: unknown, context?: string): [name: string, value: string] {
  if (typeof nameInput === 'string' && typeof valueInput === 'string' && TOKEN.test(nameInput) && !UNUSUAL_IN_VALUE.test(valueInput)) {
    // The usual case: a token and a value of plain characters; strip only when an edge is whitespace.
    const last = valueInput.length - 1;
    const plain = last < 0 || (!isWhitespace(valueInput.charCodeAt(0)) && !isWhitespace(valueInput.charCodeAt(last)));
    return [nameInput.toLowerCase(), plain ? valueInput : valueInput.replace(EDGE_WHITESPACE, '')];
  }
  const name = byteString(nameInput, context ? `${context}[0]` : `Headers.${operation}: name`);
  const raw = byteString(valueInput, context ? `${context}[1]` : `Headers.${operation}: value`);
  if (!TOKEN.test(name)) throw invalid(operation, 'name', name);
  const value = raw.replace(EDGE_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(value)) throw invalid(operation, 'value', value);
  return [name.toLowerCase(), value];
}

/**
 * `Headers` with undici's behaviour and a fraction of its cost (see the module comment). Accepts
 * what `new Headers(init)` accepts: another `Headers`, a sequence of name/value pairs (each any
 * iterable of two), or a record. Iteration is live, as undici's: an entry added or deleted during
 * a loop is seen by it.
 *
 * Hand it on as pairs (`[...headers]`), not as an init object: a `Headers` other than undici's
 * (happy-dom's, which vitest's happy-dom environment puts in place of the global) reads an object
 * that is neither its own class nor an array as a record, and would see no header at all.
 * @throws TypeError for a name that is not a token, a value with NUL, CR or LF, a character above
 *   U+00FF, a symbol, a missing argument, or an init that is none of the above (undici's messages)
 */
export class LightHeaders implements Headers {
  /** Lower-case name → value (repeated values joined with ", "), except Set-Cookie. */
  #fields = new Map<string, string>();
  #cookies: string[] = [];
  /** The sorted entries, until the next change. */
  #sortedCache: Array<[string, string]> | null = null;

  constructor(init?: HeadersInit | Iterable<Iterable<string>>) {
    if (init === undefined) return;
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
      throw new TypeError('Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
    }
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      let index = 0;
      for (const item of init as Iterable<unknown>) {
        const context = `Headers contructor: init[${index}]`; // undici's spelling
        if (typeof item !== 'object' || item === null) {
          throw new TypeError(`${context} (${typeof item === 'string' ? JSON.stringify(item) : String(item)}) is not iterable.`);
        }
        if (typeof (item as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new TypeError(`${context} is not iterable.`);
        const pair = [...(item as Iterable<unknown>)];
        if (pair.length !== 2) throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${pair.length}.`);
        this.#add('append', pair[0], pair[1], context);
        index += 1;
      }
      return;
    }
    // WebIDL record<ByteString, ByteString>: every own key, as undici reads it.
    for (const key of Reflect.ownKeys(init)) {
      if (typeof key === 'symbol') throw new TypeError('Headers contructor: init is a symbol, which cannot be converted to a DOMString.');
      const value: unknown = (init as Record<string, unknown>)[key];
      if (typeof value === 'symbol') throw new TypeError('Headers contructor: init is a symbol, which cannot be converted to a DOMString.');
      this.#add('append', key, value);
    }
  }

  #add(operation: Operation, nameInput: unknown, valueInput: unknown, context?: string): void {
    const [name, value] = field(operation, nameInput, valueInput, context);
    this.#sortedCache = null;
    if (name === 'set-cookie') {
      this.#cookies.push(value);
      return;
    }
    const existing = this.#fields.get(name);
    this.#fields.set(name, existing === undefined ? value : `${existing}, ${value}`);
  }

  append(name: string, value: string): void {
    requireArguments('append', arguments.length, 2);
    this.#add('append', name, value);
  }

  set(nameInput: string, valueInput: string): void {
    requireArguments('set', arguments.length, 2);
    const [name, value] = field('set', nameInput, valueInput);
    this.#sortedCache = null;
    if (name === 'set-cookie') this.#cookies = [value];
    else this.#fields.set(name, value);
  }

  get(nameInput: string): string | null {
    requireArguments('get', arguments.length, 1);
    const name = headerName('get', nameInput);
    if (name === 'set-cookie') return this.#cookies.length > 0 ? this.#cookies.join(', ') : null;
    return this.#fields.get(name) ?? null;
  }

  has(nameInput: string): boolean {
    requireArguments('has', arguments.length, 1);
    const name = headerName('has', nameInput);
    return name === 'set-cookie' ? this.#cookies.length > 0 : this.#fields.has(name);
  }

  delete(nameInput: string): void {
    requireArguments('delete', arguments.length, 1);
    const name = headerName('delete', nameInput);
    this.#sortedCache = null;
    if (name === 'set-cookie') this.#cookies = [];
    else this.#fields.delete(name);
  }

  getSetCookie(): string[] {
    return [...this.#cookies];
  }

  /** Calls `callback(value, name, this)` for each entry, in iteration order (see {@link entries}). */
  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg: unknown = globalThis): void {
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    for (let index = 0; index < this.#sorted().length; index += 1) {
      const [name, value] = this.#sorted()[index]!;
      callback.call(thisArg, value, name, this);
    }
  }

  /**
   * Sorted by name; each Set-Cookie value is an entry of its own ("sort and combine", Fetch 5.1).
   * Each entry is a new pair, so a caller that changes one does not change these headers.
   */
  entries(): HeadersIterator<[string, string]> {
    return this.#iterate(([name, value]) => [name, value]);
  }

  keys(): HeadersIterator<string> {
    return this.#iterate(([name]) => name);
  }

  values(): HeadersIterator<string> {
    return this.#iterate(([, value]) => value);
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** A live iterator, as undici's: it reads the sorted entries as they are at each step, by position. */
  #iterate<T>(map: (entry: [string, string]) => T): HeadersIterator<T> {
    let index = 0;
    const iterator = {
      next: (): IteratorResult<T, undefined> => {
        const sorted = this.#sorted();
        if (index >= sorted.length) return { done: true, value: undefined };
        return { done: false, value: map(sorted[index++]!) };
      },
      [Symbol.iterator]: () => iterator,
    };
    return iterator as unknown as HeadersIterator<T>;
  }

  /** The entries in iteration order, kept until the next change (never handed out as they are). */
  #sorted(): Array<[string, string]> {
    if (this.#sortedCache) return this.#sortedCache;
    const names = [...this.#fields.keys()];
    if (this.#cookies.length > 0) names.push('set-cookie');
    names.sort();
    const entries: Array<[string, string]> = [];
    for (const name of names) {
      if (name === 'set-cookie') for (const cookie of this.#cookies) entries.push([name, cookie]);
      else entries.push([name, this.#fields.get(name)!]);
    }
    return (this.#sortedCache = entries);
  }
}
