import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** A data scenario: the teams, users and tokens are there, but no workflows, executions or credentials. */
export default {
  name: 'empty',
  description: 'Data: every team has no workflows, executions or credentials (identities unchanged).',
  dataset: 'empty',
} satisfies ScenarioDefinition;
