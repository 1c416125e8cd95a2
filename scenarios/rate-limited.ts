import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/**
 * Every caller is at its limit for the rest of the current one-minute window: 429 with
 * `X-RateLimit-Remaining: 0` and a `X-RateLimit-Reset` / `Retry-After` that agree with the clock.
 * Past the reset, requests pass again, as with the real limiter (nodeloom-api.md 1.5).
 */
export default {
  name: 'rate-limited',
  description: 'Every caller is at its limit until the current minute ends: 429, X-RateLimit-Remaining 0, Retry-After.',
  rules: [{ name: 'at-limit', when: '* /api/**', effect: { type: 'rate-limited' } }],
} satisfies ScenarioDefinition;
