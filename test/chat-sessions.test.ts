import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { agentWorkflowId, chatSandbox, newSession, plainWorkflowId, sendChat } from './chat-helpers.ts';
import { call, expectSpringError, login, TEST_NOW } from './helpers.ts';

const SESSIONS = '/api/agent-chat/sessions';

describe('agent chat sessions (3.5)', () => {
  it('creates a session: 201 with the documented shape and no messages', async () => {
    const sandbox = await chatSandbox();
    const workflowId = agentWorkflowId(sandbox);
    const created = await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_operator', body: { workflowId, teamId: ACME_TEAM_ID } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      teamId: ACME_TEAM_ID,
      workflowId,
      title: 'New conversation',
      model: null,
      systemPrompt: null,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
      lastMessageAt: null,
      messages: [],
    });
    const named = await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_operator', body: { workflowId, title: 'Gripper questions', model: 'claude-sonnet-4' } });
    expect(named.status).toBe(201);
    expect(named.json).toMatchObject({ teamId: ACME_TEAM_ID, title: 'Gripper questions', model: 'claude-sonnet-4' });
  });

  it('returns 400 naming the rule given a workflow without an AI Agent node', async () => {
    const sandbox = await chatSandbox();
    const before = sandbox.state.db.chatSessions.count();
    const response = await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_operator', body: { workflowId: plainWorkflowId(sandbox), teamId: ACME_TEAM_ID } });
    const message = expectSpringError(response, 400, 'Bad Request', SESSIONS);
    expect(message).toMatch(/has no AI Agent node: Agent chat needs a workflow with at least one AI_AGENT node, such as "[^"]+" \(/);
    // It names one of the team's that qualifies: the workflow list does not show node types.
    expect(message).toContain(`(${agentWorkflowId(sandbox)})`);
    expect(sandbox.state.db.chatSessions.count()).toBe(before);
  });

  it('returns 400 naming the rule given a workflow of another team or an unknown one', async () => {
    const sandbox = await chatSandbox();
    const before = sandbox.state.db.chatSessions.count();
    for (const workflowId of [agentWorkflowId(sandbox, HOBBY_TEAM_ID), 'no-such-workflow']) {
      const response = await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_operator', body: { workflowId, teamId: ACME_TEAM_ID } });
      expect(expectSpringError(response, 400, 'Bad Request', SESSIONS)).toContain(`is not a workflow of team ${ACME_TEAM_ID}`);
    }
    expect(sandbox.state.db.chatSessions.count()).toBe(before);
  });

  it('returns 400 without workflowId, and 403 for a VIEWER', async () => {
    const sandbox = await chatSandbox();
    expect(expectSpringError(await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_operator', body: { teamId: ACME_TEAM_ID } }), 400, 'Bad Request', SESSIONS)).toBe('workflowId is required');
    const viewer = await call(sandbox, 'POST', SESSIONS, { token: 'sdk_sandbox_viewer', body: { workflowId: agentWorkflowId(sandbox) } });
    expect(expectSpringError(viewer, 403, 'Forbidden', SESSIONS)).toContain('OPERATOR role or higher');
  });

  it('lists a page of the seeded sessions, latest activity first', async () => {
    const sandbox = await chatSandbox();
    const page = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}`, { token: 'sdk_sandbox_viewer' });
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ totalElements: 8, totalPages: 1, number: 0, size: 20 });
    const activity = page.json.content.map((s: { lastMessageAt: string }) => s.lastMessageAt);
    expect(activity).toEqual([...activity].sort().reverse());
    for (const item of page.json.content) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'id', 'lastMessageAt', 'messageCount', 'title', 'workflowId']);
      expect(item.messageCount).toBeGreaterThanOrEqual(2);
    }
    // A new session with a message moves to the top; paging cuts the list.
    const id = await newSession(sandbox);
    sandbox.clock.advance('1m');
    await sendChat(sandbox, id, 'Newest question', { headers: { accept: 'application/json' } });
    const first = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}&size=2&page=0`, { token: 'sdk_sandbox_viewer' });
    expect(first.json.content[0]).toMatchObject({ id, title: 'Newest question', messageCount: 2 });
    expect(first.json).toMatchObject({ totalElements: 9, totalPages: 5, size: 2 });
  });

  it('searches titles and message content, case-insensitively, and filters by workflow', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox, 'sdk_sandbox_operator', { title: 'Unrelated title' });
    await sendChat(sandbox, id, 'Does the Zebra-Scanner integration support batch mode?', { headers: { accept: 'application/json' } });
    const byContent = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}&search=zebra-scanner`, { token: 'sdk_sandbox_viewer' });
    expect(byContent.json.content.map((s: { id: string }) => s.id)).toEqual([id]);
    const byTitle = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}&search=UNRELATED`, { token: 'sdk_sandbox_viewer' });
    expect(byTitle.json.content.map((s: { id: string }) => s.id)).toEqual([id]);
    const none = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}&search=nothing-matches-this`, { token: 'sdk_sandbox_viewer' });
    expect(none.json).toMatchObject({ content: [], totalElements: 0 });
    const workflowId = agentWorkflowId(sandbox);
    const byWorkflow = await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}&workflowId=${workflowId}`, { token: 'sdk_sandbox_viewer' });
    expect(byWorkflow.json.content.length).toBeGreaterThanOrEqual(1);
    for (const item of byWorkflow.json.content) expect(item.workflowId).toBe(workflowId);
  });

  it('returns 400 listing with a cookie session and no teamId, and 403 for another team', async () => {
    const sandbox = await chatSandbox();
    const cookie = await login(sandbox, 'viewer@acme.test');
    expectSpringError(await call(sandbox, 'GET', SESSIONS, { cookie }), 400, 'Bad Request', SESSIONS);
    expect((await call(sandbox, 'GET', `${SESSIONS}?teamId=${ACME_TEAM_ID}`, { cookie })).status).toBe(200);
    expectSpringError(await call(sandbox, 'GET', `${SESSIONS}?teamId=${HOBBY_TEAM_ID}`, { token: 'sdk_sandbox_admin' }), 403, 'Forbidden', SESSIONS);
  });

  it('gets a session with its messages, in order', async () => {
    const sandbox = await chatSandbox();
    const seeded = sandbox.state.db.chatSessions.all().find((s) => s.teamId === ACME_TEAM_ID && s.source === 'DASHBOARD')!;
    const response = await call(sandbox, 'GET', `${SESSIONS}/${seeded.id}`, { token: 'sdk_sandbox_viewer' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: seeded.id, workflowId: seeded.workflowId, title: seeded.title, createdAt: seeded.createdAt });
    const roles = response.json.messages.map((m: { role: string }) => m.role);
    expect(roles.length % 2).toBe(0);
    roles.forEach((role: string, i: number) => expect(role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    const [user, assistant] = response.json.messages;
    expect(Object.keys(user).sort()).toEqual(['content', 'createdAt', 'id', 'incomplete', 'role', 'sessionId']);
    expect(assistant).toMatchObject({ role: 'assistant', tokenUsage: { input: expect.any(Number), output: expect.any(Number) }, model: expect.any(String), incomplete: false });
    expect(Date.parse(assistant.createdAt)).toBeGreaterThan(Date.parse(user.createdAt));
  });

  it('returns 404 given a session of another team, an unknown one, or a widget conversation', async () => {
    const sandbox = await chatSandbox();
    const hobby = sandbox.state.db.chatSessions.all().find((s) => s.teamId === HOBBY_TEAM_ID)!;
    const widget = sandbox.state.db.chatSessions.all().find((s) => s.source === 'WIDGET')!;
    for (const id of [hobby.id, widget.id, 'no-such-session']) {
      expectSpringError(await call(sandbox, 'GET', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_admin' }), 404, 'Not Found', `${SESSIONS}/${id}`);
    }
  });

  it('renames a session with PATCH; the first message then keeps that title', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const renamed = await call(sandbox, 'PATCH', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator', body: { title: '  Robot fleet Q&A ' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id, title: 'Robot fleet Q&A', messages: [] });
    await sendChat(sandbox, id, 'Hello there', { headers: { accept: 'application/json' } });
    expect(sandbox.state.db.chatSessions.get(id)!.title).toBe('Robot fleet Q&A');
    expect(expectSpringError(await call(sandbox, 'PATCH', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator', body: { title: ' ' } }), 400, 'Bad Request', `${SESSIONS}/${id}`)).toBe('title is required');
    expectSpringError(await call(sandbox, 'PATCH', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_viewer', body: { title: 'x' } }), 403, 'Forbidden', `${SESSIONS}/${id}`);
  });

  it('names an untitled session after its first message', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    const long = `Why does robot R-17 stop at the charging dock every night around 2 am?\nMore detail here`;
    await sendChat(sandbox, id, long, { headers: { accept: 'application/json' } });
    expect(sandbox.state.db.chatSessions.get(id)!.title).toBe(`${long.slice(0, 59)}…`);
    expect(sandbox.state.db.chatSessions.get(id)!.title).toHaveLength(60);
    await sendChat(sandbox, id, 'Second question', { headers: { accept: 'application/json' } });
    expect(sandbox.state.db.chatSessions.get(id)!.title).toMatch(/^Why does robot R-17/);
  });

  it('deletes a session with its history: 204, then 404', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    await sendChat(sandbox, id, 'Delete me later', { headers: { accept: 'application/json' } });
    expectSpringError(await call(sandbox, 'DELETE', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_viewer' }), 403, 'Forbidden', `${SESSIONS}/${id}`);
    const deleted = await call(sandbox, 'DELETE', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator' });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(sandbox.state.db.chatMessages.filter((m) => m.sessionId === id)).toEqual([]);
    expectSpringError(await call(sandbox, 'GET', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator' }), 404, 'Not Found', `${SESSIONS}/${id}`);
  });

  it('audits session create, rename, message and delete with their actions', async () => {
    const sandbox = await chatSandbox();
    const id = await newSession(sandbox);
    await call(sandbox, 'PATCH', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator', body: { title: 'Audited' } });
    await sendChat(sandbox, id, 'Audit me', { headers: { accept: 'application/json' } });
    await call(sandbox, 'DELETE', `${SESSIONS}/${id}`, { token: 'sdk_sandbox_operator' });
    const entries = sandbox.state.db.auditLogs.filter((e) => e.resourceId === id).map((e) => [e.action, e.resourceType]);
    expect(entries).toEqual([
      ['CHAT_SESSION_CREATED', 'CHAT_SESSION'],
      ['CHAT_SESSION_UPDATED', 'CHAT_SESSION'],
      ['CHAT_MESSAGE_SENT', 'CHAT_SESSION'],
      ['CHAT_SESSION_DELETED', 'CHAT_SESSION'],
    ]);
  });
});
