import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LightHeaders } from '../src/core/light-headers.ts';
import { materialize, textResponse, WholeResponse, wholeBodyOf } from '../src/core/respond.ts';
import { testSandbox } from './helpers.ts';

/**
 * The core's own `Headers` (src/core/light-headers.ts) and whole-body `Response`
 * (src/core/respond.ts WholeResponse) behave as undici's: random sequences of operations run
 * through a `LightHeaders` and an undici `Headers` side by side must give the same answers, the
 * same thrown TypeErrors (messages included) and the same iteration after every step. The seed is
 * fixed; `HEADERS_RUNS` (default 400) and `HEADERS_SEED` allow longer or different local runs.
 */

// Names and values near the edges: case, tokens and non-tokens, whitespace, CR/LF/NUL, Latin-1
// and above, Set-Cookie (kept apart), repeated names.
const name = fc.oneof(
  fc.constantFrom('content-type', 'Content-Type', 'x-a', 'X-A', 'set-cookie', 'Set-Cookie', 'vary', 'a', 'b', 'Z', '', 'bad name', 'x:y', 'é', 'x\u0100', '!#$%&\'*+-.^_`|~'),
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,8}$/),
  fc.string({ maxLength: 6 }),
);
const value = fc.oneof(
  fc.constantFrom('', ' ', 'text/html', ' padded\t', 'a, b', 'x\r\ny', 'nul\0', '\tLeading', 'café', 'snow\u2603', 'a=1; Path=/', '\n', 'é'),
  fc.string({ maxLength: 10 }),
);
const operation = fc.oneof(
  fc.record({ op: fc.constant('append' as const), name, value }),
  fc.record({ op: fc.constant('set' as const), name, value }),
  fc.record({ op: fc.constant('delete' as const), name }),
  fc.record({ op: fc.constant('get' as const), name }),
  fc.record({ op: fc.constant('has' as const), name }),
);
type Operation = { op: 'append' | 'set'; name: string; value: string } | { op: 'delete' | 'get' | 'has'; name: string };

/** What an operation answered: its value, or the TypeError it threw (class and message). */
function outcome(headers: Headers, step: Operation): unknown {
  try {
    const result = step.op === 'append' || step.op === 'set' ? headers[step.op](step.name, step.value) : headers[step.op](step.name);
    return { result };
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const view = (headers: Headers) => ({ entries: [...headers], keys: [...headers.keys()], values: [...headers.values()], cookies: headers.getSetCookie() });

describe('LightHeaders against undici Headers', () => {
  it('answers, throws and iterates as undici does for random operation sequences', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), (steps) => {
        const light = new LightHeaders();
        const undici = new Headers();
        for (const step of steps) {
          expect(outcome(light, step)).toEqual(outcome(undici, step));
          expect(view(light)).toEqual(view(undici));
        }
      }),
      { seed: Number(process.env.HEADERS_SEED ?? 20261203), numRuns: Number(process.env.HEADERS_RUNS ?? 400) },
    );
  });

  it('takes the same constructor arguments, and refuses the same ones with the same message', () => {
    const hidden = Object.defineProperty({ a: '1' }, 'hidden', { value: '2', enumerable: false });
    const inits: unknown[] = [
      [['B', ' 1 '], ['a', '2'], ['Set-Cookie', 'x=1'], ['set-cookie', 'y=2'], ['a', '3']],
      [new Set(['a', 'b'])],
      ['ab', 'cd'],
      [null],
      [5],
      [{}],
      [[Symbol('n'), 'x']],
      { a: Symbol('v') },
      { a: '1', [Symbol('k')]: '2' },
      hidden,
      { 'Content-Type': 'application/json', 'x-n': 1 },
      new Headers([['x', 'y'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]),
      new Map([['k', 'v']]),
      [['only-one']],
      [['a', 'b', 'c']],
      [['bad name', 'x']],
      [['a', 'x\ny']],
      { a: 'é\u0100' },
      5,
      'a',
      null,
      undefined,
    ];
    const build = (make: () => Headers) => {
      try {
        return { entries: [...make()] };
      } catch (error) {
        return { threw: (error as Error).constructor.name, message: (error as Error).message };
      }
    };
    for (const init of inits) {
      expect(build(() => new LightHeaders(init as HeadersInit))).toEqual(build(() => new Headers(init as HeadersInit)));
    }
  });

  it('behaves as undici at the edges: live iteration, missing arguments, symbols, objects as values, forEach', () => {
    type Probe = (h: Headers) => unknown;
    const probes: Probe[] = [
      (h) => {
        const seen: string[] = [];
        for (const [name] of h) {
          seen.push(name);
          h.delete('b');
        }
        return seen;
      },
      (h) => {
        const iterator = h.entries();
        h.append('z', '26');
        h.append('0', 'zero');
        return [...iterator];
      },
      (h) => {
        const seen: string[] = [];
        h.forEach((_value, name) => {
          seen.push(name);
          if (name === 'a') h.append('aa', 'x');
        });
        return seen;
      },
      (h) => (h as unknown as { append(n: string): void }).append('x'),
      (h) => (h as unknown as { set(): void }).set(),
      (h) => (h as unknown as { get(): unknown }).get(),
      (h) => (h as unknown as { has(): unknown }).has(),
      (h) => (h as unknown as { delete(): unknown }).delete(),
      (h) => h.append('x', Symbol('v') as unknown as string),
      (h) => h.get(Symbol('n') as unknown as string),
      (h) => h.set('x', { toString: () => ' from toString ' } as unknown as string),
      (h) => h.append('n', 12 as unknown as string),
      (h) => h.forEach(5 as unknown as () => void),
      // An empty one of the same class still refuses a callback that is not a function.
      (h) => new (h.constructor as typeof Headers)().forEach(5 as unknown as () => void),
      (h) => {
        const pair = [...h][0]!;
        pair[1] = 'changed by the caller';
        return h.get(pair[0]);
      },
    ];
    const run = (make: () => Headers, probe: Probe) => {
      const headers = make();
      try {
        return { result: probe(headers), after: [...headers] };
      } catch (error) {
        return { threw: (error as Error).constructor.name, message: (error as Error).message, after: [...headers] };
      }
    };
    const init: Array<[string, string]> = [['a', '1'], ['b', '2'], ['c', '3'], ['set-cookie', 's=1']];
    for (const probe of probes) expect(run(() => new LightHeaders(init), probe)).toEqual(run(() => new Headers(init), probe));
  });

  it('calls forEach with (value, name, headers) in iteration order and is tagged Headers', () => {
    const light = new LightHeaders([['b', '2'], ['set-cookie', 'x=1'], ['A', '1'], ['set-cookie', 'y=2']]);
    const seen: unknown[] = [];
    light.forEach(function (this: unknown, v, k, parent) {
      seen.push([k, v, parent === light, this]);
    }, 'ctx');
    expect(seen).toEqual([
      ['a', '1', true, 'ctx'],
      ['b', '2', true, 'ctx'],
      ['set-cookie', 'x=1', true, 'ctx'],
      ['set-cookie', 'y=2', true, 'ctx'],
    ]);
    expect(Object.prototype.toString.call(light)).toBe('[object Headers]');
    // undici copies a LightHeaders given as init, Set-Cookie lines apart.
    expect(new Headers(light).getSetCookie()).toEqual(['x=1', 'y=2']);
  });
});

