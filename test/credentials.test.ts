import { describe, expect, it } from 'vitest';
import { ACME_TEAM_ID, HOBBY_TEAM_ID, type Sandbox } from 'nodeloom-sandbox';
import { CONFIRMED_CREDENTIAL_TYPES, CREDENTIAL_TYPES } from '../fixtures/credential-catalog.ts';
import { maskedPreview, maskSecret } from '../src/resources/credentials/mask.ts';
import { call, login, TEST_NOW, testSandbox } from './helpers.ts';

const ADMIN = 'sdk_sandbox_admin';
const BUILDER = 'sdk_sandbox_builder';
const HOBBY = 'sdk_sandbox_hobby';
const CREDENTIAL_FIELDS = ['id', 'name', 'type', 'teamId', 'createdAt', 'updatedAt', 'lastTestedAt', 'testStatus'];

function seeded(sandbox: Sandbox, name: string) {
  const record = sandbox.state.db.credentials.all().find((c) => c.name === name);
  if (!record) throw new Error(`no seeded credential ${name}`);
  return record;
}

async function create(sandbox: Sandbox, body: Record<string, unknown>, token = BUILDER) {
  return call(sandbox, 'POST', '/api/credentials', { token, body });
}

function expectSpringError(response: Awaited<ReturnType<typeof call>>, status: number, path: string) {
  expect(response.status).toBe(status);
  expect(response.json).toMatchObject({ status, path, timestamp: TEST_NOW });
  expect(typeof response.json.error).toBe('string');
  expect(typeof response.json.message).toBe('string');
}

