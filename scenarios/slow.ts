import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Every API call takes a seeded 300–1500 ms longer (under every SDK's 30 s timeout, nodeloom-api.md 5.10). */
export default {
  name: 'slow',
  description: 'Every API call takes a seeded 300-1500 ms longer.',
  rules: [{ name: 'latency', when: '* /api/**', effect: { type: 'latency', min: 300, max: 1500 } }],
} satisfies ScenarioDefinition;
