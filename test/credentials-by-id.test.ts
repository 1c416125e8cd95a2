import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID } from 'nodeloom-sandbox';
import { maskedPreview, maskSecret } from '../src/resources/credentials/mask.ts';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';
import { ADMIN, BUILDER, HOBBY, CREDENTIAL_FIELDS, seeded, create, expectSpringError } from './credential-fixtures.ts';

describe('GET /api/credentials/:id', () => {
  it('returns the credential with a masked preview of its secrets', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'OpenAI production');
    const response = await call(sandbox, 'GET', `/api/credentials/${record.id}`, { token: BUILDER });
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual([...CREDENTIAL_FIELDS, 'maskedPreview']);
    expect(response.json.maskedPreview).toEqual({ apiKey: `sk-...${record.data.apiKey!.slice(-4)}` });
    const smtp = seeded(sandbox, 'SendGrid SMTP relay');
    const smtpResponse = await call(sandbox, 'GET', `/api/credentials/${smtp.id}`, { token: BUILDER });
    expect(Object.keys(smtpResponse.json.maskedPreview)).toEqual(['host', 'port', 'username', 'password']);
    expect(smtpResponse.json.maskedPreview.port).toBe('****');
  });

  it('returns 404 given a credential of another team or an unknown id', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const acme = seeded(sandbox, 'OpenAI production');
    expectSpringError(await call(sandbox, 'GET', `/api/credentials/${acme.id}`, { token: HOBBY }), 404, `/api/credentials/${acme.id}`);
    const cookie = await login(sandbox, 'owner@hobby.test');
    expect((await call(sandbox, 'GET', `/api/credentials/${acme.id}`, { cookie })).status).toBe(404);
    const unknown = await call(sandbox, 'GET', '/api/credentials/cred-nope', { token: ADMIN });
    expectSpringError(unknown, 404, '/api/credentials/cred-nope');
    expect(unknown.json.message).toContain('cred-nope');
  });

  it('returns 404 given a teamId query that names another team', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const acme = seeded(sandbox, 'OpenAI production');
    expect((await call(sandbox, 'GET', `/api/credentials/${acme.id}?teamId=${ACME_TEAM_ID}`, { token: ADMIN })).status).toBe(200);
    expect((await call(sandbox, 'GET', `/api/credentials/${acme.id}?teamId=${HOBBY_TEAM_ID}`, { token: ADMIN })).status).toBe(404);
  });

  it('returns 403 given a viewer of the credential team', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const acme = seeded(sandbox, 'OpenAI production');
    expectSpringError(await call(sandbox, 'GET', `/api/credentials/${acme.id}`, { token: 'sdk_sandbox_viewer' }), 403, `/api/credentials/${acme.id}`);
  });
});

describe('PUT /api/credentials/:id', () => {
  it('renames a credential and moves updatedAt to the clock', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'OpenAI staging');
    sandbox.clock.advance(90_000);
    const response = await call(sandbox, 'PUT', `/api/credentials/${record.id}`, { token: BUILDER, body: { name: 'OpenAI sandbox' } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: record.id, name: 'OpenAI sandbox', createdAt: record.createdAt, updatedAt: '2026-11-01T12:01:30.000Z' });
    expect(response.json.maskedPreview).toEqual({ apiKey: maskSecret(record.data.apiKey!) });
  });

  it('replaces every secret when data is sent', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'SendGrid SMTP relay');
    const response = await call(sandbox, 'PUT', `/api/credentials/${record.id}`, { token: ADMIN, body: { data: { apiKey: 'SG.newkey-0000000000000000abcd' } } });
    expect(response.status).toBe(200);
    expect(response.json.name).toBe('SendGrid SMTP relay');
    expect(response.json.maskedPreview).toEqual({ apiKey: '...abcd' });
    expect(sandbox.state.db.credentials.get(record.id)?.data).toEqual({ apiKey: 'SG.newkey-0000000000000000abcd' });
  });

  it('returns 400 given nothing to update', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'Redis cache');
    const response = await call(sandbox, 'PUT', `/api/credentials/${record.id}`, { token: ADMIN, body: {} });
    expectSpringError(response, 400, `/api/credentials/${record.id}`);
    expect(response.json.message).toContain('"name"');
  });

  it('returns 403 given an operator and 404 given another team', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'Redis cache');
    expect((await call(sandbox, 'PUT', `/api/credentials/${record.id}`, { token: 'sdk_sandbox_operator', body: { name: 'x' } })).status).toBe(403);
    expect((await call(sandbox, 'PUT', `/api/credentials/${record.id}`, { token: HOBBY, body: { name: 'x' } })).status).toBe(404);
    expect(sandbox.state.db.credentials.get(record.id)?.name).toBe('Redis cache');
  });
});

describe('DELETE /api/credentials/:id', () => {
  it('answers 204 with no body and the credential is gone', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'Jira service desk');
    const response = await call(sandbox, 'DELETE', `/api/credentials/${record.id}`, { token: BUILDER });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await call(sandbox, 'GET', `/api/credentials/${record.id}`, { token: BUILDER })).status).toBe(404);
    const list = await call(sandbox, 'GET', '/api/credentials', { token: BUILDER });
    expect(list.json).toHaveLength(11);
    expect((await call(sandbox, 'DELETE', `/api/credentials/${record.id}`, { token: BUILDER })).status).toBe(404);
  });

  it('returns 404 given a credential of another team and keeps it', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'Discord bot');
    expect((await call(sandbox, 'DELETE', `/api/credentials/${record.id}`, { token: ADMIN })).status).toBe(404);
    expect(sandbox.state.db.credentials.get(record.id)).toBeDefined();
  });
});

