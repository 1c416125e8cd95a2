import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, createSandbox, DEFAULT_SEED, type Sandbox } from 'nodeloom-sandbox';
import type { AnyRoute } from '../src/core/route.ts';
import { cutExample, EXAMPLE_TEXT_CHARS, EXAMPLES_NOW, RECORDED_EXAMPLES, type ExampleAuth, type RecordedExample } from '../src/openapi/examples.ts';
import { openApiDocument } from '../src/openapi/index.ts';
import { openApiPath } from '../src/openapi/document.ts';
import { apiRoutes } from '../src/routes.ts';
import { login } from './helpers.ts';
import { documentValidator, parseEvents } from './openapi-helpers.ts';
import { ROUTE_EXAMPLES } from './route-examples.ts';

/**
 * The OpenAPI document's examples (src/openapi/examples.generated.ts) are real answers: every
 * documented example request runs through a sandbox with the default seed (in process, one fresh
 * namespace each), and its answer must equal the recorded one (else the file is stale) and match
 * the document's schema for that status and media type (ajv, JSON Schema 2020-12), with the
 * rate-limit headers the document promises. `UPDATE_OPENAPI_EXAMPLES=1` rewrites the file from
 * test/route-examples.ts instead.
 */

const UPDATE = process.env.UPDATE_OPENAPI_EXAMPLES === '1';
const GENERATED = fileURLToPath(new URL('../src/openapi/examples.generated.ts', import.meta.url));
const keyOf = (route: AnyRoute) => `${route.method} ${route.path}`;

let sandbox: Sandbox;
let adminCookie: string;
let fresh = 0;

beforeAll(async () => {
  sandbox = createSandbox({ seed: DEFAULT_SEED, now: EXAMPLES_NOW, chat: { tokenDelayMs: 0 }, maxNamespaces: 1000, onWarning: () => undefined });
  adminCookie = await login(sandbox, 'admin@acme.test');
});

/** The credentials an example uses: none for public and widget routes, the admin login where tokens are refused, else the admin token. */
function authFor(route: AnyRoute): ExampleAuth {
  if (route.auth === 'public' || route.auth === 'widget-token') return 'none';
  return ROUTE_EXAMPLES[keyOf(route)]?.({ state: sandbox.state, teamId: ACME_TEAM_ID }).tokenRefused ? 'admin-login' : 'sdk_sandbox_admin';
}

/** Sends a recorded request in a fresh namespace (the seeded data again, plus the example's own records). */
async function send(route: AnyRoute, request: RecordedExample['request'], inFresh = true): Promise<Response> {
  const headers: Record<string, string> = {};
  if (inFresh) {
    const name = `openapi-${++fresh}`;
    const ns = sandbox.namespace(name);
    await ns.ready;
    await ROUTE_EXAMPLES[keyOf(route)]?.({ state: ns.state, teamId: ACME_TEAM_ID }).prepare?.(ns.state);
    headers['x-sandbox-namespace'] = name;
  }
  if (request.auth === 'sdk_sandbox_admin') headers.authorization = 'Bearer sdk_sandbox_admin';
  if (request.auth === 'admin-login') headers.cookie = adminCookie;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return sandbox.fetch(new Request(`http://sandbox.test${request.path}${query}`, { method: route.method, headers, body }));
}

/** What an answer is recorded as (see src/openapi/examples.ts). */
async function recordOf(response: Response): Promise<{ record: RecordedExample['response']; text: string }> {
  const contentType = response.headers.get('content-type')?.split(';')[0]!.trim() ?? null;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const record: RecordedExample['response'] = { status: response.status, contentType };
  if (bytes.byteLength > 0 && contentType === 'application/json') record.body = cutExample(JSON.parse(text));
  else if (bytes.byteLength > 0 && contentType?.startsWith('text/')) record.body = text.slice(0, EXAMPLE_TEXT_CHARS);
  return { record, text };
}

/** Guardrail checks report their measured run time (fractional ms, real time): compared as 0. */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'durationMs' && typeof v === 'number' && !Number.isInteger(v) ? 0 : v)));

