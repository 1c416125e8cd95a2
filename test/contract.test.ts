import { beforeEach, describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { testSandbox } from './helpers.ts';

/**
 * Replays the requests the official NodeLoom clients send (nodeloom-api.md section 5: paths,
 * query strings, headers and bodies exactly as the TypeScript, Python, Go and Java ApiClients
 * build them) and checks the parts of the responses those clients depend on.
 */

const BASE = 'https://api.nodeloom.io';

/** Headers every SDK sends on every request, GET and DELETE included (5.1, 1.3). */
function sdkHeaders(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
}

/** The TS/Python client: `fetch(endpoint + path, { method, headers, body: JSON.stringify(body) })`. */
async function tsRequest(sandbox: Sandbox, method: string, path: string, body?: unknown) {
  return sandbox.fetch(
    new Request(BASE + path, { method, headers: sdkHeaders('sdk_sandbox_admin'), body: body === undefined ? undefined : JSON.stringify(body) }),
  );
}

/** The Java client: POST/PUT/PATCH without a body send `{}` (1.3). */
async function javaRequest(sandbox: Sandbox, method: string, path: string, body?: unknown) {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(method);
  return sandbox.fetch(
    new Request(BASE + path, {
      method,
      headers: { ...sdkHeaders('sdk_sandbox_admin'), 'User-Agent': 'nodeloom-java-sdk/0.10.0' },
      body: withBody ? JSON.stringify(body ?? {}) : undefined,
    }),
  );
}

/** Go's `url.QueryEscape` (space → `+`, `/` → `%2F`), used for query values and ids (5.3). */
function goQueryEscape(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** What the TS client does with an answer: JSON on 2xx (undefined on 204), `API error <status>: <error>` otherwise (1.4). */
async function tsClientRead(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  if (!response.ok) {
    const body = (await response.json()) as Record<string, unknown>;
    throw new Error(`API error ${response.status}: ${typeof body.error === 'string' ? body.error : response.statusText}`);
  }
  return response.json();
}

describe('contract: requests the official SDK clients send', () => {
  let sandbox: Sandbox;
  let workflowId: string;

  beforeEach(async () => {
    sandbox = testSandbox();
    const page = (await tsClientRead(await tsRequest(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`))) as { content: Array<{ id: string }> };
    workflowId = page.content[0]!.id;
  });

  it('lists workflows at GET /api/workflows?teamId=<id> with an id on every item', async () => {
    const response = await tsRequest(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const page = (await response.json()) as { content: Array<Record<string, unknown>>; totalElements: number };
    expect(page.content.length).toBe(20);
    for (const item of page.content) expect(typeof item.id).toBe('string');
    expect(page.totalElements).toBeGreaterThanOrEqual(25);
  });

  it('gets one workflow at GET /api/workflows/:id', async () => {
    const workflow = (await tsClientRead(await tsRequest(sandbox, 'GET', `/api/workflows/${workflowId}`))) as Record<string, unknown>;
    expect(workflow.id).toBe(workflowId);
    expect(Array.isArray(workflow.nodes)).toBe(true);
    expect(Array.isArray(workflow.edges)).toBe(true);
  });

  it('executes with the raw input map as the body and answers with both id and executionId', async () => {
    const started = (await tsClientRead(await tsRequest(sandbox, 'POST', `/api/workflows/${workflowId}/execute`, { query: 'test' }))) as Record<string, unknown>;
    expect(typeof started.id).toBe('string');
    expect(started.executionId).toBe(started.id);
    const execution = (await tsClientRead(await tsRequest(sandbox, 'GET', `/api/executions/${started.id as string}`))) as Record<string, unknown>;
    expect(execution.id).toBe(started.id);
    expect(execution.inputData).toEqual({ query: 'test' });
  });

  it('executes with the default empty input {} (Java sends {} for a body-less POST)', async () => {
    const response = await javaRequest(sandbox, 'POST', `/api/workflows/${workflowId}/execute`);
    expect(response.status).toBe(200);
    const started = (await response.json()) as Record<string, unknown>;
    expect(started.executionId).toBe(started.id);
  });

  it('lists executions at GET /api/executions?teamId=..&page=0&size=20 as a page', async () => {
    const page = (await tsClientRead(await tsRequest(sandbox, 'GET', `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`))) as Record<string, unknown>;
    expect(Array.isArray(page.content)).toBe(true);
    expect((page.content as unknown[]).length).toBe(20);
    expect(page.number).toBe(0);
    expect(page.size).toBe(20);
  });

  it('lists credentials at GET /api/credentials?teamId=<id> as a plain array without secrets', async () => {
    const credentials = (await tsClientRead(await tsRequest(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`))) as Array<Record<string, unknown>>;
    expect(Array.isArray(credentials)).toBe(true);
    expect(credentials.length).toBeGreaterThan(0);
    for (const credential of credentials) expect(credential).not.toHaveProperty('data');
  });

  it('accepts Java activate/deactivate with a {} body', async () => {
    const activated = await javaRequest(sandbox, 'POST', `/api/workflows/${workflowId}/activate`);
    expect(activated.status).toBe(200);
    expect(((await activated.json()) as { active: boolean }).active).toBe(true);
    const deactivated = await javaRequest(sandbox, 'POST', `/api/workflows/${workflowId}/deactivate`);
    expect(((await deactivated.json()) as { active: boolean }).active).toBe(false);
  });

  it('answers a delete with 204 and no body (TS/Python read 204 as "no body")', async () => {
    const response = await tsRequest(sandbox, 'DELETE', `/api/workflows/${workflowId}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await tsClientRead(await tsRequest(sandbox, 'DELETE', `/api/workflows/${workflowId}`)).catch((e: Error) => e.message)).toBe(
      'API error 404: Not Found',
    );
  });

  it('gives Go a 404 with a JSON object body for an unknown route', async () => {
    const response = await sandbox.fetch(new Request(`${BASE}/api/does-not-exist`, { headers: sdkHeaders('sdk_sandbox_admin') }));
    expect(response.status).toBe(404);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, error: 'Not Found', path: '/api/does-not-exist' });
  });

  it('decodes a Go QueryEscape-d teamId and refuses another team with a 403 object body', async () => {
    const escaped = goQueryEscape(HOBBY_TEAM_ID);
    const response = await tsRequest(sandbox, 'GET', `/api/workflows?teamId=${escaped}`);
    expect(response.status).toBe(403);
    const message = await tsClientRead(response).catch((e: Error) => e.message);
    expect(message).toBe('API error 403: Forbidden');
  });

  it('decodes a `+` in a QueryEscape-d query value as a space, as Spring does', async () => {
    const response = await tsRequest(sandbox, 'GET', `/api/workflows?teamId=${ACME_TEAM_ID}&search=${goQueryEscape('no such workflow')}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { totalElements: number }).totalElements).toBe(0);
  });

  it('never answers 200 with an empty body on the routes the SDKs call', async () => {
    const paths = [
      ['GET', `/api/workflows?teamId=${ACME_TEAM_ID}`],
      ['GET', `/api/workflows/${workflowId}`],
      ['GET', `/api/executions?teamId=${ACME_TEAM_ID}&page=0&size=20`],
      ['GET', `/api/credentials?teamId=${ACME_TEAM_ID}`],
    ] as const;
    for (const [method, path] of paths) {
      const response = await tsRequest(sandbox, method, path);
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(2);
    }
  });

  it('lets an SDK token omit teamId and falls back to the token team (1.8)', async () => {
    const response = await tsRequest(sandbox, 'GET', '/api/executions?page=0&size=20');
    expect(response.status).toBe(200);
    const page = (await response.json()) as { content: Array<{ workflowId: string }> };
    expect(page.content.length).toBe(20);
  });

  it('puts a JSON object with an `error` string in every error body, even for auth failures', async () => {
    const response = await sandbox.fetch(new Request(`${BASE}/api/workflows?teamId=${ACME_TEAM_ID}`, { headers: sdkHeaders('sdk_test') }));
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('Unauthorized');
    expect(typeof body.message).toBe('string');
    expect(body.timestamp).toBe('2026-11-01T12:00:00.000Z');
  });
});