describe('POST /api/credentials/:id/test', () => {
  it('succeeds and records lastTestedAt and testStatus without moving updatedAt', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'OpenAI staging');
    sandbox.clock.advance(5_000);
    const response = await call(sandbox, 'POST', `/api/credentials/${record.id}/test?teamId=${ACME_TEAM_ID}`, { token: BUILDER });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ success: true, message: expect.any(String), testedAt: '2026-11-01T12:00:05.000Z' });
    const after = await call(sandbox, 'GET', `/api/credentials/${record.id}`, { token: BUILDER });
    expect(after.json).toMatchObject({ lastTestedAt: '2026-11-01T12:00:05.000Z', testStatus: 'SUCCESS', updatedAt: record.updatedAt });
  });

  it('fails given a secret value containing "invalid" and records FAILED', async () => {
    const sandbox = testSandbox();
    const created = await create(sandbox, { name: 'Broken', type: 'SLACK', data: { botToken: 'xoxb-INVALID-token-123456' } });
    const response = await call(sandbox, 'POST', `/api/credentials/${created.json.id}/test`, { token: BUILDER });
    expect(response.status).toBe(200);
    expect(response.json.success).toBe(false);
    expect(response.json.message).toContain('botToken');
    expect(response.json.testedAt).toBe(TEST_NOW);
    expect(sandbox.state.db.credentials.get(created.json.id)).toMatchObject({ testStatus: 'FAILED', lastTestedAt: TEST_NOW });
  });

  it('fails again for a credential seeded as FAILED', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'HubSpot CRM sync');
    const response = await call(sandbox, 'POST', `/api/credentials/${record.id}/test`, { token: ADMIN });
    expect(response.json.success).toBe(false);
  });

  it('returns 404 given a credential of another team or a teamId of another team', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const record = seeded(sandbox, 'My OpenAI key');
    expect((await call(sandbox, 'POST', `/api/credentials/${record.id}/test`, { token: ADMIN })).status).toBe(404);
    expect((await call(sandbox, 'POST', `/api/credentials/${record.id}/test?teamId=${ACME_TEAM_ID}`, { token: HOBBY })).status).toBe(404);
    expect(sandbox.state.db.credentials.get(record.id)?.lastTestedAt).toBe(record.lastTestedAt);
  });
});

describe('secret data', () => {
  it('never appears in any response, including errors', async () => {
    const sandbox = testSandbox();
    const secret = 'sk-proj-TOP-SECRET-do-not-leak-9f8e7d6c';
    const replaced = 'replacement-secret-value-0011223344';
    const texts: string[] = [];
    const record = async (response: Awaited<ReturnType<typeof call>>) => {
      texts.push(response.text);
      return response;
    };
    const created = await record(await create(sandbox, { name: 'Leak check', type: 'OPENAI', data: { apiKey: secret } }));
    const id = created.json.id as string;
    await record(await call(sandbox, 'GET', '/api/credentials', { token: BUILDER }));
    await record(await call(sandbox, 'GET', '/api/credentials?type=OPENAI', { token: ADMIN }));
    await record(await call(sandbox, 'GET', `/api/credentials/${id}`, { token: BUILDER }));
    await record(await call(sandbox, 'POST', `/api/credentials/${id}/test`, { token: BUILDER }));
    await record(await call(sandbox, 'PUT', `/api/credentials/${id}`, { token: BUILDER, body: { name: 'Leak check 2' } }));
    await record(await call(sandbox, 'PUT', `/api/credentials/${id}`, { token: BUILDER, body: { data: { apiKey: 42 } } }));
    await record(await create(sandbox, { name: '', type: 'OPENAI', data: { apiKey: secret } }));
    await record(await call(sandbox, 'PUT', `/api/credentials/${id}`, { token: 'sdk_sandbox_viewer', body: { data: { apiKey: replaced } } }));
    await record(await call(sandbox, 'PUT', `/api/credentials/${id}`, { token: BUILDER, body: { data: { apiKey: replaced } } }));
    await record(await call(sandbox, 'GET', `/api/credentials/${id}`, { token: BUILDER }));
    expect(texts).toHaveLength(11);
    for (const text of texts) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(replaced);
      expect(text).not.toContain('"data"');
    }
    expect(texts.at(-1)).toContain('"maskedPreview":{"apiKey":"...3344"}');
  });

  it('never shows a seeded secret in the list or the detail views', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const records = sandbox.state.db.credentials.all();
    const secrets = records.flatMap((r) => Object.values(r.data)).filter((value) => value.length >= 16);
    expect(secrets.length).toBeGreaterThan(15);
    const texts = [
      (await call(sandbox, 'GET', '/api/credentials', { token: ADMIN })).text,
      (await call(sandbox, 'GET', '/api/credentials', { token: HOBBY })).text,
    ];
    for (const r of records) {
      texts.push((await call(sandbox, 'GET', `/api/credentials/${r.id}`, { token: r.teamId === ACME_TEAM_ID ? ADMIN : HOBBY })).text);
    }
    const all = texts.join('\n');
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});
