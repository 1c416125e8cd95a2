import type { ScenarioDefinition } from '../src/scenarios/definition.ts';

const message = 'The agent failed while generating the reply: upstream model error (injected by chat-error-mid-stream).';

/** Chat replies fail after 12 events: `event: error` `{message}`, then the stream closes cleanly (no `done`). */
export default {
  name: 'chat-error-mid-stream',
  description: 'Chat replies send event: error {message} after 12 events, then close cleanly without done.',
  rules: [
    { name: 'agent-chat', when: 'POST /api/agent-chat/sessions/*/messages', effect: { type: 'stream-error', afterEvents: 12, message } },
    { name: 'widget', when: 'POST /api/public/widgets/*/sessions/*/messages', effect: { type: 'stream-error', afterEvents: 12, message } },
  ],
} satisfies ScenarioDefinition;
