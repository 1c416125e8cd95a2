import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { FIXED_WIDGETS } from '../fixtures/fixed-widgets.ts';
import { agentWorkflowId, chatSandbox, newSession, plainWorkflowId, sendChat } from './chat-helpers.ts';
import { call, expectSpringError, TEST_NOW } from './helpers.ts';

const WIDGETS = `/api/teams/${ACME_TEAM_ID}/widgets`;
const HELP = FIXED_WIDGETS[0]!;
const config = (token: string) => `/api/public/widgets/${token}/config`;

describe('dashboard widget routes (3.6)', () => {
  it('lists the team widgets as a plain array, newest first, without tokens', async () => {
    const sandbox = await chatSandbox();
    const response = await call(sandbox, 'GET', WIDGETS, { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(Array.isArray(response.json)).toBe(true);
    expect(response.json.map((w: { name: string }) => w.name)).toEqual(['Storefront assistant', 'Help center chat']);
    const help = response.json[1];
    expect(help).toEqual({
      id: HELP.id,
      teamId: ACME_TEAM_ID,
      name: 'Help center chat',
      workflowId: expect.any(String),
      active: true,
      customization: HELP.customization,
      allowedDomains: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(sandbox.state.db.workflows.get(help.workflowId)!.nodes.some((n) => n.type === 'AI_AGENT')).toBe(true);
    const hobby = await call(sandbox, 'GET', `/api/teams/${HOBBY_TEAM_ID}/widgets`, { token: 'sdk_sandbox_hobby' });
    expect(hobby.json.map((w: { name: string }) => w.name)).toEqual(['Recipe helper']);
    expectSpringError(await call(sandbox, 'GET', `/api/teams/${HOBBY_TEAM_ID}/widgets`, { token: 'sdk_sandbox_admin' }), 403, 'Forbidden', `/api/teams/${HOBBY_TEAM_ID}/widgets`);
  });

  it('creates a widget: 201 with a fresh token that works at once, default customization and normalized domains', async () => {
    const sandbox = await chatSandbox();
    const workflowId = agentWorkflowId(sandbox);
    const created = await call(sandbox, 'POST', WIDGETS, {
      token: 'sdk_sandbox_builder',
      body: { name: ' Docs bot ', workflowId, customization: { primaryColor: '#112233', title: 'Docs' }, allowedDomains: ['Docs.Example.com', 'https://*.example.org', 'localhost:5173/'] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      teamId: ACME_TEAM_ID,
      name: 'Docs bot',
      workflowId,
      active: true,
      customization: { primaryColor: '#112233', title: 'Docs', position: 'bottom-right', welcomeMessage: 'Hi! How can I help you today?', inputPlaceholder: 'Type your message…' },
      allowedDomains: ['docs.example.com', '*.example.org', 'localhost:5173'],
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
      token: expect.stringMatching(/^wgt_[0-9a-f]{32}$/),
    });
    const live = await call(sandbox, 'GET', config(created.json.token), { headers: { origin: 'https://docs.example.com' } });
    expect(live.status).toBe(200);
    expect(live.json.name).toBe('Docs bot');
  });

  it('returns 400 naming the rule given a workflow without an AI Agent node, or of another team', async () => {
    const sandbox = await chatSandbox();
    const plain = await call(sandbox, 'POST', WIDGETS, { token: 'sdk_sandbox_builder', body: { name: 'x', workflowId: plainWorkflowId(sandbox) } });
    expect(expectSpringError(plain, 400, 'Bad Request', WIDGETS)).toMatch(/has no AI Agent node: A widget needs a workflow with at least one AI_AGENT node/);
    const other = await call(sandbox, 'POST', WIDGETS, { token: 'sdk_sandbox_builder', body: { name: 'x', workflowId: agentWorkflowId(sandbox, HOBBY_TEAM_ID) } });
    expect(expectSpringError(other, 400, 'Bad Request', WIDGETS)).toContain(`is not a workflow of team ${ACME_TEAM_ID}`);
    expect(sandbox.state.db.widgets.count()).toBe(FIXED_WIDGETS.length);
  });

  it('returns 400 naming the field for a missing name, a bad color, a bad domain or an unknown customization key', async () => {
    const sandbox = await chatSandbox();
    const workflowId = agentWorkflowId(sandbox);
    const cases: Array<[unknown, string | RegExp]> = [
      [{ workflowId }, 'Widget name is required'],
      [{ name: 'x' }, 'workflowId is required'],
      [{ name: 'x', workflowId, customization: { primaryColor: 'red;background:url(x)' } }, 'customization.primaryColor must be a hex color such as "#6366f1"'],
      [{ name: 'x', workflowId, customization: { logoUrl: 'javascript:alert(1)' } }, 'customization.logoUrl must be an http(s) URL'],
      [{ name: 'x', workflowId, customization: { position: 'top' } }, 'customization.position must be "bottom-right" or "bottom-left"'],
      [{ name: 'x', workflowId, customization: { font: 'Comic Sans' } }, /customization/],
      [{ name: 'x', workflowId, allowedDomains: ['exa mple.com'] }, /^allowedDomains: "exa mple.com" is not a domain/],
      [{ name: 'x', workflowId, allowedDomains: ['*.com'] }, /^allowedDomains: "\*\.com": a \*\. entry needs a domain with a dot/],
      [{ name: 'x', workflowId, allowedDomains: 'example.com' }, /allowedDomains must be an array/],
    ];
    for (const [body, message] of cases) {
      const response = await call(sandbox, 'POST', WIDGETS, { token: 'sdk_sandbox_builder', body });
      const text = expectSpringError(response, 400, 'Bad Request', WIDGETS);
      if (typeof message === 'string') expect(text).toBe(message);
      else expect(text).toMatch(message);
    }
  });

  it('lets VIEWER and OPERATOR read but not write: 403 on create, update, delete and regenerate', async () => {
    const sandbox = await chatSandbox();
    for (const token of ['sdk_sandbox_viewer', 'sdk_sandbox_operator']) {
      expectSpringError(await call(sandbox, 'POST', WIDGETS, { token, body: { name: 'x', workflowId: agentWorkflowId(sandbox) } }), 403, 'Forbidden', WIDGETS);
      expectSpringError(await call(sandbox, 'PUT', `${WIDGETS}/${HELP.id}`, { token, body: { name: 'x' } }), 403, 'Forbidden', `${WIDGETS}/${HELP.id}`);
      expectSpringError(await call(sandbox, 'DELETE', `${WIDGETS}/${HELP.id}`, { token }), 403, 'Forbidden', `${WIDGETS}/${HELP.id}`);
      expectSpringError(await call(sandbox, 'POST', `${WIDGETS}/${HELP.id}/regenerate-token`, { token }), 403, 'Forbidden', `${WIDGETS}/${HELP.id}/regenerate-token`);
      expect((await call(sandbox, 'GET', `${WIDGETS}/${HELP.id}/embed-code`, { token })).status).toBe(200);
    }
  });

  it('updates only the fields given, merging customization keys', async () => {
    const sandbox = await chatSandbox();
    sandbox.clock.advance('5m');
    const updated = await call(sandbox, 'PUT', `${WIDGETS}/${HELP.id}`, { token: 'sdk_sandbox_builder', body: { customization: { primaryColor: '#000000' }, allowedDomains: ['help.acme.test'] } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      name: 'Help center chat',
      active: true,
      customization: { ...HELP.customization, primaryColor: '#000000' },
      allowedDomains: ['help.acme.test'],
      updatedAt: '2026-11-01T12:05:00.000Z',
    });
    expect(updated.json.token).toBeUndefined();
    const renamed = await call(sandbox, 'PUT', `${WIDGETS}/${HELP.id}`, { token: 'sdk_sandbox_builder', body: { name: 'Help desk', active: false } });
    expect(renamed.json).toMatchObject({ name: 'Help desk', active: false, allowedDomains: ['help.acme.test'] });
    const plain = await call(sandbox, 'PUT', `${WIDGETS}/${HELP.id}`, { token: 'sdk_sandbox_builder', body: { workflowId: plainWorkflowId(sandbox) } });
    expect(expectSpringError(plain, 400, 'Bad Request', `${WIDGETS}/${HELP.id}`)).toMatch(/has no AI Agent node/);
  });

  it('returns 404 for a widget of another team under your own team path, and for an unknown id', async () => {
    const sandbox = await chatSandbox();
    const hobby = FIXED_WIDGETS.find((w) => w.teamId === HOBBY_TEAM_ID)!;
    for (const id of [hobby.id, 'no-such-widget']) {
      expectSpringError(await call(sandbox, 'PUT', `${WIDGETS}/${id}`, { token: 'sdk_sandbox_admin', body: { name: 'x' } }), 404, 'Not Found', `${WIDGETS}/${id}`);
      expectSpringError(await call(sandbox, 'GET', `${WIDGETS}/${id}/embed-code`, { token: 'sdk_sandbox_admin' }), 404, 'Not Found', `${WIDGETS}/${id}/embed-code`);
    }
  });

  it('deletes a widget: 204, and its token is dead at once', async () => {
    const sandbox = await chatSandbox();
    expect((await call(sandbox, 'GET', config(HELP.token))).status).toBe(200);
    const deleted = await call(sandbox, 'DELETE', `${WIDGETS}/${HELP.id}`, { token: 'sdk_sandbox_builder' });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(expectSpringError(await call(sandbox, 'GET', config(HELP.token)), 401, 'Unauthorized', config(HELP.token))).toMatch(/Unknown widget token/);
    const list = await call(sandbox, 'GET', WIDGETS, { token: 'sdk_sandbox_viewer' });
    expect(list.json.map((w: { id: string }) => w.id)).not.toContain(HELP.id);
  });

  it("deleting a widget's workflow deletes the widget and the workflow's chat sessions with their messages, keeps its executions, and audits the counts", async () => {
    const sandbox = await chatSandbox();
    const workflowId = sandbox.state.db.widgets.get(HELP.id)!.workflowId;
    const session = await newSession(sandbox, 'sdk_sandbox_operator', { workflowId });
    expect((await sendChat(sandbox, session, 'hello', { headers: { accept: 'application/json' } })).status).toBe(200);
    const ran = await call(sandbox, 'POST', `/api/workflows/${workflowId}/execute`, { token: 'sdk_sandbox_builder', body: {} });
    expect(ran.status).toBe(200);
    const sessionsBefore = sandbox.state.db.chatSessions.filter((s) => s.workflowId === workflowId).length;
    expect(sessionsBefore).toBeGreaterThanOrEqual(1);

    expect((await call(sandbox, 'DELETE', `/api/workflows/${workflowId}`, { token: 'sdk_sandbox_builder' })).status).toBe(204);
    expect(expectSpringError(await call(sandbox, 'GET', config(HELP.token)), 401, 'Unauthorized', config(HELP.token))).toMatch(/Unknown widget token/);
    const widgets = await call(sandbox, 'GET', WIDGETS, { token: 'sdk_sandbox_viewer' });
    expect(widgets.json.map((w: { workflowId: string }) => w.workflowId)).not.toContain(workflowId);
    expect((await call(sandbox, 'GET', `/api/agent-chat/sessions/${session}`, { token: 'sdk_sandbox_operator' })).status).toBe(404);
    expect(sandbox.state.db.chatSessions.filter((s) => s.workflowId === workflowId)).toEqual([]);
    expect(sandbox.state.db.chatMessages.filter((m) => m.sessionId === session)).toEqual([]);
    expect((await call(sandbox, 'GET', `/api/executions/${ran.json.id}`, { token: 'sdk_sandbox_viewer' })).status).toBe(200);
    const audit = await call(sandbox, 'GET', `/api/audit/team/${ACME_TEAM_ID}?action=WORKFLOW_DELETED`, { token: 'sdk_sandbox_admin' });
    expect(audit.json.content[0]).toMatchObject({ resourceId: workflowId, details: { widgetsDeleted: 1, chatSessionsDeleted: sessionsBefore } });
  });

  it("keeps the widget and sessions when the workflow's delete is refused", async () => {
    const sandbox = await chatSandbox();
    const workflowId = sandbox.state.db.widgets.get(HELP.id)!.workflowId;
    const session = await newSession(sandbox, 'sdk_sandbox_operator', { workflowId });
    expect((await call(sandbox, 'DELETE', `/api/workflows/${workflowId}`, { token: 'sdk_sandbox_viewer' })).status).toBe(403);
    expect((await call(sandbox, 'GET', config(HELP.token))).status).toBe(200);
    expect((await call(sandbox, 'GET', `/api/agent-chat/sessions/${session}`, { token: 'sdk_sandbox_operator' })).status).toBe(200);
  });

  it('returns the embed code: a script tag for this origin with the token', async () => {
    const sandbox = await chatSandbox();
    const response = await call(sandbox, 'GET', `${WIDGETS}/${HELP.id}/embed-code`, { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ embedCode: `<script src="http://sandbox.test/widget.js" data-token="${HELP.token}"></script>` });
  });

  it('regenerates the token: the old one is dead at once, the new one works', async () => {
    const sandbox = await chatSandbox();
    const response = await call(sandbox, 'POST', `${WIDGETS}/${HELP.id}/regenerate-token`, { token: 'sdk_sandbox_builder' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ token: expect.stringMatching(/^wgt_[0-9a-f]{32}$/), widgetId: HELP.id });
    expect(response.json.token).not.toBe(HELP.token);
    expectSpringError(await call(sandbox, 'GET', config(HELP.token)), 401, 'Unauthorized', config(HELP.token));
    expect((await call(sandbox, 'GET', config(response.json.token))).status).toBe(200);
    const embed = await call(sandbox, 'GET', `${WIDGETS}/${HELP.id}/embed-code`, { token: 'sdk_sandbox_viewer' });
    expect(embed.json.embedCode).toContain(`data-token="${response.json.token}"`);
  });

  it('audits each write with its WIDGET_ action', async () => {
    const sandbox = await chatSandbox();
    const created = await call(sandbox, 'POST', WIDGETS, { token: 'sdk_sandbox_builder', body: { name: 'Audited', workflowId: agentWorkflowId(sandbox) } });
    const id = created.json.id;
    await call(sandbox, 'PUT', `${WIDGETS}/${id}`, { token: 'sdk_sandbox_builder', body: { name: 'Audited 2' } });
    await call(sandbox, 'POST', `${WIDGETS}/${id}/regenerate-token`, { token: 'sdk_sandbox_builder' });
    await call(sandbox, 'DELETE', `${WIDGETS}/${id}`, { token: 'sdk_sandbox_builder' });
    const entries = sandbox.state.db.auditLogs.filter((e) => e.resourceId === id);
    expect(entries.map((e) => [e.action, e.resourceType, e.teamId])).toEqual([
      ['WIDGET_CREATED', 'WIDGET', ACME_TEAM_ID],
      ['WIDGET_UPDATED', 'WIDGET', ACME_TEAM_ID],
      ['WIDGET_TOKEN_REGENERATED', 'WIDGET', ACME_TEAM_ID],
      ['WIDGET_DELETED', 'WIDGET', ACME_TEAM_ID],
    ]);
    expect(entries[0]!.details).toMatchObject({ widgetName: 'Audited' });
  });
});
