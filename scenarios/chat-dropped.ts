import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Chat replies are cut after 12 events: the express host resets the connection; msw's body errors. */
export default {
  name: 'chat-dropped',
  description: 'Chat replies are cut after 12 events: a reset connection (express) or an erroring body (msw).',
  rules: [
    { name: 'agent-chat', when: 'POST /api/agent-chat/sessions/*/messages', effect: { type: 'stream-drop', afterEvents: 12 } },
    { name: 'widget', when: 'POST /api/public/widgets/*/sessions/*/messages', effect: { type: 'stream-drop', afterEvents: 12 } },
  ],
} satisfies ScenarioDefinition;
