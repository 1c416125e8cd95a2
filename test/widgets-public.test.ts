import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import { FIXED_WIDGETS } from '../fixtures/fixed-widgets.ts';
import { isSandboxPath } from '../src/hosts/msw.ts';
import { chatEvents, chatSandbox, tokensOf } from './chat-helpers.ts';
import { call, expectSpringError, TEST_NOW } from './helpers.ts';

const [HELP, STORE] = FIXED_WIDGETS as [(typeof FIXED_WIDGETS)[0], (typeof FIXED_WIDGETS)[0]];
const base = (token: string) => `/api/public/widgets/${token}`;

/** Starts a widget conversation; returns its session id. */
async function widgetSession(sandbox: Awaited<ReturnType<typeof chatSandbox>>, token = HELP.token, headers: Record<string, string> = {}): Promise<string> {
  const response = await call(sandbox, 'POST', `${base(token)}/sessions`, { body: {}, headers });
  expect(response.status, response.text).toBe(201);
  return response.json.sessionId;
}

describe('public widget API (3.6 [INF])', () => {
  it('answers the config without any credentials', async () => {
    const sandbox = await chatSandbox();
    const response = await call(sandbox, 'GET', `${base(HELP.token)}/config`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      name: 'Help center chat',
      customization: HELP.customization,
      welcomeMessage: HELP.customization.welcomeMessage,
      inputPlaceholder: HELP.customization.inputPlaceholder,
    });
    expect(response.headers.get('x-ratelimit-limit')).toBe('30');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('returns 401 for an unknown token', async () => {
    const sandbox = await chatSandbox();
    const path = `${base('wgt_nope')}/config`;
    expect(expectSpringError(await call(sandbox, 'GET', path), 401, 'Unauthorized', path)).toMatch(/^Unknown widget token/);
  });

  it('starts a conversation (201 {sessionId}) with or without a body, storing the visitor id', async () => {
    const sandbox = await chatSandbox();
    const bare = await call(sandbox, 'POST', `${base(HELP.token)}/sessions`);
    expect(bare.status).toBe(201);
    expect(bare.json).toEqual({ sessionId: expect.any(String) });
    const withVisitor = await call(sandbox, 'POST', `${base(HELP.token)}/sessions`, { body: { visitorId: 'visitor-42' } });
    const session = sandbox.state.db.chatSessions.get(withVisitor.json.sessionId)!;
    expect(session).toMatchObject({ source: 'WIDGET', widgetId: HELP.id, visitorId: 'visitor-42', teamId: ACME_TEAM_ID, createdAt: TEST_NOW });
    expect(session.workflowId).toBe(sandbox.state.db.widgets.get(HELP.id)!.workflowId);
  });

  it('streams replies exactly like agent chat, and lists the conversation', async () => {
    const sandbox = await chatSandbox();
    const sessionId = await widgetSession(sandbox);
    const path = `${base(HELP.token)}/sessions/${sessionId}/messages`;
    const reply = await call(sandbox, 'POST', path, { body: { content: 'Where is my order #48213?' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(reply.headers.get('x-accel-buffering')).toBe('no');
    const events = chatEvents(reply.text);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const list = await call(sandbox, 'GET', path);
    expect(list.status).toBe(200);
    expect(list.json.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(list.json[1]).toMatchObject({ id: done.data.messageId, content: tokensOf(events), tokenUsage: done.data.tokenUsage, incomplete: false });
    const asJson = await call(sandbox, 'POST', path, { body: { content: '/echo <b>hi</b>' }, headers: { accept: 'application/json' } });
    expect(asJson.json).toEqual({ message: expect.objectContaining({ role: 'assistant', content: '<b>hi</b>', sessionId }) });
  });

  it('returns 404 for an unknown conversation or one of another widget, and 400 for an empty message', async () => {
    const sandbox = await chatSandbox();
    const other = await widgetSession(sandbox, FIXED_WIDGETS[2]!.token);
    const dashboard = sandbox.state.db.chatSessions.all().find((s) => s.source === 'DASHBOARD' && s.teamId === ACME_TEAM_ID)!.id;
    for (const id of [other, dashboard, 'nope']) {
      const path = `${base(HELP.token)}/sessions/${id}/messages`;
      expectSpringError(await call(sandbox, 'GET', path), 404, 'Not Found', path);
      expectSpringError(await call(sandbox, 'POST', path, { body: { content: 'hi' } }), 404, 'Not Found', path);
    }
    const mine = `${base(HELP.token)}/sessions/${await widgetSession(sandbox)}/messages`;
    expect(expectSpringError(await call(sandbox, 'POST', mine, { body: { content: '' } }), 400, 'Bad Request', mine)).toBe('content is required');
  });

  it('accepts origins matching allowedDomains by whole host, case-insensitively, and *. subdomains, echoing them', async () => {
    const sandbox = await chatSandbox();
    for (const origin of ['https://shop.acme-robotics.example', 'https://SHOP.Acme-Robotics.example', 'http://shop.acme-robotics.example:8080', 'https://eu.acme-robotics.example', 'https://a.b.acme-robotics.example']) {
      const response = await call(sandbox, 'GET', `${base(STORE.token)}/config`, { headers: { origin } });
      expect(response.status, origin).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toBe('Origin');
    }
  });

  it('refuses other origins with 403, the Spring body and no Access-Control-Allow-Origin: never a substring, prefix or suffix match', async () => {
    const sandbox = await chatSandbox();
    const path = `${base(STORE.token)}/config`;
    const refused = [
      'https://acme-robotics.example',
      'https://evilshop.acme-robotics.example.attacker.io',
      'https://shop.acme-robotics.example.attacker.io',
      'https://notacme-robotics.example',
      'https://shop-acme-robotics.example',
      'http://localhost:5173',
      'null',
      'file://',
    ];
    for (const origin of refused) {
      const response = await call(sandbox, 'GET', path, { headers: { origin } });
      expect(expectSpringError(response, 403, 'Forbidden', path), origin).toContain(`Origin ${origin} may not use this widget`);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toBe('Origin');
    }
    const noOrigin = await call(sandbox, 'GET', path);
    expect(expectSpringError(noOrigin, 403, 'Forbidden', path)).toMatch(/send the page's Origin header/);
    // Every public route applies the rule.
    const session = `${base(STORE.token)}/sessions`;
    expectSpringError(await call(sandbox, 'POST', session, { body: {}, headers: { origin: 'https://evil.example' } }), 403, 'Forbidden', session);
  });

  it('answers preflights from any origin, and keeps the local-only CORS of the rest of the API', async () => {
    const sandbox = await chatSandbox();
    const preflight = await call(sandbox, 'OPTIONS', `${base(HELP.token)}/sessions`, {
      headers: { origin: 'https://customer.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://customer.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const api = await call(sandbox, 'OPTIONS', '/api/workflows', { headers: { origin: 'https://customer.example', 'access-control-request-method': 'GET' } });
    expect(api.status).toBe(403);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps widget CORS when corsOrigins is none', async () => {
    const sandbox = await chatSandbox({ corsOrigins: 'none' });
    const response = await call(sandbox, 'GET', `${base(HELP.token)}/config`, { headers: { origin: 'https://customer.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://customer.example');
    const api = await call(sandbox, 'GET', '/api/auth/me', { token: 'sdk_sandbox_admin', headers: { origin: 'http://localhost:5173' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each token and client address to 30 requests per minute', async () => {
    const sandbox = await chatSandbox();
    const path = `${base(HELP.token)}/config`;
    for (let i = 1; i <= 30; i++) {
      const response = await call(sandbox, 'GET', path, { clientAddress: '203.0.113.7' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-remaining')).toBe(String(30 - i));
    }
    const limited = await call(sandbox, 'GET', path, { clientAddress: '203.0.113.7' });
    expect(expectSpringError(limited, 429, 'Too Many Requests', path)).toMatch(/Rate limit of 30 requests per minute exceeded/);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await call(sandbox, 'GET', path, { clientAddress: '203.0.113.8' })).status).toBe(200);
    expect((await call(sandbox, 'GET', `${base(STORE.token)}/config`, { clientAddress: '203.0.113.7', headers: { origin: 'https://shop.acme-robotics.example' } })).status).toBe(200);
    sandbox.clock.advance('1m');
    expect((await call(sandbox, 'GET', path, { clientAddress: '203.0.113.7' })).status).toBe(200);
  });

  it('answers 403 while the widget is switched off', async () => {
    const sandbox = await chatSandbox();
    await call(sandbox, 'PUT', `/api/teams/${ACME_TEAM_ID}/widgets/${HELP.id}`, { token: 'sdk_sandbox_builder', body: { active: false } });
    const path = `${base(HELP.token)}/config`;
    expect(expectSpringError(await call(sandbox, 'GET', path), 403, 'Forbidden', path)).toMatch(/is switched off/);
  });

  it('records no audit entries for end-user traffic', async () => {
    const sandbox = await chatSandbox();
    const before = sandbox.state.db.auditLogs.count();
    const sessionId = await widgetSession(sandbox);
    await call(sandbox, 'POST', `${base(HELP.token)}/sessions/${sessionId}/messages`, { body: { content: 'hi' } });
    expect(sandbox.state.db.auditLogs.count()).toBe(before);
    expect(sandbox.journal.list({ limit: 1 })[0]).toMatchObject({ principal: `widget:${HELP.id}`, outcome: 'complete' });
  });
});

describe('GET /widget.js', () => {
  it('serves the embeddable script as JavaScript that compiles', async () => {
    const sandbox = await chatSandbox();
    const response = await call(sandbox, 'GET', '/widget.js', { headers: { origin: 'https://customer.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.text).toContain("getAttribute('data-token')");
    expect(response.text).toContain('/api/public/widgets/');
    expect(() => new Function(response.text)).not.toThrow();
    const head = await call(sandbox, 'HEAD', '/widget.js');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(Number(head.headers.get('content-length'))).toBe(new TextEncoder().encode(response.text).byteLength);
    expect(isSandboxPath('/widget.js')).toBe(true);
  });
});
