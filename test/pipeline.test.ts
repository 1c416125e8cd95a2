import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { json } from '../src/core/respond.ts';
import { checkRoutePolicy, type AnyRoute } from '../src/core/route.ts';
import { bindQuery, textParam, textParamNames } from '../src/core/query.ts';
import { compileRoutes } from '../src/core/router.ts';
import { STEPS } from '../src/core/pipeline.ts';
import { settleWhenSent } from '../src/core/settle.ts';
import { apiRoutes } from '../src/routes.ts';
import { call, testSandbox } from './helpers.ts';

const route = (overrides: Partial<AnyRoute>): AnyRoute => ({
  method: 'POST',
  path: '/api/x',
  auth: 'session-or-token',
  rateLimit: 'principal',
  permission: 'workflows:manage',
  team: { from: 'query' },
  audit: { action: 'WORKFLOW_CREATED', resourceType: 'WORKFLOW' },
  spec: { section: '3.2' },
  handler: () => json({}),
  ...overrides,
});

describe('route policy declarations', () => {
  it('refuses a write route without an audit declaration', () => {
    expect(() => checkRoutePolicy(route({ audit: undefined }))).toThrow('POST /api/x: a non-GET route must declare audit');
  });

  it('refuses a route without its spec section (the OpenAPI document needs it)', () => {
    expect(() => checkRoutePolicy(route({ spec: undefined as never }))).toThrow("POST /api/x: declare spec: {section: '3.2'");
    expect(() => checkRoutePolicy(route({ spec: { section: 'workflows' } }))).toThrow('declare spec');
  });

  it('refuses a team permission without a team source', () => {
    expect(() => checkRoutePolicy(route({ team: undefined }))).toThrow('needs a team source');
  });

  it("refuses 'public' permission on a route that authenticates, and the reverse", () => {
    expect(() => checkRoutePolicy(route({ permission: 'public' }))).toThrow("permission 'public' goes with auth 'public' only");
    expect(() => checkRoutePolicy(route({ auth: 'public', permission: 'authenticated' }))).toThrow("permission 'public'");
  });

  it('refuses a rate-limit key the auth kind cannot give', () => {
    expect(() => checkRoutePolicy(route({ rateLimit: undefined as never }))).toThrow("POST /api/x: auth 'session-or-token' takes rateLimit 'principal' or 'address', not 'undefined'");
    expect(() => checkRoutePolicy(route({ rateLimit: 'token-and-address' }))).toThrow("takes rateLimit 'principal' or 'address'");
    expect(() => checkRoutePolicy(route({ auth: 'public', permission: 'public', rateLimit: 'principal' }))).toThrow("auth 'public' takes rateLimit 'address', not 'principal'");
    expect(() => checkRoutePolicy(route({ auth: 'widget-token', permission: 'widget', team: { from: 'principal' }, rateLimit: 'address' }))).toThrow("auth 'widget-token' takes rateLimit 'token-and-address'");
    expect(() => checkRoutePolicy(route({ rateLimit: 'address' }))).not.toThrow();
  });

  it('accepts every route the sandbox serves, each with its policy whole', () => {
    for (const served of apiRoutes) expect(() => checkRoutePolicy(served)).not.toThrow();
    expect(compileRoutes(apiRoutes).routes.length).toBe(apiRoutes.length);
  });

  it('runs the steps in Spring Security order: authentication before dispatch, data after both', () => {
    const names = STEPS.map(([name]) => name);
    expect(names.indexOf('authenticate')).toBeLessThan(names.indexOf('require authentication'));
    expect(names.indexOf('require authentication')).toBeLessThan(names.indexOf('dispatch'));
    expect(names.indexOf('dispatch')).toBeLessThan(names.indexOf('load data set'));
    expect(names.indexOf('authorize')).toBeLessThan(names.indexOf('run handler'));
  });
});