describe('WholeResponse, the core\'s whole-body answer', () => {
  it('reads as a Response: status, ok, headers, text, json, body stream, clone', async () => {
    const response = textResponse('{"a":1}', 201, { 'content-type': 'application/json' });
    expect(response).toBeInstanceOf(WholeResponse);
    expect([response.status, response.ok, response.type, response.statusText, response.redirected, response.url]).toEqual([201, true, 'default', '', false, '']);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    const copy = response.clone();
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError); // a used body, as undici says
    expect(() => response.clone()).toThrow(TypeError);
    expect(await new Response(copy.body).text()).toBe('{"a":1}');
    expect(await textResponse('x', 500).text()).toBe('x');
    expect(textResponse('x', 404).ok).toBe(false);
    expect(new Uint8Array(await textResponse('é', 200).arrayBuffer())).toEqual(new Uint8Array([0xc3, 0xa9]));
    expect(await textResponse('é', 200).bytes()).toEqual(new Uint8Array([0xc3, 0xa9]));
  });

  it('becomes a real undici Response with its current headers when handed out (materialize)', async () => {
    const response = textResponse('hello', 200, [['set-cookie', 'a=1'], ['x', '1']]);
    response.headers.append('set-cookie', 'b=2');
    response.headers.set('x', '2');
    const real = materialize(response);
    expect(real).toBeInstanceOf(Response);
    expect(real).not.toBeInstanceOf(WholeResponse);
    expect(real.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(real.headers.get('x')).toBe('2');
    expect(await real.text()).toBe('hello');
    expect(wholeBodyOf(real)).toBeUndefined();
    expect(wholeBodyOf(response)).toBe('hello');
  });

  it('reaches sandbox.fetch callers as a real Response (JSON answers and Spring errors alike)', async () => {
    const sandbox = testSandbox();
    const ok = await sandbox.fetch(new Request('http://localhost/api/auth/me', { headers: { authorization: 'Bearer sdk_sandbox_admin' } }));
    expect(ok).toBeInstanceOf(Response);
    expect(ok).not.toBeInstanceOf(WholeResponse);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(ok.headers.get('x-request-id')).toMatch(/^req_/);
    expect(((await ok.json()) as { email: string }).email).toBe('admin@acme.test');
    const denied = await sandbox.fetch(new Request('http://localhost/api/workflows'));
    expect(denied).toBeInstanceOf(Response);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ status: 401, error: 'Unauthorized' });
  });
});
