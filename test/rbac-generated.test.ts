import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { hasPermission, type Permission, type Role } from '../src/core/rbac.ts';
import type { AnyRoute } from '../src/core/route.ts';
import { compileRoutes } from '../src/core/router.ts';
import { apiRoutes } from '../src/routes.ts';
import { call, expectSpringError, login, testSandbox, type CallResult } from './helpers.ts';
import { ROUTE_EXAMPLES, type RouteExample } from './route-examples.ts';

/**
 * The generated RBAC test: every route the router serves × every caller kind, asserting the answer
 * its declaration (auth kind, permission, team source) and the permission matrix (src/core/rbac.ts)
 * imply. A route is covered the day it is declared, once test/route-examples.ts has its request.
 *
 * Callers: anonymous; each Acme role by its fixed SDK token and by its login; and another team's
 * caller (`sdk_sandbox_hobby`, ADMIN of Hobby Lab). Expected:
 * - anonymous: 401 on every route that is not public (public and widget routes: success);
 * - `/api/sdk/v1` (sdk-token) routes called with a login: 401;
 * - another team: 404 for routes whose team is a loaded resource, 403 (RBAC denied) for routes
 *   whose team is named in the query, body or path; success where the team is the caller's own;
 * - a role without the route's permission: 403 with the Spring body, journaled as `allowed: false`;
 * - a role with it (and `authenticated`/public routes): success (2xx).
 * Reads and refused writes run against one shared data set; a write expected to succeed runs in a
 * fresh namespace of the same sandbox (the seeded data again).
 */

const ROLES: readonly Role[] = ['ADMIN', 'BUILDER', 'OPERATOR', 'VIEWER', 'COMPLIANCE_OFFICER'];

type Caller =
  | { name: string; kind: 'anonymous' }
  | { name: string; kind: 'token'; token: string; role: Role; team: 'acme' | 'other' }
  | { name: string; kind: 'login'; email: string; role: Role };

const CALLERS: readonly Caller[] = [
  { name: 'anonymous', kind: 'anonymous' },
  ...ROLES.map((role): Caller => ({ name: `token ${role}`, kind: 'token', token: `sdk_sandbox_${role === 'COMPLIANCE_OFFICER' ? 'compliance' : role.toLowerCase()}`, role, team: 'acme' })),
  ...ROLES.map((role): Caller => ({ name: `login ${role}`, kind: 'login', email: `${role === 'COMPLIANCE_OFFICER' ? 'compliance' : role.toLowerCase()}@acme.test`, role })),
  { name: 'another team (sdk_sandbox_hobby)', kind: 'token', token: 'sdk_sandbox_hobby', role: 'ADMIN', team: 'other' },
];

type Expectation = { kind: 'success' } | { kind: 'status'; status: 401 | 404 } | { kind: 'denied'; role: Role | null } | { kind: 'refused'; status: 401 | 403 };

/** What a route's declaration and the permission matrix imply for a caller. */
function expectationFor(route: AnyRoute, caller: Caller, example: RouteExample): Expectation {
  const open = route.auth === 'public' || route.auth === 'widget-token';
  if (caller.kind === 'anonymous') return open ? { kind: 'success' } : { kind: 'status', status: 401 };
  if (route.auth === 'sdk-token' && caller.kind === 'login') return { kind: 'status', status: 401 };
  if (caller.kind === 'token' && example.tokenRefused) return { kind: 'refused', status: example.tokenRefused };
  if (open || route.permission === 'authenticated') return { kind: 'success' };
  const source = route.team as { from: string } | undefined;
  if (caller.kind === 'token' && caller.team === 'other') {
    if (source?.from === 'resource' || example.otherTeam === 404) return { kind: 'status', status: 404 };
    if (source?.from === 'principal') return { kind: 'success' };
    return { kind: 'denied', role: null };
  }
  return hasPermission(caller.role, route.permission as Permission) ? { kind: 'success' } : { kind: 'denied', role: caller.role };
}

const router = compileRoutes(apiRoutes);
const keyOf = (route: AnyRoute) => `${route.method} ${route.path}`;

let shared: Sandbox;
const cookies = new Map<string, string>();

