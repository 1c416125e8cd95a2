import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../src/core/router.ts';
import { apiRoutes } from '../src/routes.ts';

// src/core/router.ts compiles a route list once: every createSandbox used to compile the ~110 API
// routes again (~2.5 ms of its ~4 ms, measured).
describe('compileRoutes', () => {
  it('gives every sandbox the router already compiled from the same route list', () => {
    expect(compileRoutes(apiRoutes)).toBe(compileRoutes(apiRoutes));
  });

  it('compiles a list again once it has grown, and refuses a duplicate then as it would the first time', () => {
    const routes = [{ method: 'GET', path: '/a' }];
    const first = compileRoutes(routes);
    expect(first.match('GET', '/b')).toEqual({ kind: 'none' });
    routes.push({ method: 'GET', path: '/b' });
    const grown = compileRoutes(routes);
    expect(grown).not.toBe(first);
    expect(grown.match('GET', '/b')).toEqual({ kind: 'route', route: routes[1], params: {} });
    routes.push({ method: 'GET', path: '/b' });
    expect(() => compileRoutes(routes)).toThrow('Duplicate route GET /b');
  });
});
