import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/**
 * API calls do not complete before 35 s (past the SDKs' 30 s REST timeout, nodeloom-api.md 5.10);
 * after 36 s they answer 504.
 */
export default {
  name: 'timeout',
  description: 'API calls stall and do not complete before 35 s (then 504), past the SDKs\' 30 s timeout.',
  rules: [{ name: 'stall', when: '* /api/**', effect: { type: 'stall', ms: 36_000 } }],
} satisfies ScenarioDefinition;