describe('credential seed', () => {
  it('seeds 12 Acme and 3 Hobby credentials of catalogued types, all before the epoch', async () => {
    const sandbox = testSandbox();
    await sandbox.ready;
    const all = sandbox.state.db.credentials.all();
    expect(all.filter((c) => c.teamId === ACME_TEAM_ID)).toHaveLength(12);
    expect(all.filter((c) => c.teamId === HOBBY_TEAM_ID)).toHaveLength(3);
    const epoch = Date.parse(TEST_NOW);
    const catalogued = new Set(CREDENTIAL_TYPES.map((t) => t.type));
    for (const c of all) {
      expect(catalogued.has(c.type)).toBe(true);
      expect(Object.keys(c.data).length).toBeGreaterThan(0);
      expect(Date.parse(c.createdAt)).toBeLessThanOrEqual(Date.parse(c.updatedAt));
      expect(Date.parse(c.updatedAt)).toBeLessThan(epoch);
      if (c.lastTestedAt !== null) {
        expect(Date.parse(c.lastTestedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
        expect(Date.parse(c.lastTestedAt)).toBeLessThan(epoch);
        expect(['SUCCESS', 'FAILED']).toContain(c.testStatus);
      } else {
        expect(c.testStatus).toBeNull();
      }
    }
    expect(all.some((c) => c.testStatus === null)).toBe(true);
    expect(all.some((c) => c.testStatus === 'FAILED')).toBe(true);
    expect(seeded(sandbox, 'OpenAI production').data.apiKey).toMatch(/^sk-proj-[A-Za-z0-9]{40}$/);
    expect(Object.keys(seeded(sandbox, 'SendGrid SMTP relay').data)).toEqual(['host', 'port', 'username', 'password']);
  });

  it('seeds the same credentials for the same seed and other secrets for another seed', async () => {
    const a = testSandbox();
    const b = testSandbox();
    const c = testSandbox({ seed: 7 });
    await Promise.all([a.ready, b.ready, c.ready]);
    expect(JSON.stringify(a.state.db.credentials.all())).toBe(JSON.stringify(b.state.db.credentials.all()));
    expect(c.state.db.credentials.all().map((x) => x.name)).toEqual(a.state.db.credentials.all().map((x) => x.name));
    expect(seeded(c, 'OpenAI production').data.apiKey).not.toBe(seeded(a, 'OpenAI production').data.apiKey);
  });

  it('catalogues the four confirmed types and UPPER_SNAKE inferred ones without duplicates', () => {
    expect([...CONFIRMED_CREDENTIAL_TYPES].sort()).toEqual(['HTTP_BASIC', 'OPENAI', 'SLACK', 'SMTP']);
    const types = CREDENTIAL_TYPES.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(type).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(types).toEqual(expect.arrayContaining(['ANTHROPIC', 'POSTGRES', 'GITHUB', 'OAUTH2', 'HTTP_HEADER']));
  });
});

describe('masking', () => {
  it('keeps a vendor prefix and the last 4 characters of long values and hides short ones', () => {
    expect(maskSecret('sk-proj-abcdefghijklmnopqrstuvwxyz')).toBe('sk-...wxyz');
    expect(maskSecret('xoxb-1234-5678-abcdefgh')).toBe('xoxb-...efgh');
    expect(maskSecret('AKIAABCDEFGHIJKLMNOP')).toBe('...MNOP');
    expect(maskSecret('hunter2')).toBe('****');
    expect(maskSecret('')).toBe('****');
    expect(maskedPreview({ host: 'smtp.example.com', port: '587' })).toEqual({ host: '....com', port: '****' });
  });
});

describe('GET /api/credentials', () => {
  it('returns a plain array of the team credentials newest first with the documented fields', async () => {
    const sandbox = testSandbox();
    const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { token: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(Array.isArray(response.json)).toBe(true);
    expect(response.json).toHaveLength(12);
    for (const item of response.json) {
      expect(Object.keys(item)).toEqual(CREDENTIAL_FIELDS);
      expect(item.teamId).toBe(ACME_TEAM_ID);
    }
    const created = response.json.map((c: { createdAt: string }) => c.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('lets a token omit teamId and uses its own team', async () => {
    const sandbox = testSandbox();
    const hobby = await call(sandbox, 'GET', '/api/credentials', { token: HOBBY });
    expect(hobby.status).toBe(200);
    expect(hobby.json.map((c: { name: string }) => c.name).sort()).toEqual(['Discord bot', 'Google Sheets (weekend budget)', 'My OpenAI key']);
  });

  it('returns 400 given a cookie caller without teamId', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'GET', '/api/credentials', { cookie });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('teamId');
  });

  it('filters by type, case-insensitively', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}&type=openai`, { cookie });
    expect(response.status).toBe(200);
    expect(response.json.map((c: { name: string }) => c.name).sort()).toEqual(['OpenAI production', 'OpenAI staging']);
    const none = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}&type=NO_SUCH_TYPE`, { cookie });
    expect(none.json).toEqual([]);
  });

  it('returns 403 given an operator or a viewer, by cookie or token', async () => {
    const sandbox = testSandbox();
    for (const email of ['operator@acme.test', 'viewer@acme.test']) {
      const cookie = await login(sandbox, email);
      const response = await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`, { cookie });
      expectSpringError(response, 403, '/api/credentials');
      expect(response.json.message).toContain('BUILDER');
    }
    for (const token of ['sdk_sandbox_operator', 'sdk_sandbox_viewer']) {
      expect((await call(sandbox, 'GET', '/api/credentials', { token })).status).toBe(403);
    }
  });

  it('returns 403 given a team the caller is not in', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    expect((await call(sandbox, 'GET', `/api/credentials?teamId=${HOBBY_TEAM_ID}`, { cookie })).status).toBe(403);
    expect((await call(sandbox, 'GET', `/api/credentials?teamId=${HOBBY_TEAM_ID}`, { token: ADMIN })).status).toBe(403);
  });

  it('returns 401 without credentials', async () => {
    const sandbox = testSandbox();
    expectSpringError(await call(sandbox, 'GET', `/api/credentials?teamId=${ACME_TEAM_ID}`), 401, '/api/credentials');
  });
});

describe('POST /api/credentials', () => {
  it('creates a credential and answers 201 without its data', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'Ops OpenAI', type: 'OPENAI', teamId: ACME_TEAM_ID, data: { apiKey: 'sk-ops-0123456789abcdefWXYZ' } });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      name: 'Ops OpenAI',
      type: 'OPENAI',
      teamId: ACME_TEAM_ID,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
      lastTestedAt: null,
      testStatus: null,
      maskedPreview: { apiKey: 'sk-...WXYZ' },
    });
    expect(response.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).not.toHaveProperty('data');
    const list = await call(sandbox, 'GET', '/api/credentials', { token: BUILDER });
    expect(list.json[0].id).toBe(response.json.id);
    expect(sandbox.state.db.credentials.get(response.json.id)?.data).toEqual({ apiKey: 'sk-ops-0123456789abcdefWXYZ' });
  });

  it('takes the team from the body for a cookie caller and records the creator', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'owner@hobby.test');
    const response = await call(sandbox, 'POST', '/api/credentials', {
      cookie,
      body: { name: 'Mailer', type: 'SMTP', teamId: HOBBY_TEAM_ID, data: { host: 'smtp.example.com', port: '587', username: 'me', password: 'p' } },
    });
    expect(response.status).toBe(201);
    expect(response.json.teamId).toBe(HOBBY_TEAM_ID);
    expect(response.json.maskedPreview).toEqual({ host: '....com', port: '****', username: '****', password: '****' });
    expect(sandbox.state.db.credentials.get(response.json.id)?.createdBy).toBe('00000000-0000-4000-8000-0000000b0001');
  });

  it('accepts any non-empty type string and keeps it as sent', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'Odd', type: 'my-custom type', data: { key: 'value' } });
    expect(response.status).toBe(201);
    expect(response.json.type).toBe('my-custom type');
  });

  it.each([
    [{ type: 'OPENAI', data: { apiKey: 'x' } }, 'Credential name is required'],
    [{ name: '   ', type: 'OPENAI', data: { apiKey: 'x' } }, 'Credential name is required'],
    [{ name: 'n', data: { apiKey: 'x' } }, 'Credential type is required'],
    [{ name: 'n', type: '', data: { apiKey: 'x' } }, 'Credential type is required'],
    [{ name: 'n', type: 'OPENAI' }, 'Credential data is required'],
  ])('returns 400 given a missing field (%j)', async (body, message) => {
    const sandbox = testSandbox();
    const response = await create(sandbox, body);
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toBe(message);
    expect(sandbox.state.db.credentials.count()).toBe(15);
  });

  it('returns 400 naming the field given a non-string data value', async () => {
    const sandbox = testSandbox();
    const response = await create(sandbox, { name: 'n', type: 'OPENAI', data: { apiKey: 42 } });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('data.apiKey');
  });

  it('returns 400 given data that is not an object or is empty', async () => {
    const sandbox = testSandbox();
    for (const data of ['sk-123', ['a'], {}]) {
      const response = await create(sandbox, { name: 'n', type: 'OPENAI', data });
      expectSpringError(response, 400, '/api/credentials');
      expect(response.json.message).toMatch(/^Credential data must/);
    }
  });

  it('returns 400 given a cookie caller without teamId in the body', async () => {
    const sandbox = testSandbox();
    const cookie = await login(sandbox, 'builder@acme.test');
    const response = await call(sandbox, 'POST', '/api/credentials', { cookie, body: { name: 'n', type: 'OPENAI', data: { apiKey: 'k' } } });
    expectSpringError(response, 400, '/api/credentials');
    expect(response.json.message).toContain('"teamId"');
  });

  it('returns 403 given an operator token or another team in the body', async () => {
    const sandbox = testSandbox();
    const body = { name: 'n', type: 'OPENAI', data: { apiKey: 'k' } };
    expect((await create(sandbox, body, 'sdk_sandbox_operator')).status).toBe(403);
    expect((await create(sandbox, { ...body, teamId: HOBBY_TEAM_ID }, ADMIN)).status).toBe(403);
    expect(sandbox.state.db.credentials.count()).toBe(15);
  });
});

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
