import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID } from 'nodeloom-sandbox';
import type { AnyRoute } from '../src/core/route.ts';
import { nullAsAbsent } from '../src/core/null-as-absent.ts';
import { apiRoutes } from '../src/routes.ts';
import { agentWorkflowId } from './chat-helpers.ts';
import { call, login, testSandbox } from './helpers.ts';
import { ROUTE_EXAMPLES } from './route-examples.ts';
import { z } from 'zod';

/**
 * A JSON `null` for a body field leaves it unset, as Jackson binds Spring's request DTOs: the same
 * call as the body without the field (src/core/null-as-absent.ts). A break-it run found chat,
 * widget, monitoring, report and SDK token bodies answering 400 "expected string, received null"
 * for optional fields a Python client sends as `None`. Generated over every write route's example
 * (test/route-examples.ts): each field of the example, sent as null, answers as the example
 * without that field does (status, and the message of an error).
 */

const withBody = apiRoutes.filter((route): route is AnyRoute & { body: NonNullable<AnyRoute['body']> } => route.body !== undefined && route.method !== 'GET');

async function send(key: string, route: AnyRoute, body: (example: Record<string, unknown>) => unknown) {
  const sandbox = testSandbox();
  await sandbox.ready;
  const example = ROUTE_EXAMPLES[key]!({ state: sandbox.state, teamId: ACME_TEAM_ID });
  await example.prepare?.(sandbox.state);
  const auth = example.tokenRefused ? { cookie: await login(sandbox, 'admin@acme.test') } : { token: 'sdk_sandbox_admin' };
  const query = example.query ? `?${new URLSearchParams(example.query)}` : '';
  const response = await call(sandbox, route.method, example.path + query, { ...auth, body: body(example.body as Record<string, unknown>) });
  return { status: response.status, message: response.status >= 400 ? (response.json?.message as string) : undefined };
}

const seeded = testSandbox();
await seeded.ready;

describe('a null body field is a field not sent (Jackson)', () => {
  const cases = withBody.flatMap((route) => {
    const key = `${route.method} ${route.path}`;
    const example = ROUTE_EXAMPLES[key]?.({ state: seeded.state, teamId: ACME_TEAM_ID });
    const body = example?.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
    return Object.keys(body).map((field) => [key, field, route] as const);
  });

  it('covers the fields of many write routes', () => {
    expect(new Set(cases.map(([key]) => key)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s: "%s": null answers as the body without it', async (key, field, route) => {
    const without = await send(key, route, (body) => Object.fromEntries(Object.entries(body).filter(([name]) => name !== field)));
    const nulled = await send(key, route, (body) => ({ ...body, [field]: null }));
    // A field whose schema takes null itself (it clears a value) is the exception: null is a value there.
    const shape = (route.body as unknown as { _zod: { def: { shape?: Record<string, z.ZodType> } } })._zod.def.shape;
    if (shape?.[field]?.safeParse(null).success) return;
    expect(nulled).toEqual(without);
  });
});

describe('nullAsAbsent', () => {
  const schema = z.object({
    name: z.string(),
    note: z.string().nullable().optional(),
    title: z.string().optional(),
    nested: z.object({ color: z.string().optional(), keep: z.string().nullable() }).optional(),
    items: z.array(z.object({ label: z.string().optional() })).optional(),
  });

  it('drops a null the field refuses, keeps a null it takes, and goes into objects and arrays of objects', () => {
    expect(nullAsAbsent(schema, { name: 'a', note: null, title: null, nested: { color: null, keep: null }, items: [{ label: null }, null] })).toEqual({
      name: 'a',
      note: null,
      nested: { keep: null },
      items: [{}, null],
    });
  });

  it('returns the same object when there is nothing to drop, and never changes its input', () => {
    const body = { name: 'a', title: 'b', nested: { color: 'red', keep: null } };
    expect(nullAsAbsent(schema, body)).toBe(body);
    const withNull = { name: null, title: 'b' };
    expect(nullAsAbsent(schema, withNull)).toEqual({ title: 'b' });
    expect(withNull).toEqual({ name: null, title: 'b' });
  });

  it('sees through z.preprocess and .transform() wrappers', () => {
    const pre = z.preprocess((value) => value ?? {}, z.object({ title: z.string().optional() }));
    const post = z.object({ title: z.string().optional() }).transform((value) => value);
    expect(nullAsAbsent(pre, { title: null })).toEqual({});
    expect(nullAsAbsent(post, { title: null })).toEqual({});
  });
});

describe('through the API', () => {
  it('creates a chat session with null title, model and teamId as without them', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const created = await call(sandbox, 'POST', '/api/agent-chat/sessions', {
      token: 'sdk_sandbox_admin',
      body: { workflowId: agentWorkflowId(sandbox), teamId: null, title: null, model: null, systemPrompt: null },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ workflowId: agentWorkflowId(sandbox) });
  });

  it('answers a null required field with the message of a missing one', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const missing = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { teamId: ACME_TEAM_ID } });
    const nulled = await call(sandbox, 'POST', '/api/workflows', { token: 'sdk_sandbox_admin', body: { name: null, teamId: ACME_TEAM_ID } });
    expect(missing.status).toBe(400);
    expect(nulled.status).toBe(400);
    expect(nulled.json.message).toBe(missing.json.message);
  });
});
