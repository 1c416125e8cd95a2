/**
 * A Fetch `Headers` (WHATWG Fetch 5.1) for the core's own requests and answers: the node host's
 * requests (src/hosts/node-request.ts) and every answer built whole (src/core/respond.ts).
 *
 * Why not undici's: on the CLI's bench path (issue 13), undici's `Response` and `Headers` (brand
 * checks, WebIDL conversions, a sorted copy per iteration) were ~11 % of the instructions the CLI
 * spends per request (callgrind, 1,000 requests after a warm-up: 988 → 876 thousand per request
 * with this class and {@link WholeResponse}). Behaviour is undici's, as test/light-headers.test.ts
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

/** WebIDL's ByteString conversion, with undici's message. */
function byteString(input: unknown): string {
  const text = String(input);
  const bad = NOT_BYTE.exec(text);
  if (bad) {
    const code = text.charCodeAt(bad.index);
    throw new TypeError(`Cannot convert argument to a ByteString because the character at index ${bad.index} has a value of ${code} which is greater than 255.`);
  }
  return text;
}

const invalid = (operation: Operation, what: 'name' | 'value', text: string) =>
  new TypeError(`Headers.${operation === 'constructor' ? 'append' : operation}: "${text}" is an invalid header ${what}.`);

/** HTTP whitespace (tab, LF, CR, space), by char code. */
const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A header name (converted to a ByteString, checked) in lower case. */
function headerName(operation: Operation, input: unknown): string {
  // A token is ASCII, so a string that is one needs no ByteString check.
  if (typeof input === 'string' && TOKEN.test(input)) return input.toLowerCase();
  const name = byteString(input);
  if (!TOKEN.test(name)) throw invalid(operation, 'name', name);
  return name.toLowerCase();
}

/**
 * A name/value pair as undici takes it: both converted to ByteStrings first (WebIDL), then the
 * name checked, then the value (stripped of leading and trailing HTTP whitespace).
 */
function field(operation: Operation, nameInput: unknown, valueInput: unknown): [name: string, value: string] {
  if (typeof nameInput === 'string' && typeof valueInput === 'string' && TOKEN.test(nameInput) && !UNUSUAL_IN_VALUE.test(valueInput)) {
    // The usual case: a token and a value of plain characters; strip only when an edge is whitespace.
    const last = valueInput.length - 1;
    const plain = last < 0 || (!isWhitespace(valueInput.charCodeAt(0)) && !isWhitespace(valueInput.charCodeAt(last)));
    return [nameInput.toLowerCase(), plain ? valueInput : valueInput.replace(EDGE_WHITESPACE, '')];
  }
  const name = byteString(nameInput);
  const raw = byteString(valueInput);
  if (!TOKEN.test(name)) throw invalid(operation, 'name', name);
  const value = raw.replace(EDGE_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(value)) throw invalid(operation, 'value', value);
  return [name.toLowerCase(), value];
}

/**
 * `Headers` with undici's behaviour and a fraction of its cost (see the module comment). Accepts
 * what `new Headers(init)` accepts: another `Headers`, a sequence of name/value pairs, or a record.
 * @throws TypeError for a name that is not a token, a value with NUL, CR or LF, a character above
 *   U+00FF, or an init that is none of the above (undici's messages)
 */
export class LightHeaders implements Headers {
  /** Lower-case name → value (repeated values joined with ", "), except Set-Cookie. */
  #fields = new Map<string, string>();
  #cookies: string[] = [];

  constructor(init?: HeadersInit | Iterable<readonly [string, string]>) {
    if (init === undefined) return;
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
      throw new TypeError('Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
    }
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${pair.length}.`);
        this.#add('constructor', pair[0], pair[1]);
      }
      return;
    }
    for (const key of Object.keys(init)) this.#add('constructor', key, (init as Record<string, string>)[key]);
  }

  #add(operation: Operation, nameInput: unknown, valueInput: unknown): void {
    const [name, value] = field(operation, nameInput, valueInput);
    if (name === 'set-cookie') {
      this.#cookies.push(value);
      return;
    }
    const existing = this.#fields.get(name);
    this.#fields.set(name, existing === undefined ? value : `${existing}, ${value}`);
  }

  append(name: string, value: string): void {
    this.#add('append', name, value);
  }

  set(nameInput: string, valueInput: string): void {
    const [name, value] = field('set', nameInput, valueInput);
    if (name === 'set-cookie') this.#cookies = [value];
    else this.#fields.set(name, value);
  }

  get(nameInput: string): string | null {
    const name = headerName('get', nameInput);
    if (name === 'set-cookie') return this.#cookies.length > 0 ? this.#cookies.join(', ') : null;
    return this.#fields.get(name) ?? null;
  }

  has(nameInput: string): boolean {
    const name = headerName('has', nameInput);
    return name === 'set-cookie' ? this.#cookies.length > 0 : this.#fields.has(name);
  }

  delete(nameInput: string): void {
    const name = headerName('delete', nameInput);
    if (name === 'set-cookie') this.#cookies = [];
    else this.#fields.delete(name);
  }

  getSetCookie(): string[] {
    return [...this.#cookies];
  }

  /** Calls `callback(value, name, this)` for each entry, in iteration order (see {@link entries}). */
  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#sorted()) callback.call(thisArg, value, name, this);
  }

  /** Sorted by name; each Set-Cookie value is an entry of its own ("sort and combine", Fetch 5.1). */
  entries(): HeadersIterator<[string, string]> {
    return this.#sorted()[Symbol.iterator]() as HeadersIterator<[string, string]>;
  }

  keys(): HeadersIterator<string> {
    return this.#sorted().map(([name]) => name)[Symbol.iterator]() as HeadersIterator<string>;
  }

  values(): HeadersIterator<string> {
    return this.#sorted().map(([, value]) => value)[Symbol.iterator]() as HeadersIterator<string>;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** The entries, sorted; a snapshot, so changes during a loop do not disturb it (as undici's). */
  #sorted(): Array<[string, string]> {
    const names = [...this.#fields.keys()];
    if (this.#cookies.length > 0) names.push('set-cookie');
    names.sort();
    const entries: Array<[string, string]> = [];
    for (const name of names) {
      if (name === 'set-cookie') for (const cookie of this.#cookies) entries.push([name, cookie]);
      else entries.push([name, this.#fields.get(name)!]);
    }
    return entries;
  }
}
