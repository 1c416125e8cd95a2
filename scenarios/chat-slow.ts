import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** Chat replies (agent chat and widgets) stream slowly: a seeded 80-250 ms before each token (nodeloom-api.md 3.5 [INF]). */
export default {
  name: 'chat-slow',
  description: 'Chat replies stream slowly: a seeded 80-250 ms before each token.',
  rules: [
    { name: 'agent-chat', when: 'POST /api/agent-chat/sessions/*/messages', effect: { type: 'stream-pace', min: 80, max: 250 } },
    { name: 'widget', when: 'POST /api/public/widgets/*/sessions/*/messages', effect: { type: 'stream-pace', min: 80, max: 250 } },
  ],
} satisfies ScenarioDefinition;
