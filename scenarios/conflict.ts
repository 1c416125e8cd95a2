import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Creates and renames get 409 (name already exists); cancel gets 409 (already finished). */
export default {
  name: 'conflict',
  description: 'Creates and renames get 409 (name already exists); execution cancel gets 409 (already finished).',
  rules: [
    { name: 'workflow-name', when: 'POST /api/workflows', effect: { type: 'error', status: 409, message: 'A workflow with this name already exists in the team. Choose another name.' } },
    { name: 'workflow-rename', when: 'PUT /api/workflows/*', effect: { type: 'error', status: 409, message: 'A workflow with this name already exists in the team. Choose another name.' } },
    { name: 'credential-name', when: 'POST /api/credentials', effect: { type: 'error', status: 409, message: 'A credential with this name already exists in the team. Choose another name.' } },
    { name: 'credential-rename', when: 'PUT /api/credentials/*', effect: { type: 'error', status: 409, message: 'A credential with this name already exists in the team. Choose another name.' } },
    { name: 'cancel-finished', when: 'POST /api/executions/*/cancel', effect: { type: 'error', status: 409, message: 'Execution already finished; only PENDING or RUNNING executions can be cancelled.' } },
  ],
} satisfies ScenarioDefinition;
