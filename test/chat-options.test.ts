import { describe, expect, it } from 'vitest';
import { createSandbox } from 'nodeloom-sandbox';
import { parseCliArgs, UsageError } from '../src/hosts/cli.ts';
import { chatSandbox, eventTimes, newSession, readChunks } from './chat-helpers.ts';

/** The chat pacing setting: `createSandbox({ chat: { tokenDelayMs } })` and `--chat-token-delay`. */

async function timedEcho(tokenDelayMs?: number) {
  const sandbox = await chatSandbox(tokenDelayMs === undefined ? { chat: {} } : { chat: { tokenDelayMs } });
  const id = await newSession(sandbox);
  const sent = performance.now();
  const response = await sandbox.fetch(
    new Request(`http://x/api/agent-chat/sessions/${id}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer sdk_sandbox_operator', 'content-type': 'application/json' },
      body: JSON.stringify({ content: '/echo a b c d e' }),
    }),
  );
  return eventTimes((await readChunks(response, sent)).chunks).map(([, at]) => at);
}

describe('chat token pacing', () => {
  it('waits the sandbox token delay before each token, in real time with a frozen clock', async () => {
    const times = await timedEcho(30);
    expect(times).toHaveLength(6);
    expect(times[4]!).toBeGreaterThanOrEqual(5 * 30 - 10);
  });

  it('defaults to 15 ms per token', async () => {
    const times = await timedEcho();
    expect(times[4]!).toBeGreaterThanOrEqual(5 * 15 - 10);
  });

  it('sends the whole reply at once with 0', async () => {
    const times = await timedEcho(0);
    expect(times[5]!).toBeLessThan(50);
  });

  it('refuses a delay that is not a whole number of ms from 0 to 60000', () => {
    for (const tokenDelayMs of [-1, 1.5, 60_001, Number.NaN]) {
      expect(() => createSandbox({ chat: { tokenDelayMs } })).toThrow(/chat\.tokenDelayMs must be an integer from 0 to 60000/);
    }
  });

  it('reads --chat-token-delay from the command line', () => {
    expect(parseCliArgs(['--chat-token-delay', '0'], {}).chatTokenDelayMs).toBe(0);
    expect(parseCliArgs(['--chat-token-delay', '120'], {}).chatTokenDelayMs).toBe(120);
    expect(parseCliArgs([], {}).chatTokenDelayMs).toBeUndefined();
    expect(() => parseCliArgs(['--chat-token-delay', 'fast'], {})).toThrow(UsageError);
    expect(() => parseCliArgs(['--chat-token-delay', '1.5'], {})).toThrow(/--chat-token-delay must be a whole number of milliseconds from 0 to 60000/);
  });
});