beforeAll(async () => {
  shared = testSandbox({ maxNamespaces: 500 });
  for (const caller of CALLERS) if (caller.kind === 'login') cookies.set(caller.email, await login(shared, caller.email));
});

/** Where a call goes: the shared data, or a fresh namespace of the shared sandbox (~1 ms against ~6 ms CPU for a new sandbox, measured). */
interface Target {
  controls: Pick<Sandbox, 'ready' | 'state' | 'journal'>;
  headers: Record<string, string>;
}

let fresh = 0;
/** A fresh namespace: the seeded data again (same seed and clock, so the example's ids and the session cookies hold). */
function freshTarget(): Target {
  const name = `rbac-write-${++fresh}`;
  return { controls: shared.namespace(name), headers: { 'x-sandbox-namespace': name } };
}

/** Sends an example as a caller. */
async function send(route: AnyRoute, caller: Caller, example: RouteExample, target: Target): Promise<CallResult> {
  await target.controls.ready;
  await example.prepare?.(target.controls.state);
  target.controls.state.rateLimiter.clear(); // hundreds of calls in one frozen minute: no caller may reach its limit
  const query = example.query ? `?${new URLSearchParams(example.query)}` : '';
  return call(shared, route.method, example.path + query, {
    token: caller.kind === 'token' ? caller.token : undefined,
    cookie: caller.kind === 'login' ? cookies.get(caller.email) : undefined,
    body: example.body ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {}),
    headers: target.headers,
  });
}

describe('generated RBAC: every served route × every caller', () => {
  it('has a request in test/route-examples.ts for every served route, and none for a route not served', () => {
    const served = router.routes.map(keyOf);
    expect(served.filter((key) => !ROUTE_EXAMPLES[key]), 'served routes without an example in test/route-examples.ts').toEqual([]);
    expect(Object.keys(ROUTE_EXAMPLES).filter((key) => !served.includes(key)), 'examples for routes not served').toEqual([]);
  });

  for (const route of router.routes) {
    describe(keyOf(route), () => {
      for (const caller of CALLERS) {
        it(`answers ${caller.name} as its declaration implies`, async () => {
          const build = ROUTE_EXAMPLES[keyOf(route)];
          if (!build) throw new Error(`No example request for ${keyOf(route)}: add one to test/route-examples.ts`);
          await shared.ready;
          const example = build({ state: shared.state, teamId: ACME_TEAM_ID });
          const matched = router.match(route.method, example.path);
          expect(matched.kind === 'route' && matched.route, `example path ${example.path} must match ${keyOf(route)}`).toBe(route);
          const expected = expectationFor(route, caller, example);
          const target = route.method !== 'GET' && expected.kind === 'success' ? freshTarget() : { controls: shared, headers: {} };
          const response = await send(route, caller, example, target);
          const context = `${keyOf(route)} as ${caller.name}: ${response.status} ${response.text.slice(0, 300)}`;
          switch (expected.kind) {
            case 'success':
              if (example.allowedStatus !== undefined) {
                // Past RBAC, the handler's own answer for this seed (e.g. 409: nothing configured yet).
                expect(response.status, context).toBe(example.allowedStatus);
                break;
              }
              expect(response.status, context).toBeGreaterThanOrEqual(200);
              expect(response.status, context).toBeLessThan(300);
              break;
            case 'status':
              expect(response.status, context).toBe(expected.status);
              expectSpringError(response, expected.status, expected.status === 401 ? 'Unauthorized' : 'Not Found', example.path);
              break;
            case 'refused':
              expect(response.status, context).toBe(expected.status);
              break;
            case 'denied': {
              expect(response.status, context).toBe(403);
              expectSpringError(response, 403, 'Forbidden', example.path);
              // The newest entry is this call's (calls here run one at a time); `limit: 1` renders only
              // it, where a whole list() rendered up to 500 entries per denied call (~2 s of the file).
              const [entry] = target.controls.journal.list({ limit: 1 });
              expect(entry?.requestId, context).toBe(response.headers.get('x-request-id'));
              expect(entry?.rbac, context).toEqual({ teamId: ACME_TEAM_ID, role: expected.role, permission: route.permission, allowed: false });
              break;
            }
          }
        });
      }
    });
  }
});
