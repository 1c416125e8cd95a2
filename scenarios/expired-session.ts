import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Authenticated calls get 401 as an expired session JWT or a revoked SDK token would; a session cookie is cleared. */
export default {
  name: 'expired-session',
  description: 'Authenticated calls get 401 as an expired JWT or revoked token would (the session cookie is cleared).',
  rules: [{ name: 'expire', when: '* /api/**', except: ['POST /api/auth/login', 'POST /api/auth/logout'], principal: 'authenticated', effect: { type: 'expired-session' } }],
} satisfies ScenarioDefinition;
