import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Every API call gets 500 with the Spring error body. */
export default {
  name: 'server-error',
  description: 'Every API call gets 500 Internal Server Error with the Spring error body.',
  rules: [{ name: 'error-500', when: '* /api/**', effect: { type: 'error', status: 500, message: 'Internal server error (injected by the server-error scenario).' } }],
} satisfies ScenarioDefinition;
