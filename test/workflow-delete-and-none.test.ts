import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { FIXED_WIDGETS } from '../fixtures/fixed-widgets.ts';
import { loadStartupScenarios, parseCliArgs } from '../src/hosts/cli.ts';
import { chatSandbox } from './chat-helpers.ts';
import { call } from './helpers.ts';
import { fresh, VIEWER } from './scenario-hosts.ts';

/** Regressions of the workflow delete's cascade and of the reserved scenario name `none`. */

const HELP = FIXED_WIDGETS[0]!;
const WIDGETS = `/api/teams/${ACME_TEAM_ID}/widgets`;
const ORIGIN = { origin: 'https://help.example' };

/** HELP's workflow (A), another Acme agent workflow (B), and a widget conversation started on A. */
async function switchedWidget() {
  const sandbox = await chatSandbox();
  const db = sandbox.state.db;
  const a = db.widgets.get(HELP.id)!.workflowId;
  const b = db.workflows.all().find((w) => w.teamId === ACME_TEAM_ID && w.id !== a && w.nodes.some((n) => n.type === 'AI_AGENT'))!.id;
  const started = await call(sandbox, 'POST', `/api/public/widgets/${HELP.token}/sessions`, { body: {}, headers: ORIGIN });
  expect(started.status).toBe(201);
  expect((await call(sandbox, 'PUT', `${WIDGETS}/${HELP.id}`, { token: 'sdk_sandbox_builder', body: { workflowId: b } })).status).toBe(200);
  return { sandbox, a, b, sessionId: started.json.sessionId as string };
}

describe('deleting a workflow and the widgets switched to or from it', () => {
  it("keeps a live widget's conversations started on its former workflow (D-WSET: switched, history kept)", async () => {
    const { sandbox, a, sessionId } = await switchedWidget();
    expect((await call(sandbox, 'DELETE', `/api/workflows/${a}`, { token: 'sdk_sandbox_builder' })).status).toBe(204);
    expect((await call(sandbox, 'GET', `/api/public/widgets/${HELP.token}/sessions/${sessionId}/messages`, { headers: ORIGIN })).status).toBe(200);
  });

  it("deletes the conversations of a widget it deletes, those started on the widget's former workflow too", async () => {
    const { sandbox, b, sessionId } = await switchedWidget();
    expect((await call(sandbox, 'DELETE', `/api/workflows/${b}`, { token: 'sdk_sandbox_builder' })).status).toBe(204);
    expect(sandbox.state.db.widgets.get(HELP.id)).toBeUndefined();
    expect(sandbox.state.db.chatSessions.get(sessionId)).toBeUndefined();
    expect(sandbox.state.db.chatSessions.filter((s) => s.widgetId === HELP.id)).toEqual([]);
  });
});

describe('none', () => {
  it('is accepted alone by --scenario and SANDBOX_SCENARIO, and refused with others saying it stands alone', async () => {
    await expect(loadStartupScenarios(parseCliArgs(['--scenario', 'none'], {}, '/nonexistent'))).resolves.toEqual([]);
    await expect(loadStartupScenarios(parseCliArgs([], { SANDBOX_SCENARIO: 'none' }, '/nonexistent'))).resolves.toEqual([]);
    await expect(loadStartupScenarios(parseCliArgs(['--scenario', 'none,slow'], {}, '/nonexistent'))).rejects.toThrow(/'none' means no scenario and stands alone/);
  });

  it('use(definition, none) is refused without registering the definition', async () => {
    const sandbox = await fresh();
    expect(() => sandbox.scenarios.use({ name: 'left-behind', description: 'd', rules: [] } as never, 'none')).toThrow(/stands alone/);
    expect(sandbox.scenarios.list().map((s) => s.name)).not.toContain('left-behind');
  });

  it('a snapshot binding a caller to none is refused, as PUT /__sandbox/scenario refuses it', async () => {
    const sandbox = await fresh();
    sandbox.scenarios.useFor(VIEWER, 'forbidden');
    const snapshot = (await call(sandbox, 'GET', '/__sandbox/snapshot')).json;
    snapshot.scenarios.bindings[0].names = ['none'];
    const restored = await call(sandbox, 'PUT', '/__sandbox/snapshot', { body: snapshot });
    expect(restored.status).toBe(400);
    expect(restored.json.message).toMatch(/scenarios\.bindings\.0\.names: 'none' cannot be bound/);
    expect(sandbox.scenarios.current().bindings).toEqual({ [VIEWER]: ['forbidden'] });
  });
});
