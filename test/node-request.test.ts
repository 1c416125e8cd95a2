import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRequestListener } from '../src/hosts/node-host.ts';
import { toApiRequest, toFetchRequest } from '../src/hosts/node-request.ts';
import { testSandbox } from './helpers.ts';

/** A node request as node:http hands it over: method, target, raw headers, and a body stream. */
function nodeRequest(method: string, url: string, rawHeaders: string[], body?: string): IncomingMessage {
  const req = Readable.from(body === undefined ? [] : [Buffer.from(body)]) as unknown as IncomingMessage;
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  return Object.assign(req, { method, url, rawHeaders, headers });
}

describe('toApiRequest: the node host reads what a Fetch Request would give', () => {
  const cases: Array<[string, IncomingMessage]> = [
    ['GET with a query', nodeRequest('GET', '/api/workflows?teamId=t&page=0', ['Host', '127.0.0.1:4010', 'Authorization', 'Bearer sdk_sandbox_admin', 'Accept', 'application/json'])],
    ['POST with a JSON body', nodeRequest('POST', '/api/workflows', ['Host', 'localhost', 'Content-Type', 'application/json', 'Content-Length', '13'], '{"name":"Wé"}')],
    ['DELETE without a body', nodeRequest('DELETE', '/api/workflows/x', ['Host', 'localhost', 'Content-Length', '0'])],
    ['GET with dot segments and spaces', nodeRequest('GET', '/api/x/../public/widgets/w%2e/a b', ['Host', 'localhost'])],
  ];

  it.each(cases)('%s: same method, URL, headers and body bytes as toFetchRequest', async (_name, req) => {
    const light = toApiRequest(req);
    const bodyOf = async (stream: ReadableStream<Uint8Array> | null) => (stream === null ? null : await new Response(stream).text());
    const fetchRequest = toFetchRequest(nodeRequest(req.method!, req.url!, req.rawHeaders, req.method === 'POST' ? '{"name":"Wé"}' : undefined));
    expect(light.method).toBe(fetchRequest.method);
    expect(light.url).toBe(fetchRequest.url);
    expect([...light.headers]).toEqual([...fetchRequest.headers]);
    expect(await bodyOf(light.body)).toBe(await bodyOf(fetchRequest.body));
    expect(light.body).toBe(light.body); // one stream, made once
    expect(light.signal.aborted).toBe(false);
  });

  it.each([
    ['TRACE', nodeRequest('TRACE', '/api/workflows', ['Host', 'localhost'])],
    ['a header value Headers refuses', nodeRequest('GET', '/api/workflows', ['Host', 'localhost', 'X-Bad', 'a\u0000b'])],
  ])('refuses %s with a TypeError, as new Request does', (_name, req) => {
    expect(() => toFetchRequest(req)).toThrow(TypeError);
    expect(() => toApiRequest(req)).toThrow(TypeError);
  });
});

describe('the node host normalises the URL before the core reads it', () => {
  it('answers a widget preflight sent with dot segments as the normalised path (CORS for any origin)', async () => {
    const server = createServer(createRequestListener(testSandbox())).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await new Promise<{ status: number; allowOrigin: unknown }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'OPTIONS',
            path: '/api/x/../public/widgets/wgt_sandbox_acme_help/config',
            headers: { origin: 'http://evil.example:3000', 'access-control-request-method': 'GET' },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode!, allowOrigin: res.headers['access-control-allow-origin'] });
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(answer).toEqual({ status: 204, allowOrigin: 'http://evil.example:3000' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
