import { describe, expect, it } from 'vitest';
import type { AnyRoute } from '../src/core/route.ts';
import { apiRoutes } from '../src/routes.ts';
import { call, captureData, expectSameData, login, testSandbox } from './helpers.ts';
import { ROUTE_EXAMPLES } from './route-examples.ts';

/**
 * A request body is required wherever the route reads one, as Spring's `@RequestBody` is (its
 * `required` defaults to true): sent without a body, every PUT and PATCH route, and every POST
 * route whose body schema does not itself accept "no body", answers 400 and changes nothing (no
 * write, no audit entry). A break-it run found `PUT /api/workflows/:id` and the widget update
 * answering 200 with an empty audit entry. Each route gets the request of test/route-examples.ts
 * without its body, from an ADMIN (its login where the route refuses tokens).
 */

const withBody = apiRoutes.filter((route): route is AnyRoute & { body: NonNullable<AnyRoute['body']> } => route.body !== undefined && route.method !== 'GET');
const optionalBody = (route: (typeof withBody)[number]) => route.method === 'POST' && route.body.safeParse(undefined).success;

describe('a required request body', () => {
  it('covers the write routes', () => {
    expect(withBody.filter((route) => route.method === 'PUT' || route.method === 'PATCH').length).toBeGreaterThanOrEqual(8);
  });

  it.each(withBody.filter((route) => !optionalBody(route)).map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers 400 without a body, and changes nothing',
    async (key, route) => {
      const sandbox = testSandbox();
      await sandbox.ready;
      const example = ROUTE_EXAMPLES[key]!({ state: sandbox.state, teamId: '0a1c3e00-0000-4000-8000-00000000ac01' });
      await example.prepare?.(sandbox.state);
      const auth = example.tokenRefused ? { cookie: await login(sandbox, 'admin@acme.test') } : { token: 'sdk_sandbox_admin' };
      const before = captureData((await sandbox.snapshot()).datasets);
      const query = example.query ? `?${new URLSearchParams(example.query)}` : '';
      const response = await call(sandbox, route.method, example.path + query, auth);
      expect(response.status, response.text).toBe(400);
      expect(response.json).toMatchObject({ status: 400, error: 'Bad Request', message: expect.any(String) });
      expectSameData((await sandbox.snapshot()).datasets, before);
    },
  );
});