describe('OpenAPI examples', () => {
  it.runIf(UPDATE)('records one example per route (UPDATE_OPENAPI_EXAMPLES=1)', async () => {
    await sandbox.ready;
    const recorded: Record<string, RecordedExample> = {};
    for (const route of apiRoutes) {
      const key = keyOf(route);
      const build = ROUTE_EXAMPLES[key];
      if (!build) throw new Error(`No example request for ${key}: add one to test/route-examples.ts`);
      const ns = sandbox.namespace(`record-${++fresh}`);
      await ns.ready;
      const example = build({ state: ns.state, teamId: ACME_TEAM_ID });
      const body = example.body ?? (route.body ? {} : undefined);
      const request: RecordedExample['request'] = { path: example.path, ...(example.query ? { query: example.query } : {}), ...(body !== undefined ? { body } : {}), auth: authFor(route) };
      recorded[key] = { request, response: (await recordOf(await send(route, request))).record };
    }
    const text = `// Generated by test/openapi-examples.test.ts (UPDATE_OPENAPI_EXAMPLES=1). Do not edit by hand.\nimport type { RecordedExample } from './examples.ts';\n\nexport const RECORDED: Record<string, RecordedExample> = ${JSON.stringify(recorded, null, 1)};\n`;
    writeFileSync(GENERATED, text);
  });

  it.skipIf(UPDATE)('has a recorded example for every served route, and none for a route not served', () => {
    const served = apiRoutes.map(keyOf);
    expect(served.filter((key) => !RECORDED_EXAMPLES[key])).toEqual([]);
    expect(Object.keys(RECORDED_EXAMPLES).filter((key) => !served.includes(key))).toEqual([]);
  });

  it.skipIf(UPDATE)('answers every documented example request as recorded, matching the documented schema and headers', async () => {
    const document = openApiDocument();
    const validator = documentValidator(document);
    const failures: string[] = [];
    let schemaChecked = 0;
    for (const route of apiRoutes) {
      const key = keyOf(route);
      const example = RECORDED_EXAMPLES[key]!;
      const response = await send(route, example.request);
      const { record, text } = await recordOf(response);
      expect(comparable(record), `${key}: the answer differs from src/openapi/examples.generated.ts; rerun with UPDATE_OPENAPI_EXAMPLES=1 if the change is intended`).toEqual(comparable(example.response));
      for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        if (!/^\d+$/.test(response.headers.get(name) ?? '')) failures.push(`${key}: ${name} missing`);
      }
      const path = ['paths', openApiPath(route.path), route.method.toLowerCase(), 'responses', String(record.status)];
      const described = (document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)[openApiPath(route.path)]![route.method.toLowerCase()]!.responses[String(record.status)];
      if (!described) {
        failures.push(`${key}: status ${record.status} is not documented`);
        continue;
      }
      if (record.status === 204) continue;
      if (!described.content?.[record.contentType!]) {
        failures.push(`${key}: ${record.status} ${record.contentType} is not documented`);
        continue;
      }
      const check = (value: unknown, validate: ReturnType<typeof validator.at>, what: string) => {
        if (!validate(value)) failures.push(`${key} ${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      };
      if (record.contentType === 'application/json') {
        check(JSON.parse(text), validator.at(...path, 'content', 'application/json', 'schema'), 'body');
        schemaChecked += 1;
      } else if (record.contentType === 'text/event-stream') {
        const events = parseEvents(text);
        expect(events.at(-1)?.event).toBe('done');
        for (const event of events) check(event, validator.at('components', 'schemas', 'ChatStreamEvent'), `event ${event.event}`);
        schemaChecked += 1;
      }
    }
    expect(failures).toEqual([]);
    expect(schemaChecked).toBeGreaterThan(90);
    // The check has teeth: routes declaring a body schema reject a wrong answer.
    expect(apiRoutes.filter((r) => r.response?.body).length).toBeGreaterThanOrEqual(94);
    const page = validator.at('paths', '/api/workflows', 'get', 'responses', '200', 'content', 'application/json', 'schema');
    expect(page({ content: [{ id: 1 }], totalElements: 1, totalPages: 1, number: 0, size: 20 })).toBe(false);
  });

  it.skipIf(UPDATE)('answers an anonymous call of every non-public route with the documented 401 Spring body and rate-limit headers', async () => {
    const document = openApiDocument();
    const validator = documentValidator(document);
    const failures: string[] = [];
    for (const route of apiRoutes.filter((r) => r.auth === 'session-or-token' || r.auth === 'sdk-token')) {
      const example = RECORDED_EXAMPLES[keyOf(route)]!;
      sandbox.state.rateLimiter.clear(); // anonymous calls count per address: 60 a minute on a frozen clock
      const response = await send(route, { ...example.request, auth: 'none' }, false); // refused before any data is read
      const validate = validator.at('components', 'responses', 'E401', 'content', 'application/json', 'schema');
      const body = (await response.json()) as unknown;
      if (response.status !== 401 || !validate(body)) failures.push(`${keyOf(route)}: ${response.status} ${JSON.stringify(validate.errors)}`);
      if (!/^\d+$/.test(response.headers.get('x-ratelimit-remaining') ?? '')) failures.push(`${keyOf(route)}: 401 without X-RateLimit-Remaining`);
    }
    expect(failures).toEqual([]);
  });
});
