import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Every API call gets 503, as during a deploy or an outage. */
export default {
  name: 'unavailable',
  description: 'Every API call gets 503 Service Unavailable with Retry-After: 30.',
  rules: [
    {
      name: 'error-503',
      when: '* /api/**',
      effect: { type: 'error', status: 503, message: 'Service temporarily unavailable (injected by the unavailable scenario). Retry later.', headers: { 'retry-after': '30' } },
    },
  ],
} satisfies ScenarioDefinition;