describe('query binding as Spring does it', () => {
  const schema = z.object({ status: z.string().optional(), search: textParam(z.string().optional()), page: z.string().optional() });

  it('binds a repeated single-valued parameter to its first value', () => {
    expect(bindQuery(new URLSearchParams('status=FAILED&status=SUCCESS&page=2&page=9'), schema)).toEqual({ status: 'FAILED', page: '2' });
  });

  it('joins a repeated String parameter with commas', () => {
    expect(bindQuery(new URLSearchParams('search=a&search=b&search=c'), schema)).toEqual({ search: 'a,b,c' });
  });

  it('leaves out an empty single-valued parameter (Spring converts "" to null) and keeps an empty String', () => {
    expect(bindQuery(new URLSearchParams('status=&search=&page=&page=3'), schema)).toEqual({ search: '' });
    expect(bindQuery(new URLSearchParams('status=FAILED&status='), schema)).toEqual({ status: 'FAILED' });
  });

  it('treats __proto__ and constructor as plain parameter names', () => {
    const bound = bindQuery(new URLSearchParams('__proto__=x&constructor=y'), schema);
    expect(Object.keys(bound).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(bound)).toBeNull();
  });

  // The String parameters of nodeloom-api.md (3.2 and 3.4 `search`, 3.11.3 `name`); every other
  // query parameter is an id, enum, number, boolean or date there, bound to its first value. A new
  // route's free-text parameter fails the second test until it is marked with textParam.
  const STRING_PARAMS: Record<string, string[]> = {
    'GET /api/workflows': ['search'],
    'GET /api/agent-chat/sessions': ['search'],
    'GET /api/sdk/v1/metrics': ['name'],
  };

  it('marks exactly the String parameters of the API as text', () => {
    const marked = Object.fromEntries(
      apiRoutes.map((r) => [`${r.method} ${r.path}`, textParamNames(r.query)] as const).filter(([, names]) => names.length > 0),
    );
    expect(marked).toEqual(STRING_PARAMS);
  });

  it('marks every free-text-named query parameter of every route as text', () => {
    const unmarked = apiRoutes.flatMap((r) => {
      const text = textParamNames(r.query);
      const names = Object.keys((r.query as { shape?: object } | undefined)?.shape ?? {});
      return names.filter((name) => /^(search|name|q|query|title|text|keyword)$/i.test(name) && !text.includes(name)).map((name) => `${r.method} ${r.path} ${name}`);
    });
    expect(unmarked).toEqual([]);
  });

  it('joins repeated workflow searches with a comma through the API, as Spring binds a String', async () => {
    const sandbox = testSandbox();
    const base = `/api/workflows?teamId=${ACME_TEAM_ID}`;
    const one = await call(sandbox, 'GET', `${base}&search=Sync`, { token: 'sdk_sandbox_admin' });
    expect(one.status).toBe(200);
    expect(one.json.totalElements).toBeGreaterThan(0);
    // "Sync,zzz" matches no name: a first-value binding would answer the "Sync" matches.
    const repeated = await call(sandbox, 'GET', `${base}&search=Sync&search=zzz`, { token: 'sdk_sandbox_admin' });
    expect(repeated.status).toBe(200);
    expect(repeated.json.totalElements).toBe(0);
  });

  it('pages executions by the first of repeated size values through the API', async () => {
    const sandbox = testSandbox();
    const page = await call(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&size=3&size=50`, { token: 'sdk_sandbox_admin' });
    expect(page.status).toBe(200);
    expect(page.json.size).toBe(3);
    expect(page.json.content).toHaveLength(3);
  });
});

describe('settling a response', () => {
  const stream = (chunks: string[], fail = false) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        if (fail) controller.error(new Error('boom'));
        else controller.close();
      },
    });

  it('settles a streamed body as complete only once its last chunk has been read', async () => {
    const outcomes: string[] = [];
    const response = settleWhenSent(new Response(stream(['a', 'b'])), (o) => outcomes.push(o));
    expect(outcomes).toEqual([]);
    expect(await response.text()).toBe('ab');
    expect(outcomes).toEqual(['complete']);
  });

  it('settles as aborted when the reader cancels, and as failed when the body errors', async () => {
    const outcomes: string[] = [];
    const cancelled = settleWhenSent(new Response(stream(['a', 'b'])), (o) => outcomes.push(o));
    const reader = cancelled.body!.getReader();
    await reader.read();
    await reader.cancel();
    const failing = settleWhenSent(new Response(stream(['a'], true)), (o) => outcomes.push(o));
    await expect(failing.text()).rejects.toThrow('boom');
    expect(outcomes).toEqual(['aborted', 'failed']);
  });

  it('journals a JSON answer with outcome complete and its request id', async () => {
    const sandbox = testSandbox();
    const answer = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin' });
    expect(sandbox.journal.list({ limit: 1 })[0]).toMatchObject({ requestId: answer.headers.get('x-request-id'), status: 200, outcome: 'complete' });
  });
});
