import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** A data scenario for paging and performance: thousands of workflows and 100,000 executions in Acme. */
export default {
  name: 'large',
  description: 'Data: Acme has 2,000 workflows and 100,000 executions (for paging and performance).',
  dataset: 'large',
} satisfies ScenarioDefinition;
