import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { FIXED_WIDGETS } from '../fixtures/fixed-widgets.ts';
import { planReply, tokenize } from '../src/resources/chat/agent.ts';
import { call, TEST_NOW, testSandbox } from './helpers.ts';

const EPOCH = Date.parse(TEST_NOW);
const hasAgent = (nodes: ReadonlyArray<{ type: string }>) => nodes.some((n) => n.type === 'AI_AGENT');

describe('seeded chat sessions and widgets', () => {
  it('gives each team AI-agent workflows, its widgets and chat history, for every seed', async () => {
    for (const seed of [undefined, 1, 2, 3, 7, 99, 12345]) {
      const sandbox = testSandbox(seed === undefined ? {} : { seed });
      await sandbox.ready;
      const { db } = sandbox.state;
      for (const teamId of [ACME_TEAM_ID, HOBBY_TEAM_ID]) {
        expect(db.workflows.filter((w) => w.teamId === teamId && hasAgent(w.nodes)).length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
        for (const widget of db.widgets.filter((w) => w.teamId === teamId)) {
          const workflow = db.workflows.get(widget.workflowId)!;
          expect(workflow.teamId).toBe(teamId);
          expect(hasAgent(workflow.nodes)).toBe(true);
        }
      }
      expect(db.widgets.all().map((w) => [w.id, w.token])).toEqual(FIXED_WIDGETS.map((w) => [w.id, w.token]));
      const dashboard = (teamId: string) => db.chatSessions.filter((s) => s.teamId === teamId && s.source === 'DASHBOARD').length;
      expect([dashboard(ACME_TEAM_ID), dashboard(HOBBY_TEAM_ID), db.chatSessions.filter((s) => s.source === 'WIDGET').length]).toEqual([8, 3, 2]);
    }
  });

  it('stores conversations the live agent would have written: alternating turns before the epoch, consistent token usage', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const { db, seed } = sandbox.state;
    let incomplete = 0;
    for (const session of db.chatSessions.all()) {
      const messages = db.chatMessages.filter((m) => m.sessionId === session.id);
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(messages.length).toBeLessThanOrEqual(8);
      expect(session.lastMessageAt).toBe(messages.at(-1)!.createdAt);
      expect(Date.parse(session.lastMessageAt!)).toBeLessThan(EPOCH);
      expect(Date.parse(session.createdAt)).toBeGreaterThan(EPOCH - 21 * 86_400_000);
      expect(hasAgent(db.workflows.get(session.workflowId)!.nodes)).toBe(true);
      const history: string[] = [];
      messages.forEach((message, i) => {
        expect(message.role).toBe(i % 2 === 0 ? 'user' : 'assistant');
        if (i > 0) expect(message.createdAt > messages[i - 1]!.createdAt).toBe(true);
        if (message.role === 'user') {
          expect(message.tokenUsage).toBeNull();
        } else {
          const reply = planReply({ seed, sessionId: session.id, prompt: messages[i - 1]!.content, history: history.slice(0, -1), systemPrompt: null });
          if (message.incomplete) {
            incomplete += 1;
            expect(reply.content.startsWith(message.content)).toBe(true);
            expect(message.content.length).toBeLessThan(reply.content.length);
          } else {
            expect(message.content).toBe(reply.content);
            expect(message.tokenUsage).toEqual(reply.tokenUsage);
          }
          expect(message.tokenUsage!.output).toBe(tokenize(message.content).length);
          expect(message.model).toEqual(expect.any(String));
        }
        history.push(message.content);
      });
    }
    expect(incomplete).toBe(1);
  });

  it('lists the widget tokens in /__sandbox/identities', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'GET', '/__sandbox/identities');
    expect(response.json.widgets).toEqual([
      { id: FIXED_WIDGETS[0]!.id, teamId: ACME_TEAM_ID, name: 'Help center chat', token: 'wgt_sandbox_acme_help', allowedDomains: [] },
      { id: FIXED_WIDGETS[1]!.id, teamId: ACME_TEAM_ID, name: 'Storefront assistant', token: 'wgt_sandbox_acme_store', allowedDomains: ['shop.acme-robotics.example', '*.acme-robotics.example'] },
      { id: FIXED_WIDGETS[2]!.id, teamId: HOBBY_TEAM_ID, name: 'Recipe helper', token: 'wgt_sandbox_hobby_recipes', allowedDomains: [] },
    ]);
  });

  it('has no widgets or chats in the empty data set', async () => {
    const sandbox = testSandbox({ scenarios: ['empty'] });
    await sandbox.ready;
    expect([sandbox.state.db.widgets.count(), sandbox.state.db.chatSessions.count(), sandbox.state.db.chatMessages.count()]).toEqual([0, 0, 0]);
    const config = await call(sandbox, 'GET', '/api/public/widgets/wgt_sandbox_acme_help/config');
    expect(config.status).toBe(401);
  });
});
