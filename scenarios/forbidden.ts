import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/**
 * Writes get 403 as a VIEWER would; reads still work (nodeloom-api.md 2.2). Callers only: an
 * anonymous write still gets the real 401 first, as Spring Security answers before any RBAC.
 */
export default {
  name: 'forbidden',
  description: 'Writes (POST, PUT, PATCH, DELETE) get 403 as a VIEWER would; reads and auth calls still work, and anonymous writes get the real 401.',
  rules: [{ name: 'viewer-writes', when: 'POST,PUT,PATCH,DELETE /api/**', except: ['* /api/auth/**'], principal: 'authenticated', effect: { type: 'forbidden' } }],
} satisfies ScenarioDefinition;
