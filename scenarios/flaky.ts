import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** A seeded 20 % of API calls fail with 500, 502, 503 or a reset connection; the same seed fails the same calls. */
export default {
  name: 'flaky',
  description: 'A seeded 20% of API calls fail with 500, 502, 503 or a reset connection.',
  rules: [
    {
      name: 'one-in-five',
      when: '* /api/**',
      probability: 0.2,
      effect: {
        type: 'one-of',
        effects: [
          { type: 'error', status: 500, message: 'Internal server error (injected by the flaky scenario).' },
          { type: 'error', status: 502, message: 'Bad gateway (injected by the flaky scenario).' },
          { type: 'error', status: 503, message: 'Service temporarily unavailable (injected by the flaky scenario).' },
          { type: 'network-error' },
        ],
      },
    },
  ],
} satisfies ScenarioDefinition;
