import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { call, expectSpringError, testSandbox, TEST_NOW, jsonOf } from './helpers.ts';

const ADMIN = 'sdk_sandbox_admin';
const MB = 1024 * 1024;

/**
 * A request body of `total` bytes produced on demand (1 MB chunks of `pattern` repeated), so no
 * test holds it as a string; `pulled()` says how many bytes the sandbox asked for.
 */
function generatedBody(total: number, pattern: Uint8Array) {
  const chunk = new Uint8Array(MB);
  for (let i = 0; i < MB; i++) chunk[i] = pattern[i % pattern.length]!;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        const size = Math.min(MB, total - sent);
        sent += size;
        controller.enqueue(chunk.slice(0, size));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => sent };
}

async function post(sandbox: Sandbox, path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request(`http://sandbox.test${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
    body,
    ...({ duplex: 'half' } as object),
  });
  const response = await sandbox.fetch(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: jsonOf(text) };
}

async function workflowCount(sandbox: Sandbox): Promise<number> {
  return (await call(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`, { token: ADMIN })).json.totalElements;
}

const E_ACUTE = new TextEncoder().encode('é'); // 2 bytes, 1 UTF-16 unit

describe('request body size, counted in bytes as the body arrives', () => {
  it('answers 413 for a chunked 60 MB multi-byte body without Content-Length', async () => {
    const sandbox = testSandbox();
    const before = await workflowCount(sandbox);
    // 60 MB of bytes but 30 M characters: a check on string length would let it through.
    const body = generatedBody(60 * MB, E_ACUTE);
    const response = await post(sandbox, '/api/workflows', body.stream);
    expect(expectSpringError(response, 413, 'Payload Too Large', '/api/workflows', TEST_NOW)).toMatch(/larger than 50 MB/);
    expect(body.pulled()).toBeLessThanOrEqual(51 * MB);
    expect(await workflowCount(sandbox)).toBe(before);
  });

  it('answers 413 for a 600 MB body after reading no more than the first 50 MB of it', async () => {
    const sandbox = testSandbox();
    const body = generatedBody(600 * MB, new TextEncoder().encode('x'));
    const response = await post(sandbox, '/api/workflows', body.stream);
    expectSpringError(response, 413, 'Payload Too Large', '/api/workflows', TEST_NOW);
    expect(body.pulled()).toBeLessThanOrEqual(51 * MB);
  });

  it('answers 413 for a declared Content-Length over 50 MB without reading the body', async () => {
    const sandbox = testSandbox();
    const body = generatedBody(60 * MB, new TextEncoder().encode('x'));
    const response = await post(sandbox, '/api/workflows', body.stream, { 'content-length': String(60 * MB) });
    expectSpringError(response, 413, 'Payload Too Large', '/api/workflows', TEST_NOW);
    expect(body.pulled()).toBeLessThanOrEqual(MB);
  });

  it('accepts a multi-byte body of exactly 50 MB, the limit itself', async () => {
    const sandbox = testSandbox();
    // The multi-byte filler sits in a field the API ignores, so only the size check is at stake.
    const prefix = new TextEncoder().encode(`{"name":"At the limit","teamId":"${ACME_TEAM_ID}","padding":"`);
    const suffix = new TextEncoder().encode('"}');
    const filler = 50 * MB - prefix.length - suffix.length; // even, so no 'é' is cut
    const description = generatedBody(filler, E_ACUTE);
    const parts = [prefix, description.stream, suffix] as const;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(parts[0]);
        for await (const chunk of parts[1] as unknown as AsyncIterable<Uint8Array>) controller.enqueue(chunk);
        controller.enqueue(parts[2]);
        controller.close();
      },
    });
    const response = await post(sandbox, '/api/workflows', stream);
    expect(response.status).toBe(201);
    expect(response.json.name).toBe('At the limit');
  });
});

describe('request body encoding', () => {
  it('answers 400 for a body that is not valid UTF-8, naming the byte', async () => {
    const sandbox = testSandbox();
    const bytes = new Uint8Array([...new TextEncoder().encode('{"name":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const response = await post(sandbox, '/api/workflows', bytes);
    const message = expectSpringError(response, 400, 'Bad Request', '/api/workflows', TEST_NOW);
    expect(message).toMatch(/Invalid UTF-8 .* at byte 9\b/);
    expect(message).toContain('UTF-8');
  });

  it('reads a body split inside a multi-byte character across chunks', async () => {
    const sandbox = testSandbox();
    const bytes = new TextEncoder().encode(JSON.stringify({ name: 'Café ☕ split', teamId: ACME_TEAM_ID }));
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of 'é'
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const response = await post(sandbox, '/api/workflows', stream);
    expect(response.status).toBe(201);
    expect(response.json.name).toBe('Café ☕ split');
  });
});
