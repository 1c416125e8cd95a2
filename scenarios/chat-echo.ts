import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

/** The agent replies with the user's message exactly (for rendering and escaping tests); the prompt prefix "/echo " does the same per message. */
export default {
  name: 'chat-echo',
  description: "Chat replies repeat the user's message exactly (echo mode).",
  rules: [
    { name: 'agent-chat', when: 'POST /api/agent-chat/sessions/*/messages', effect: { type: 'chat-echo' } },
    { name: 'widget', when: 'POST /api/public/widgets/*/sessions/*/messages', effect: { type: 'chat-echo' } },
  ],
} satisfies ScenarioDefinition;
