import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Writes get 403 as a VIEWER would; reads still work (nodeloom-api.md 2.2). */
export default {
  name: 'forbidden',
  description: 'Writes (POST, PUT, PATCH, DELETE) get 403 as a VIEWER would; reads and auth calls still work.',
  rules: [{ name: 'viewer-writes', when: 'POST,PUT,PATCH,DELETE /api/**', except: ['* /api/auth/**'], effect: { type: 'forbidden' } }],
} satisfies ScenarioDefinition;
